import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { isNodeKind, nodeSpec } from '../../../app/pipeline/catalog';
import { nodeTitle, portsOf } from './graph-model';
import { sqlKey } from './pipeline-store';
import { usePipeline } from './store-context';

/** What a canvas node carries: only its id; everything else comes from the store. */
export type PipelineFlowNode = Node<{ nodeId: string }, 'pipeline'>;

const STATE_TEXT: Record<string, string> = { queued: 'queued', running: 'running', done: 'done', cached: 'cached', failed: 'failed', blocked: 'blocked', skipped: 'skipped', cancelled: 'cancelled' };

function summaryOf(params: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof params['dataset'] === 'string' && params['dataset']) parts.push(params['dataset']);
  if (typeof params['target'] === 'string' && params['target']) parts.push(`→ ${params['target']}`);
  if (Array.isArray(params['columns']) && params['columns'].length > 0) parts.push(`${params['columns'].length} column${params['columns'].length === 1 ? '' : 's'}`);
  if (typeof params['method'] === 'string') parts.push(params['method']);
  if (typeof params['strategy'] === 'string') parts.push(params['strategy']);
  return parts.join(' · ');
}

/** A pipeline node on the canvas: category stripe, title, status badge, typed ports, problems. */
export const PipelineNodeCard = memo(function PipelineNodeCard({ data, selected }: NodeProps<PipelineFlowNode>) {
  const node = usePipeline((s) => s.doc.nodes.find((n) => n.id === data.nodeId));
  const issues = usePipeline((s) => s.issues);
  const status = usePipeline((s) => s.statuses[data.nodeId]);
  const progress = usePipeline((s) => s.progress[data.nodeId]);
  const sql = node?.kind === 'source' ? sqlKey(node.params) : null;
  const described = usePipeline((s) => (sql === null ? undefined : s.sqlColumns[sql]));
  if (!node) return null;
  const spec = isNodeKind(node.kind) ? nodeSpec(node.kind) : null;
  const mine = issues.filter((i) => i.nodeId === node.id && !i.edgeId);
  const failed = status?.state === 'failed' ? (status.error?.message ?? status.message ?? 'failed') : described?.status === 'error' ? described.message : null;
  const inputs = portsOf(node, 'inputs'), outputs = portsOf(node, 'outputs');
  const fraction = status?.state === 'running' && progress && progress.total > 0 ? progress.done / progress.total : null;
  const classes = ['pc-node', `cat-${spec?.category ?? 'unknown'}`, selected ? 'selected' : '', mine.length > 0 || failed ? 'has-problem' : '', status ? `st-${status.state}` : ''];
  return (
    <div className={classes.filter(Boolean).join(' ')} data-node-id={node.id} data-status={status?.state ?? 'idle'} aria-label={`Node ${nodeTitle(node)}`}>
      <div className="pc-node-head">
        <span className="pc-node-cat">{spec?.category ?? '?'}</span>
        <span className="pc-node-title" title={node.id}>{nodeTitle(node)}</span>
        {status && <span className={`pc-badge st-${status.state}`} data-testid="node-status">{STATE_TEXT[status.state] ?? status.state}</span>}
      </div>
      <div className="pc-node-summary">{summaryOf(node.params) || (described?.status === 'ready' ? `SQL · ${described.columns.length} columns` : '\u00a0')}</div>
      <div className="pc-ports">
        <div className="pc-port-col">
          {inputs.map((p) => (
            <div key={p.name} className="pc-port in">
              <Handle type="target" id={p.name} position={Position.Left} className={`pc-handle t-${p.type}`} aria-label={`${node.id} input ${p.name}`} data-port={p.name} />
              <span>{p.name}</span>
            </div>
          ))}
        </div>
        <div className="pc-port-col">
          {outputs.map((p) => (
            <div key={p.name} className="pc-port out">
              <span>{p.name}</span>
              <Handle type="source" id={p.name} position={Position.Right} className={`pc-handle t-${p.type}`} aria-label={`${node.id} output ${p.name}`} data-port={p.name} />
            </div>
          ))}
        </div>
      </div>
      {fraction !== null && <div className="pc-node-progress" role="progressbar" aria-valuenow={Math.round(fraction * 100)}><div style={{ width: `${fraction * 100}%` }} /></div>}
      {(failed || mine.length > 0) && (
        <div className="pc-node-problem" role="alert" data-testid="node-problem">{failed ?? mine[0]!.message}{!failed && mine.length > 1 ? ` (+${mine.length - 1} more)` : ''}</div>
      )}
    </div>
  );
});
