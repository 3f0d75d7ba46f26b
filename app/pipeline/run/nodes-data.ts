import { UserInputError } from '../../base/errors';
import { quoteIdent } from '../../data/engine';
import { detectFormat, readFunctionSql } from '../../data/import-plan';
import { utf8 } from '../../base/sha256';
import { randomSplit, stratifiedSplit, timeSplit } from '../../ml/split';
import { nodeCatalog, nodeSpec } from '../catalog';
import type { PipelineNode } from '../document';
import { getColumn } from '../steps/table';
import { windowColumns, windowSelectSql } from '../steps/window-sql';
import { windowSpecOf } from '../plan';
import { columnTableFromArrow, takeRows } from './columns';
import type { NodeOutputs, NodeValue, RunEnv, TableValue } from './types';

/** The display name of a node: its label, else its id. */
export function nodeName(node: PipelineNode): string {
  return node.label ?? node.id;
}

/** FROM-clause SQL of a dataset: a file path (by its extension) or a table/view name. */
export function datasetRelation(dataset: string): string {
  const format = detectFormat(dataset);
  const reader = format ? readFunctionSql(format, dataset) : null;
  return reader ?? quoteIdent(dataset);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/** Where a source reads from, the fingerprint of its rows, and the name recorded for reproducibility. */
export interface SourceRef {
  relation: string;
  fingerprint: string;
  dataset: string;
  what: string;
}

function queryOptions(env: RunEnv): { signal?: RunEnv['signal'] } {
  return env.signal ? { signal: env.signal } : {};
}

function readError(what: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof Error && error.name === 'CancelledError') throw error;
    throw new UserInputError(`Could not read ${what}: ${firstLine(error)}`);
  };
}

/**
 * Fingerprints a source node's rows inside the engine (row count + a sum of DuckDB row hashes),
 * without moving them into JavaScript: cheap enough to run every time, so an unchanged source is
 * served from the cache. Insensitive to row order; refuses an empty result.
 */
export async function sourceFingerprint(node: PipelineNode, env: RunEnv): Promise<SourceRef> {
  const p = nodeCatalog.source.params.parse(node.params);
  const relation = p.from === 'dataset' ? datasetRelation(p.dataset) : `(${p.sql.trim().replace(/;+$/, '')})`;
  const what = p.from === 'dataset' ? `the dataset "${p.dataset}"` : 'the query';
  const sql = `SELECT count(*)::VARCHAR AS n, coalesce(sum(hash(source))::VARCHAR, '') AS h FROM (SELECT * FROM ${relation}) AS source`;
  const row = (await env.engine.query(sql, queryOptions(env)).catch(readError(what))).get(0)?.toJSON() ?? {};
  const rows = Number(row['n'] ?? 0);
  if (rows === 0) throw new UserInputError(`${what.charAt(0).toUpperCase()}${what.slice(1)} has no rows, so there is nothing to train on.`);
  return { relation, what, fingerprint: env.hash(utf8(`${String(row['n'])}:${String(row['h'])}:${relation}`)), dataset: p.from === 'dataset' ? p.dataset : p.sql };
}

/** Reads a source's rows through the engine into a table value. */
export async function loadSource(ref: SourceRef, env: RunEnv): Promise<NodeOutputs> {
  const arrow = await env.engine.query(`SELECT * FROM ${ref.relation} AS source`, queryOptions(env)).catch(readError(ref.what));
  const table = columnTableFromArrow(arrow);
  const value: TableValue = { type: 'table', table, chain: { columns: table.columns.map((c) => ({ name: c.name, type: c.type })), steps: [] }, relation: ref.relation };
  return { data: value };
}

/** Runs a node's validation suite on the source relation; passes the table through unchanged. */
export async function runValidate(node: PipelineNode, input: TableValue, env: RunEnv): Promise<{ outputs: NodeOutputs; message: string }> {
  const p = nodeCatalog.validate.params.parse(node.params);
  const pass = (message: string) => ({ outputs: { data: input }, message });
  if (p.suite === '') return pass('No suite chosen: the table passed through unchecked.');
  if (!env.validate) return pass('Validation is not available in this build: the table passed through unchecked.');
  if (!input.relation) return pass('Validation runs on a table straight from a Source node: the table passed through unchecked.');
  const outcome = await env.validate(input.relation, p.suite, env.signal);
  if (!outcome.success && p.failOnError) throw new UserInputError(`Validation failed: ${outcome.summary}`);
  return pass(outcome.summary);
}

function tableInput(inputs: Record<string, NodeValue>, port: string, node: PipelineNode): TableValue {
  const value = inputs[port];
  if (value?.type !== 'table') throw new UserInputError(`${nodeName(node)} needs a table on its "${port}" input.`);
  return value;
}

/** Splits the input rows into train and test (random, stratified by a column, or by time). */
export function runSplit(node: PipelineNode, inputs: Record<string, NodeValue>): NodeOutputs {
  const input = tableInput(inputs, 'data', node);
  const p = nodeCatalog.split.params.parse(node.params);
  const { table } = input;
  if (table.rows < 2) throw new UserInputError(`The table has ${table.rows} row${table.rows === 1 ? '' : 's'}; a split needs at least two.`);
  const fractions = { train: 1 - p.testFraction, validation: 0, test: p.testFraction };
  let parts;
  if (p.method === 'random') parts = randomSplit(table.rows, fractions, p.seed);
  else {
    const column = getColumn(table, p.column);
    if (p.method === 'stratified') parts = stratifiedSplit(column.type === 'number' ? column.values : column.values, fractions, p.seed);
    else if (column.type !== 'number') throw new UserInputError(`A time split needs a number or date column, but "${p.column}" holds text.`, { column: p.column });
    else parts = timeSplit(column.values, fractions);
  }
  const part = (index: Int32Array): TableValue => ({ type: 'table', table: takeRows(table, index), chain: input.chain });
  return { train: part(parts.train), test: part(parts.test) };
}

/** The table on `port` of a node's inputs (for nodes whose catalog input is a table). */
export function requireTable(inputs: Record<string, NodeValue>, port: string, node: PipelineNode): TableValue {
  return tableInput(inputs, port, node);
}

/**
 * Runs a lag or rolling node: DuckDB window functions over its input relation add the derived
 * columns (rows come back ordered by partition, then time). Needs rows straight from a Source or
 * another lag/rolling node, before any ONNX step, so the compiled graph can take the new columns
 * as inputs whose SQL (`InputColumn.derived`) is recorded in the model's metadata.
 */
export async function runWindowFeatures(node: PipelineNode, inputs: Record<string, NodeValue>, env: RunEnv): Promise<{ outputs: NodeOutputs; message: string }> {
  const input = tableInput(inputs, 'data', node);
  const spec = windowSpecOf(node);
  if (!spec) throw new UserInputError(`${nodeName(node)} is not a lag or rolling node.`);
  const label = nodeSpec(node.kind).label;
  if (input.chain.steps.length > 0 || !input.relation) {
    throw new UserInputError(`${label} runs in SQL on the rows of a Source (or of another Lag/Rolling node): place it right after the Source, before the Split and the preprocessing steps.`);
  }
  const derived = windowColumns(spec, input.table.columns.map((c) => ({ name: c.name, type: c.type })));
  const select = windowSelectSql(input.relation, derived);
  const order = [spec.partitionBy, spec.orderBy].filter((c) => c !== '').map(quoteIdent).join(', ');
  const arrow = await env.engine.query(`${select} ORDER BY ${order}`, queryOptions(env)).catch(readError(`the ${label.toLowerCase()} of "${spec.column}"`));
  const table = columnTableFromArrow(arrow);
  const ties = await tiedRows(input.relation, spec.partitionBy, spec.orderBy, env);
  const stage = Math.max(-1, ...input.chain.columns.map((c) => c.derived?.stage ?? -1)) + 1;
  const columns = [...input.chain.columns, ...derived.map((c) => ({ name: c.name, type: c.type, derived: { sql: c.sql, stage } }))];
  const value: TableValue = { type: 'table', table, chain: { columns, steps: [] }, relation: `(${select})` };
  const warning = ties > 0 ? ` ${ties} row${ties === 1 ? ' shares its' : 's share their'} "${spec.orderBy}" with another row${spec.partitionBy ? ` of the same "${spec.partitionBy}"` : ''}: their order, and so their ${node.kind === 'lag' ? 'lags' : 'windows'}, is arbitrary.` : '';
  return { outputs: { data: value }, message: `Added ${derived.map((c) => c.name).join(', ')} in SQL; the model records it as vajra.derived_sql.${warning}` };
}

/** Rows beyond the first with the same (partition, order) key: where window results are arbitrary. */
async function tiedRows(relation: string, partitionBy: string, orderBy: string, env: RunEnv): Promise<number> {
  const key = [partitionBy, orderBy].filter((c) => c !== '').map(quoteIdent).join(', ');
  const sql = `SELECT (count(*) - count(DISTINCT (${key})))::DOUBLE AS ties FROM ${relation} AS input`;
  const row = (await env.engine.query(sql, queryOptions(env))).get(0)?.toJSON() ?? {};
  return Number(row['ties'] ?? 0);
}
