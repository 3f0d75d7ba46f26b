import { useMemo } from 'react';
import { isNodeKind, nodeSpec } from '../../../app/pipeline/catalog';
import type { PipelineDoc, PipelineNode } from '../../../app/pipeline/document';
import type { CatalogItem } from '../../../app/protocol/methods/data';
import { candidateSources, connectOp, feedingEdge, nodeTitle, portsOf, upstreamColumns } from './graph-model';
import { paramForm } from './param-fields';
import { ParamInput } from './ParamInput';
import { columnKind, portKey, sqlKey, type ColumnInfo, type SqlColumnsState } from './pipeline-store';
import { usePipeline, usePipelineStore } from './store-context';

function sourceColumns(node: PipelineNode | undefined, catalog: CatalogItem[], sqlColumns: Record<string, SqlColumnsState>): ColumnInfo[] | undefined {
  if (node?.kind !== 'source') return undefined;
  const sql = sqlKey(node.params);
  if (sql !== null) {
    const described = sqlColumns[sql];
    return described?.status === 'ready' ? described.columns : undefined;
  }
  if (node.params['from'] !== 'dataset') return undefined;
  const dataset = node.params['dataset'];
  const item = catalog.find((c) => c.name === dataset || c.file === dataset);
  return item?.columns.map((c) => ({ name: c.name, type: columnKind(c.type) }));
}

/** Columns a node's pickers offer: the nearest upstream output seen in a run, else the source's catalog entry or described SQL. */
function useInputColumns(doc: PipelineDoc, nodeId: string): ColumnInfo[] {
  const columns = usePipeline((s) => s.columns);
  const catalog = usePipeline((s) => s.catalog);
  const sqlColumns = usePipeline((s) => s.sqlColumns);
  return useMemo(() => upstreamColumns(doc, nodeId, (id, port) => columns[portKey(id, port)] ?? sourceColumns(doc.nodes.find((n) => n.id === id), catalog, sqlColumns)), [doc, nodeId, columns, catalog, sqlColumns]);
}

function InputWiring({ node }: { node: PipelineNode }) {
  const store = usePipelineStore();
  const doc = usePipeline((s) => s.doc);
  const inputs = portsOf(node, 'inputs');
  if (inputs.length === 0) return null;
  return (
    <fieldset className="pc-wiring">
      <legend>Inputs</legend>
      {inputs.map((p) => {
        const edge = feedingEdge(doc, node.id, p.name);
        const value = edge ? `${edge.from.node}\u0000${edge.from.port}` : '';
        const id = `pc-in-${node.id}-${p.name}`;
        return (
          <div key={p.name} className="pc-field">
            <label htmlFor={id} className="pc-field-label">{p.name} <span className="muted small">({p.type})</span></label>
            <select id={id} value={value} onChange={(e) => {
              const [from, port] = e.target.value.split('\u0000');
              if (!from || !port) { if (edge) store.getState().apply({ type: 'disconnect', edgeId: edge.id }); return; }
              store.getState().apply(connectOp(doc, { node: from, port }, { node: node.id, port: p.name }));
            }}>
              <option value="">(not connected)</option>
              {candidateSources(doc, node.id, p.name).map((c) => <option key={`${c.node.id}.${c.port}`} value={`${c.node.id}\u0000${c.port}`}>{nodeTitle(c.node)} → {c.port}</option>)}
              {edge && !candidateSources(doc, node.id, p.name).some((c) => c.node.id === edge.from.node && c.port === edge.from.port) && <option value={value}>{edge.from.node} → {edge.from.port} (invalid)</option>}
            </select>
          </div>
        );
      })}
    </fieldset>
  );
}

/** The settings of the selected node: name, input wiring, a form from its kind's schema, its problems. */
export function NodeInspector({ nodeId }: { nodeId: string }) {
  const store = usePipelineStore();
  const doc = usePipeline((s) => s.doc);
  const issues = usePipeline((s) => s.issues);
  const catalog = usePipeline((s) => s.catalog);
  const status = usePipeline((s) => s.statuses[nodeId]);
  const columns = useInputColumns(doc, nodeId);
  const node = doc.nodes.find((n) => n.id === nodeId);
  const sql = node?.kind === 'source' ? sqlKey(node.params) : null;
  const described = usePipeline((s) => (sql === null ? undefined : s.sqlColumns[sql]));
  if (!node || !isNodeKind(node.kind)) return <div className="muted pad">Select a node to edit its settings.</div>;
  const spec = nodeSpec(node.kind);
  const form = paramForm(node.kind, node.params);
  const mine = issues.filter((i) => i.nodeId === nodeId);
  const problemOf = (key: string) => mine.find((i) => i.message.includes(`"${key}"`))?.message;
  const set = (key: string, value: unknown) => store.getState().apply({ type: 'setParam', nodeId, key, value });
  return (
    <div className="pc-inspector" aria-label={`Settings of ${nodeTitle(node)}`}>
      <div className="pc-inspector-head">
        <span className={`pc-node-cat cat-${spec.category}`}>{spec.category}</span>
        <input className="pc-title-input" aria-label="Node name" value={node.label ?? ''} placeholder={spec.label} onChange={(e) => store.getState().apply({ type: 'renameNode', nodeId, label: e.target.value === '' ? undefined : e.target.value })} />
        <code className="muted small">{node.id}</code>
      </div>
      {status?.state === 'failed' && <div className="pc-problem" role="alert">{status.error?.message ?? status.message}</div>}
      {status?.state !== 'failed' && described?.status === 'error' && <div className="pc-problem" role="alert" data-testid="sql-problem">{described.message}</div>}
      {mine.length > 0 && (
        <ul className="pc-problems" aria-label="Problems">
          {mine.map((i) => <li key={i.message} className={i.severity}>{i.message}</li>)}
        </ul>
      )}
      <InputWiring node={node} />
      <fieldset className="pc-params">
        <legend>Settings</legend>
        {form.variant && (
          <div className="pc-field">
            <label htmlFor={`pc-${nodeId}-${form.variant.key}`} className="pc-field-label">{form.variant.label}</label>
            <select id={`pc-${nodeId}-${form.variant.key}`} value={form.variant.value} onChange={(e) => {
              const key = form.variant!.key, next = { [key]: e.target.value };
              const blanks = Object.fromEntries(paramForm(node.kind, next).fields.map((f) => [f.key, '']));
              store.getState().apply({ type: 'setParams', nodeId, params: { ...next, ...blanks } });
            }}>
              {form.variant.options.map((o) => <option key={o} value={o}>{o}</option>)}
            </select>
          </div>
        )}
        {form.fields.map((field) => {
          const id = `pc-${nodeId}-${field.key}`;
          const problem = problemOf(field.key);
          return (
            <div key={field.key} className={`pc-field f-${field.type}${problem ? ' has-problem' : ''}`} data-field={field.key}>
              {field.type !== 'columns' && <label htmlFor={id} className={`pc-field-label${field.isOptional ? '' : ' required'}`}>{field.label}</label>}
              <ParamInput id={id} field={field} value={node.params[field.key]} columns={columns} catalog={catalog} onChange={(v) => set(field.key, v)} />
              {problem && <div className="pc-field-problem">{problem.replace(/^[^:]+: /, '')}</div>}
            </div>
          );
        })}
        {described?.status === 'ready' && <div className="muted small" data-testid="sql-columns">{described.columns.length} columns: {described.columns.map((c) => c.name).join(', ')}</div>}
      </fieldset>
    </div>
  );
}
