import type { Table } from 'apache-arrow';
import { assertNever } from '../base/assert';
import { UserInputError, VajraError } from '../base/errors';
import type { CellId } from '../base/ids';
import type { CancelSignal } from '../base/signal';
import { quoteIdent } from '../data/engine';
import { parseChartSpec, parseInputSpec, type ChartSpec } from './cell-specs';
import { chartPlotCode, chartQuery, CHART_ROW_LIMIT } from './chart-query';
import { findInterpolations } from './interpolation';
import { evaluateCell, evaluateExpression } from './js-eval';
import { renderMarkdown } from './markdown-html';
import type { ExecuteCell, PlanStep } from './scheduler';
import { cellTableName, toSqlParam, type SqlParamValue } from './sql-run';
import { sqlReferences } from './sql-refs';
import type { NotebookCell, NotebookDoc } from './types';

/** A result column: name and DuckDB type. */
export interface ResultColumn {
  name: string;
  type: string;
}

/**
 * What a cell produced this session. A SQL cell's rows stay in DuckDB (`relation` is the
 * quoted, schema-qualified table); only windows of them ever cross to JS.
 */
export type CellValue =
  | { kind: 'table'; relation: string; columns: ResultColumn[]; rowCount: number }
  | { kind: 'statement' }
  | { kind: 'js'; value: unknown }
  | { kind: 'markdown'; html: string }
  | { kind: 'chart'; spec: ChartSpec; query: string; rows: Array<Record<string, unknown>>; code: string }
  | { kind: 'input'; value: unknown };

/** A SQL cell to run: store the result of its last statement as `table` in the notebook's schema. */
export interface SqlCellRequest {
  cellId: CellId;
  table: string;
  sql: string;
  params: Record<string, SqlParamValue>;
  /** The cell's cache key, stored with the table so a later session can reuse it. */
  key: string | undefined;
}

/** What running a SQL cell gave: a stored table, or a statement without rows (DDL, SET …). */
export type SqlCellResult = { kind: 'table'; relation: string; columns: ResultColumn[]; rowCount: number } | { kind: 'statement' };

/** Where cells run: the host's DuckDB and the host's JavaScript globals (renderer or Node). */
export interface NotebookRuntime {
  runSql(request: SqlCellRequest, signal: CancelSignal | undefined): Promise<SqlCellResult>;
  /** The first `limit` rows of one SELECT as an Arrow table. */
  fetchRows(sql: string, limit: number, signal: CancelSignal | undefined): Promise<Table>;
  /** Names JS cells and `${…}` may use without a cell defining them (`Plot`, `html`, `width` …). */
  builtins: Readonly<Record<string, unknown>>;
}

/** The most rows a JS cell reads from a SQL cell; bigger results should be aggregated in SQL first. */
export const JS_TABLE_LIMIT = 200_000;

/** Plain objects from Arrow rows, with 64-bit integers as numbers (what Plot and people expect). */
export function arrowRows(table: Table): Array<Record<string, unknown>> {
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((n) => table.getChild(n));
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    names.forEach((name, c) => {
      const v: unknown = columns[c]?.get(i);
      row[name] = typeof v === 'bigint' ? Number(v) : v;
    });
    rows.push(row);
  }
  return rows;
}

/** Options of `createCellExecutor`. */
export interface ExecutorOptions {
  /** Cache keys by cell id (computeCellKeys), stored with SQL tables. */
  keys?: Readonly<Record<string, string | undefined>>;
}

/**
 * An `ExecuteCell` for `runPlan` that runs every cell kind of `doc` on `runtime`, with the same
 * semantics in the renderer and in `vajra run`: SQL results become tables named after their cell
 * and `$name` parameters take input and JS values; JS cells see SQL cells as Arrow tables and
 * other cells as their values; Markdown interpolates `${…}`; charts aggregate in SQL first.
 */
export function createCellExecutor(doc: NotebookDoc, runtime: NotebookRuntime, options: ExecutorOptions = {}): ExecuteCell<CellValue> {
  const cells = new Map(doc.cells.map((c) => [c.id, c]));
  const tables = new Map<string, Promise<Table>>();
  const readTable = (relation: string, rowCount: number, signal: CancelSignal | undefined): Promise<Table> => {
    if (rowCount > JS_TABLE_LIMIT) {
      return Promise.reject(new UserInputError(`the table has ${rowCount.toLocaleString('en-US')} rows; JavaScript reads at most ${JS_TABLE_LIMIT.toLocaleString('en-US')} — aggregate or filter it in SQL first`));
    }
    let table = tables.get(relation);
    if (!table) {
      table = runtime.fetchRows(`SELECT * FROM ${relation}`, JS_TABLE_LIMIT, signal);
      tables.set(relation, table);
    }
    return table;
  };
  const jsBindings = async (inputs: Record<string, CellValue>, signal: CancelSignal | undefined): Promise<Record<string, unknown>> => {
    const bindings: Record<string, unknown> = { ...runtime.builtins };
    for (const [name, value] of Object.entries(inputs)) bindings[name] = await jsView(value, readTable, signal);
    return bindings;
  };
  return async (step: PlanStep, inputs: Record<string, CellValue>, signal: CancelSignal | undefined) => {
    const cell = cells.get(step.id);
    if (!cell) throw new UserInputError(`no cell with id ${step.id}`);
    switch (cell.kind) {
      case 'sql':
        return runSqlCell(cell, inputs, runtime, options.keys?.[cell.id], signal);
      case 'js':
        return { kind: 'js', value: await evaluateCell(cell.source, await jsBindings(inputs, signal)) };
      case 'markdown':
        return runMarkdown(cell, await jsBindings(inputs, signal));
      case 'chart':
        return runChart(cell, inputs, runtime, signal);
      case 'input': {
        const spec = parseInputSpec(cell);
        if (!spec.ok) throw new UserInputError(spec.message);
        return { kind: 'input', value: spec.value.value };
      }
      case 'foreign':
        throw new UserInputError(`${cell.language ?? 'foreign'} cells do not run in Vajra`);
      default:
        return assertNever(cell.kind, 'cell kind');
    }
  };
}

/** What a JS cell or `${…}` sees of an upstream cell's value. */
async function jsView(value: CellValue, readTable: (relation: string, rows: number, signal: CancelSignal | undefined) => Promise<Table>, signal: CancelSignal | undefined): Promise<unknown> {
  switch (value.kind) {
    case 'table': return readTable(value.relation, value.rowCount, signal);
    case 'statement': return undefined;
    case 'js':
    case 'input': return value.value;
    case 'chart': return value.rows;
    case 'markdown': return value.html;
    default: return assertNever(value, 'cell value');
  }
}

async function runSqlCell(cell: NotebookCell, inputs: Record<string, CellValue>, runtime: NotebookRuntime, key: string | undefined, signal: CancelSignal | undefined): Promise<CellValue> {
  const refs = sqlReferences(cell.source);
  for (const name of refs.tables) {
    const value = inputs[name];
    if (value !== undefined && value.kind !== 'table') throw new UserInputError(`${name} is a ${value.kind === 'statement' ? 'SQL statement without rows' : `${value.kind} cell`}, not a table`);
  }
  const params: Record<string, SqlParamValue> = {};
  for (const name of refs.params) {
    const value = inputs[name];
    if (value === undefined) throw new UserInputError(`$${name}: no input or JS cell is named ${name}`);
    if (value.kind !== 'js' && value.kind !== 'input') throw new UserInputError(`$${name} must be an input or a JS value, not a ${value.kind} cell`);
    params[name] = toSqlParam(name, value.value);
  }
  return runtime.runSql({ cellId: cell.id, table: cellTableName(cell), sql: cell.source, params, key }, signal);
}

async function runMarkdown(cell: NotebookCell, bindings: Record<string, unknown>): Promise<CellValue> {
  const found = findInterpolations(cell.source);
  const values: unknown[] = [];
  for (const one of found) {
    if (!one.analysis.ok) throw new UserInputError(`\${…}: ${one.analysis.message}`);
    try {
      values.push(await evaluateExpression(one.expression, bindings));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new VajraError('js', `\${${one.expression.trim()}}: ${message}`, { line: cell.source.slice(0, one.start).split('\n').length });
    }
  }
  return { kind: 'markdown', html: renderMarkdown(cell.source, found, values) };
}

async function runChart(cell: NotebookCell, inputs: Record<string, CellValue>, runtime: NotebookRuntime, signal: CancelSignal | undefined): Promise<CellValue> {
  const parsed = parseChartSpec(cell.source);
  if (!parsed.ok) throw new UserInputError(parsed.message);
  const spec = parsed.value;
  const upstream = inputs[spec.table];
  if (upstream !== undefined && upstream.kind !== 'table') throw new UserInputError(`${spec.table} is a ${upstream.kind} cell, not a table`);
  const relation = upstream?.relation ?? quoteIdent(spec.table);
  const query = chartQuery(spec, relation);
  const rows = arrowRows(await runtime.fetchRows(query, CHART_ROW_LIMIT, signal));
  const code = typeof spec['code'] === 'string' ? spec['code'] : chartPlotCode(spec);
  return { kind: 'chart', spec, query, rows, code };
}
