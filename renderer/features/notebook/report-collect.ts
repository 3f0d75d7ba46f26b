import * as Plot from '@observablehq/plot';
import { assertNever } from '../../../app/base/assert';
import { decodeIpc } from '../../../app/data/ipc';
import { evaluateCell } from '../../../app/notebook/js-eval';
import type { NotebookDoc } from '../../../app/notebook/types';
import { tableOutput } from '../../../app/report/from-arrow';
import type { CellOutput as ReportOutput } from '../../../app/report/types';
import type { Backend } from '../../bridge/connection';
import type { CellOutput } from './cell-output';
import type { Inspected } from './inspect';
import type { CellRun } from './run-state';

/** Width charts are drawn at for a report (CSS px): the report's column; print scales it to the page. */
export const REPORT_CHART_WIDTH = 760;

/**
 * A Markdown cell's rendered HTML as report Markdown: headings become Markdown headings again (so
 * the report lists them in its table of contents); every other block stays HTML.
 */
export function reportMarkdown(html: string): string {
  return html.replace(/<h([1-6])>([\s\S]*?)<\/h\1>\n?/g, (_m, depth: string, inner: string) => `\n\n${'#'.repeat(Number(depth))} ${inner.replace(/\s*\n\s*/g, ' ')}\n\n`);
}

/** An inspector snapshot as plain data (what the report prints as JSON). */
function plain(value: Inspected): unknown {
  switch (value.t) {
    case 'prim':
      if (value.cls === 'number') return Number(value.text);
      if (value.cls === 'bigint') return Number(value.text.replace(/n$/, ''));
      if (value.cls === 'boolean') return value.text === 'true';
      return value.cls === 'null' ? null : value.text;
    case 'array': return value.items.map(plain);
    case 'object': return Object.fromEntries(value.entries.map(([k, v]) => [k, plain(v)]));
    case 'table': return { rows: value.rows, columns: value.columns.map((c) => c.name) };
    case 'dom': return value.html;
    case 'error': return value.text;
    default: return assertNever(value, 'inspected value');
  }
}

function inspectedOutput(view: Inspected): ReportOutput {
  switch (view.t) {
    case 'prim': return { kind: 'text', text: view.text };
    case 'dom': return { kind: 'html', html: view.html };
    case 'error': return { kind: 'error', message: view.text };
    case 'table': return { kind: 'table', columns: view.columns, rows: view.preview, totalRows: view.rows };
    case 'array':
    case 'object': return { kind: 'value', value: plain(view) };
    default: return assertNever(view, 'inspected value');
  }
}

/** Draws a chart cell's Plot code over its rows, detached from the page, and serialises the SVG. */
export async function chartSvg(code: string, rows: ReadonlyArray<Record<string, unknown>>): Promise<ReportOutput> {
  try {
    const node = await evaluateCell(code, { Plot, data: rows, width: REPORT_CHART_WIDTH });
    if (!(node instanceof Element)) return { kind: 'error', message: 'The chart code must return a DOM node (Plot.plot(…)).' };
    return { kind: 'svg', svg: node.outerHTML };
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}

async function tableRows(backend: Backend, path: string, output: Extract<CellOutput, { kind: 'table' }>, maxRows: number): Promise<ReportOutput> {
  try {
    const { ipc } = await backend.call('notebook.fetch', { path, sql: `SELECT * FROM ${output.relation}`, limit: maxRows });
    return tableOutput(decodeIpc(ipc), maxRows, output.rowCount);
  } catch {
    // the stored table is gone (a cached output from an earlier session): the summary still says what it was
    return { kind: 'text', text: `${output.rowCount.toLocaleString('en-US')} rows × ${output.columns.length} columns (run the cell to include its rows)` };
  }
}

async function outputOf(backend: Backend, path: string, output: CellOutput, maxRows: number): Promise<ReportOutput | undefined> {
  switch (output.kind) {
    case 'table': return tableRows(backend, path, output, maxRows);
    case 'statement': return undefined;
    case 'value': return inspectedOutput(output.view);
    case 'markdown': return { kind: 'markdown', text: reportMarkdown(output.html) };
    case 'chart': return chartSvg(output.code, output.rows);
    case 'input': return { kind: 'input', value: output.value };
    default: return assertNever(output, 'cell output');
  }
}

/**
 * The current outputs of an open notebook as a report shows them, by cell id: the first
 * `maxRows` rows of each SQL result (with its row count), charts drawn to SVG, Markdown after
 * interpolation, input values, JS values, and the error of each failed cell.
 */
export async function collectReportOutputs(backend: Backend, path: string, doc: NotebookDoc, runs: Readonly<Record<string, CellRun>>, maxRows: number): Promise<Map<string, ReportOutput>> {
  const outputs = new Map<string, ReportOutput>();
  for (const cell of doc.cells) {
    const run = runs[cell.id];
    if (!run) continue;
    if (run.status === 'error') outputs.set(cell.id, { kind: 'error', message: run.error?.message ?? 'failed' });
    else if (run.status === 'upstream-error') outputs.set(cell.id, { kind: 'error', message: `Not run: upstream error in ${doc.cells.find((c) => c.id === run.upstream)?.name ?? 'another cell'}` });
    else if (run.output) {
      const output = await outputOf(backend, path, run.output, maxRows);
      if (output) outputs.set(cell.id, output);
    }
  }
  return outputs;
}
