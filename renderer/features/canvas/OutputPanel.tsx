import { useEffect, useState } from 'react';
import { assertNever } from '../../../app/base/assert';
import type { PipelineOutput } from '../../../app/protocol/methods/pipeline';
import { outputViews } from '../../stores/output-views';
import { nodeTitle, portsOf } from './graph-model';
import { CrossValidationOutput } from './CrossValidationOutput';
import { MetricsOutput } from './MetricsOutput';
import { LiveLoss, ModelOutput } from './ModelOutput';
import { portKey } from './pipeline-store';
import { usePipeline, usePipelineStore } from './store-context';
import { TablePreview } from './TablePreview';

/** The view of one output; kinds another feature owns (explanations) come from the shell's `outputViews`. */
function OutputBody({ output, label, path, nodeId }: { output: PipelineOutput; label: string; path: string; nodeId: string }) {
  switch (output.kind) {
    case 'none': return <div className="muted pad">{output.reason}</div>;
    case 'table':
    case 'predictions': return <TablePreview label={label} rows={output.rows} columns={output.columns} ipc={output.ipc} />;
    case 'model': return <ModelOutput output={output} />;
    case 'metrics': return output.crossValidation ? <CrossValidationOutput cv={output.crossValidation} rows={output.evaluation.rows} /> : <MetricsOutput output={output} />;
    case 'explanations': {
      const View = outputViews.explanations;
      return View ? <View output={output} path={path} nodeId={nodeId} /> : <div className="muted pad">No view for explanations is installed.</div>;
    }
    default: return assertNever(output, 'pipeline output');
  }
}

/** The output of the selected node from the last run: a port switch, then its table, model or metrics. */
export function OutputPanel({ nodeId }: { nodeId: string }) {
  const store = usePipelineStore();
  const node = usePipeline((s) => s.doc.nodes.find((n) => n.id === nodeId));
  const status = usePipeline((s) => s.statuses[nodeId]);
  const loss = usePipeline((s) => s.loss[nodeId]);
  const isRunning = usePipeline((s) => s.isRunning);
  const path = usePipeline((s) => s.path);
  const ports = node ? portsOf(node, 'outputs') : [];
  const [chosen, setChosen] = useState<string | null>(null);
  const port = ports.find((p) => p.name === chosen)?.name ?? ports[0]?.name;
  const output = usePipeline((s) => (port ? s.outputs[portKey(nodeId, port)] : undefined));
  const hasResult = status?.state === 'done' || status?.state === 'cached';

  useEffect(() => {
    if (port && hasResult && !isRunning && output === undefined) void store.getState().loadOutput(nodeId, port);
  }, [store, nodeId, port, hasResult, isRunning, output]);

  if (!node) return null;
  const title = nodeTitle(node);
  return (
    <section className="pc-output" aria-label={`Output of ${title}`}>
      <header className="pc-output-head">
        <strong>{title}</strong>
        {ports.length > 1 && (
          <div className="pc-tabs" role="tablist" aria-label="Output port">
            {ports.map((p) => <button key={p.name} type="button" role="tab" aria-selected={p.name === port} className={p.name === port ? 'active' : ''} onClick={() => setChosen(p.name)}>{p.name}</button>)}
          </div>
        )}
        {status && <span className={`pc-badge st-${status.state}`}>{status.state}{status.durationMs !== undefined && hasResult ? ` · ${status.durationMs < 1000 ? `${Math.round(status.durationMs)} ms` : `${(status.durationMs / 1000).toFixed(1)} s`}` : ''}</span>}
      </header>
      <div className="pc-output-body">
        {status?.state === 'running' && loss && loss.length > 1 && <LiveLoss points={loss} />}
        {status?.state === 'failed' && <div className="error-box" role="alert">{status.error?.message ?? status.message}</div>}
        {!status && !isRunning && <div className="muted pad">Run the pipeline (or this node) to see its output.</div>}
        {status && !hasResult && status.state !== 'failed' && status.state !== 'running' && <div className="muted pad">{status.message ?? `This node is ${status.state}.`}</div>}
        {hasResult && output?.status === 'loading' && <div className="muted pad">Loading output…</div>}
        {hasResult && output?.status === 'error' && <div className="error-box">{output.message}</div>}
        {hasResult && output?.status === 'ready' && <OutputBody output={output.output} label={`${title} ${port ?? ''}`} path={path} nodeId={nodeId} />}
      </div>
    </section>
  );
}
