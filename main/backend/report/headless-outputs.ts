import { Table } from 'apache-arrow';
import { assertNever } from '../../../app/base/assert';
import type { CellValue } from '../../../app/notebook/executor';
import { tableOutput } from '../../../app/report/from-arrow';
import type { CellOutput } from '../../../app/report/types';
import type { NativeDatabase } from '../data/native-engine';
import type { HeadlessCell, HeadlessRun } from '../notebook/headless';
import { renderChartSvg } from './plot-svg';

/**
 * A Markdown cell's rendered HTML as report Markdown: headings become Markdown headings again
 * (so the report numbers them into its table of contents); every other block stays HTML.
 */
export function reportMarkdown(html: string): string {
  return html.replace(/<h([1-6])>([\s\S]*?)<\/h\1>\n?/g, (_m, depth: string, inner: string) => `\n\n${'#'.repeat(Number(depth))} ${inner.replace(/\s*\n\s*/g, ' ')}\n\n`);
}

/** A JS value as JSON-safe data (64-bit integers as numbers), at most ~20 KB of it. */
function plainValue(value: unknown): CellOutput {
  if (value === undefined) return { kind: 'text', text: 'undefined' };
  if (typeof value === 'string') return { kind: 'text', text: value };
  try {
    const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v), 2);
    if (json === undefined) return { kind: 'text', text: String(value) };
    return json.length > 20_000 ? { kind: 'text', text: `${json.slice(0, 20_000)}\n…` } : { kind: 'value', value: JSON.parse(json) };
  } catch {
    return { kind: 'text', text: String(value) };
  }
}

async function outputOf(value: CellValue, db: NativeDatabase, maxRows: number): Promise<CellOutput | undefined> {
  switch (value.kind) {
    case 'table': {
      const engine = await db.connect();
      try {
        return tableOutput(await engine.query(`SELECT * FROM ${value.relation} LIMIT ${Math.max(0, Math.floor(maxRows))}`), maxRows, value.rowCount);
      } finally {
        await engine.close();
      }
    }
    case 'statement': return undefined;
    case 'js': return value.value instanceof Table ? tableOutput(value.value, maxRows) : plainValue(value.value);
    case 'markdown': return { kind: 'markdown', text: reportMarkdown(value.html) };
    case 'chart':
      try {
        return { kind: 'svg', svg: await renderChartSvg(value.code, value.rows) };
      } catch (error) {
        return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
      }
    case 'input': return { kind: 'input', value: value.value };
    default: return assertNever(value, 'cell value');
  }
}

function failure(cell: HeadlessCell, byId: ReadonlyMap<string, HeadlessCell>): CellOutput | undefined {
  switch (cell.status) {
    case 'ok': return undefined;
    case 'error': return { kind: 'error', message: cell.error?.message ?? 'failed' };
    case 'upstream-error': {
      const upstream = cell.upstream ? byId.get(cell.upstream) : undefined;
      return { kind: 'error', message: `Not run: upstream error in ${upstream?.name ?? String(cell.upstream)}` };
    }
    case 'cancelled': return { kind: 'error', message: 'Cancelled' };
    default: return assertNever(cell.status, 'cell status');
  }
}

/**
 * The report outputs of a headless run, by cell id: SQL results as their first `maxRows` rows
 * (read back from the workspace database) with the row count, charts drawn to SVG, Markdown after
 * interpolation, input values, JS values as data, and each failed cell's error.
 */
export async function headlessOutputs(run: HeadlessRun, db: NativeDatabase, maxRows: number): Promise<Map<string, CellOutput>> {
  const byId = new Map(run.cells.map((c) => [c.id, c]));
  const outputs = new Map<string, CellOutput>();
  for (const cell of run.cells) {
    const output = cell.value ? await outputOf(cell.value, db, maxRows) : failure(cell, byId);
    if (output) outputs.set(cell.id, output);
  }
  return outputs;
}
