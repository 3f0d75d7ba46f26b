import { memo } from 'react';
import { assertNever } from '../../../app/base/assert';
import { useStore } from 'zustand';
import type { CellId } from '../../../app/base/ids';
import type { NotebookCell } from '../../../app/notebook/types';
import { ChartBuilder, type ChartTable } from './ChartBuilder';
import { ChartOutput } from './ChartOutput';
import { CodeEditor } from './CodeEditor';
import { InputControl } from './InputControl';
import { MarkdownOutput } from './MarkdownOutput';
import type { NotebookStore } from './notebook-store';
import type { CellRun } from './run-state';
import { TableOutput } from './TableOutput';
import { ValueView } from './ValueView';

const kindLabels: Record<NotebookCell['kind'], string> = { markdown: 'Markdown', sql: 'SQL', js: 'JS', chart: 'Chart', input: 'Input', foreign: 'Foreign' };

function statusText(run: CellRun | undefined, isStale: boolean, upstreamName: string | undefined): string {
  switch (run?.status) {
    case 'queued': return 'queued';
    case 'running': return 'running…';
    case 'error': return 'error';
    case 'upstream-error': return `upstream error${upstreamName ? ` in ${upstreamName}` : ''}`;
    case 'cancelled': return 'interrupted';
    case 'ok': return isStale ? 'stale' : run.ms !== undefined ? `${run.ms < 10 ? run.ms.toFixed(1) : Math.round(run.ms)} ms${run.isCached ? ' · cached' : ''}` : '';
    default: return run?.output ? 'stale' : 'not run';
  }
}

function Output({ store, cell, run, isStale }: { store: NotebookStore; cell: NotebookCell; run: CellRun; isStale: boolean }) {
  const output = run.output;
  const live = useStore(store, (s) => s.liveValue(cell.id));
  if (!output || cell.options['hide'] === 'output') return null;
  switch (output.kind) {
    case 'table': return <TableOutput relation={output.relation} rowCount={output.rowCount} columnCount={output.columns.length} isCurrent={!isStale && run.status === 'ok' && live !== undefined} label={`Result of ${cell.name ?? cell.id}`} />;
    case 'statement': return <div className="muted small">Done (no rows).</div>;
    case 'value': return <ValueView view={output.view} live={live} />;
    case 'markdown': return null;
    case 'chart': return <ChartOutput code={output.code} rows={output.rows} />;
    case 'input': return null;
    default: return assertNever(output, 'cell output');
  }
}

function ErrorBox({ run }: { run: CellRun }) {
  // graph errors (cycles, duplicate names) are shown from the graph, above
  if (run.status !== 'error' || !run.error || run.error.name === 'NotebookGraphError') return null;
  const line = run.error.detail?.['line'];
  return (
    <div className="nb-error" role="alert" data-testid="cell-error">
      {typeof line === 'number' && <span className="nb-error-at">line {line}</span>}
      <span className="nb-error-text">{run.error.message}</span>
    </div>
  );
}

function Editor({ store, cell, isEditing, tables }: { store: NotebookStore; cell: NotebookCell; isEditing: boolean; tables: ChartTable[] }) {
  const s = store.getState();
  const edit = (from: number, to: number, insert: string) => s.apply({ type: 'editSource', id: cell.id, from, to, insert });
  const common = { onEdit: edit, onFocus: () => s.setEditing(cell.id), onEscape: () => s.setEditing(null), autoFocus: isEditing };
  switch (cell.kind) {
    case 'sql': return <CodeEditor {...common} label={`SQL of ${cell.name ?? cell.id}`} language="sql" value={cell.source} />;
    case 'js': return <CodeEditor {...common} label={`JavaScript of ${cell.name ?? cell.id}`} language="javascript" value={cell.source} />;
    case 'foreign': return <pre className="nb-foreign">{cell.source}</pre>;
    case 'input': return <InputControl cell={cell} onChange={(value) => s.setInputValue(cell.id, value)} />;
    case 'chart': return <ChartBuilder source={cell.source} tables={tables} onSource={(source) => { s.apply({ type: 'editSource', id: cell.id, from: 0, to: cell.source.length, insert: source }); void s.run([cell.id], 'cell'); }} />;
    case 'markdown': return isEditing ? <CodeEditor {...common} label="Markdown" language="markdown" value={cell.source} /> : null;
    default: return assertNever(cell.kind, 'cell kind');
  }
}

/** One cell: gutter with run state, header with kind and name, editor or control, error, output. */
export const CellView = memo(function CellView({ store, id, tables }: { store: NotebookStore; id: CellId; tables: ChartTable[] }) {
  const cell = useStore(store, (s) => s.doc.cells.find((c) => c.id === id));
  const run = useStore(store, (s) => s.runs[id]);
  const key = useStore(store, (s) => s.keys[id]);
  const isSelected = useStore(store, (s) => s.selected === id);
  const isEditing = useStore(store, (s) => s.editing === id);
  const graphErrors = useStore(store, (s) => s.graph.nodes[id]?.errors);
  const upstreamName = useStore(store, (s) => (run?.upstream ? s.doc.cells.find((c) => c.id === run.upstream)?.name ?? run.upstream : undefined));
  if (!cell) return null;
  const s = store.getState();
  const isStale = run?.output !== undefined && run.key !== key;
  const status = run?.status ?? 'idle';
  const showMarkdown = cell.kind === 'markdown' && !isEditing;
  return (
    <section
      className={`nb-cell kind-${cell.kind} status-${status}${isSelected ? ' selected' : ''}${isEditing ? ' editing' : ''}${isStale ? ' stale' : ''}`}
      data-cell-id={id}
      data-cell-name={cell.name}
      data-status={status}
      data-stale={isStale}
      aria-label={`${kindLabels[cell.kind]} cell ${cell.name ?? ''}`.trim()}
      onMouseDown={() => s.select(id)}
    >
      <div className="nb-gutter">
        {cell.kind !== 'foreign' && (
          <button type="button" className="nb-run" title="Run cell (Ctrl+Enter)" aria-label={`Run ${cell.name ?? id}`} onClick={() => void s.run([id], 'cell')}>
            {status === 'running' ? '◼' : '▶'}
          </button>
        )}
      </div>
      <div className="nb-body">
        {!showMarkdown && (
          <header className="nb-cell-head">
            <span className={`nb-kind kind-${cell.kind}`}>{cell.kind === 'foreign' ? cell.language : kindLabels[cell.kind]}</span>
            {cell.name && <code className="nb-name">{cell.name}</code>}
            <span className="nb-status" data-testid="cell-status">{statusText(run, isStale, upstreamName)}</span>
          </header>
        )}
        <Editor store={store} cell={cell} isEditing={isEditing} tables={tables} />
        {showMarkdown && (run?.output?.kind === 'markdown'
          ? <MarkdownOutput html={run.output.html} onOpen={() => s.setEditing(id)} />
          : <div className="nb-markdown muted" onDoubleClick={() => s.setEditing(id)}>{cell.source || 'Empty Markdown cell — double-click to write.'}</div>)}
        {graphErrors?.map((e) => <div key={e.message} className="nb-error" role="alert">{e.message}</div>)}
        {run && <ErrorBox run={run} />}
        {run && <Output store={store} cell={cell} run={run} isStale={isStale} />}
      </div>
    </section>
  );
});
