/**
 * Runs an expectation suite over a table (and a reference for the statistical expectations) in
 * DuckDB over the full data: one DESCRIBE, one aggregate query for all row-level checks, one
 * sample query per failed row-level check, and the drift queries of drift.ts for statistical
 * checks (shared per column).
 */
import type { Engine } from '../data/engine';
import type { CancelSignal } from '../base/signal';
import { throwIfAborted } from '../base/errors';
import { categoricalDrift, columnDrifts, describeRelation, isNumericType, type ColumnDrift } from './drift';
import { DEFAULT_DRIFT_BINS } from './drift-sql';
import { columnsOf, offendingRowsSql, rowChecksSql } from './expectation-sql';
import { evaluateStatistical, evaluateTableLevel, evaluateRowLevel, type Verdict } from './verdicts';
import { tableRows, type Cell, type RelationSql } from './sql-util';
import { STATISTICAL_KINDS, type Expectation, type Severity, type Suite } from './suite';

/** Outcome of one expectation. `error` means it could not be evaluated (see `message`). */
export type ExpectationStatus = 'pass' | 'fail' | 'error';

/** Result of one expectation: verdict, observed values and, for row-level failures, samples. */
export interface ExpectationResult {
  index: number;
  expectation: Expectation;
  severity: Severity;
  status: ExpectationStatus;
  message: string;
  observed: Record<string, number | string | boolean | null>;
  /** Row-level failures: how many rows (or duplicate values) offend, and up to 5 of those rows. */
  failingRows?: { count: number; sample: Record<string, Cell>[] };
  /** Statistical expectations: the column's drift statistics (with histograms for reports). */
  drift?: ColumnDrift;
}

/** Result of a suite. `success` is false when any `error`-severity expectation fails or errors. */
export interface SuiteResult {
  suite: string;
  table: string;
  reference: string | null;
  rowCount: number;
  success: boolean;
  counts: { passed: number; failed: number; warned: number; errored: number };
  results: ExpectationResult[];
}

/** Where to run: `table` (and `reference`) are FROM-clause SQL, e.g. `quoteIdent('sales')`. */
export interface RunSuiteOptions {
  table: RelationSql;
  reference?: RelationSql;
  signal?: CancelSignal;
}

function verdictResult(index: number, e: Expectation, v: Verdict): ExpectationResult {
  return { index, expectation: e, severity: e.severity, ...v };
}

/** Runs every expectation of `suite`; never throws for a failing or unevaluable expectation. */
export async function runSuite(engine: Engine, suite: Suite, options: RunSuiteOptions): Promise<SuiteResult> {
  const { table, reference, signal } = options;
  const schema = await describeRelation(engine, table, signal);
  const types = new Map(schema.map((c) => [c.name, c.type]));
  const results: (ExpectationResult | undefined)[] = new Array(suite.expectations.length);
  const rowLevel: [number, Expectation][] = [];
  const statistical: [number, Expectation][] = [];
  suite.expectations.forEach((e, i) => {
    const missing = columnsOf(e).filter((c) => !types.has(c));
    if (missing.length) results[i] = verdictResult(i, e, { status: 'error', message: `Column not found: ${missing.join(', ')}`, observed: {} });
    else if (STATISTICAL_KINDS.has(e.kind)) statistical.push([i, e]);
    else if (e.kind === 'columns' || e.kind === 'column_type') results[i] = verdictResult(i, e, evaluateTableLevel(e, schema, 0));
    else rowLevel.push([i, e]);
  });
  const agg = tableRows(await engine.query(rowChecksSql(table, rowLevel), { signal }))[0] ?? {};
  const rowCount = Number(agg['n'] ?? 0);
  for (const [i, e] of rowLevel) {
    throwIfAborted(signal);
    const v = e.kind === 'row_count' ? evaluateTableLevel(e, schema, rowCount) : evaluateRowLevel(e, i, agg, rowCount);
    const result = verdictResult(i, e, v);
    const sampleSql = v.status === 'fail' ? offendingRowsSql(table, e) : undefined;
    if (sampleSql) result.failingRows = { count: Number(agg[`f_${i}`] ?? 0), sample: tableRows(await engine.query(sampleSql, { signal })) };
    results[i] = result;
  }
  await runStatistical(engine, statistical, types, options, results);
  const done = results.map((r, i) => r ?? verdictResult(i, suite.expectations[i]!, { status: 'error', message: 'Not evaluated', observed: {} }));
  return summarize(suite.name, table, reference ?? null, rowCount, done);
}

async function runStatistical(
  engine: Engine, items: readonly [number, Expectation][], types: Map<string, string>,
  options: RunSuiteOptions, results: (ExpectationResult | undefined)[],
): Promise<void> {
  if (items.length === 0) return;
  const { table, reference, signal } = options;
  if (!reference) {
    for (const [i, e] of items) results[i] = verdictResult(i, e, { status: 'error', message: 'Needs a reference table', observed: {} });
    return;
  }
  const refTypes = new Map((await describeRelation(engine, reference, signal)).map((c) => [c.name, c.type]));
  const cache = new Map<string, ColumnDrift>();
  const driftOf = async (column: string, categorical: boolean, bins: number): Promise<ColumnDrift> => {
    const key = `${categorical ? 'c' : 'n'}:${bins}:${column}`;
    let d = cache.get(key);
    if (!d) {
      d = categorical
        ? await categoricalDrift(engine, table, reference, column, signal)
        : (await columnDrifts(engine, table, reference, [column], bins, signal))[0]!;
      cache.set(key, d);
    }
    return d;
  };
  await prefetchNumeric(items, types, refTypes, (bins, columns) => columnDrifts(engine, table, reference, columns, bins, signal), cache);
  for (const [i, e] of items) {
    throwIfAborted(signal);
    const column = columnsOf(e)[0]!;
    if (!refTypes.has(column)) {
      results[i] = verdictResult(i, e, { status: 'error', message: `Column not found in the reference: ${column}`, observed: {} });
      continue;
    }
    const numeric = isNumericType(types.get(column)!);
    const needsNumeric = e.kind === 'ks' || e.kind === 'wasserstein' || e.kind === 'mean_shift' || e.kind === 'std_shift';
    if (needsNumeric && !numeric) {
      results[i] = verdictResult(i, e, { status: 'error', message: `${e.kind} needs a numeric column; ${column} is ${types.get(column)}`, observed: {} });
      continue;
    }
    const bins = 'bins' in e && e.bins !== undefined ? e.bins : DEFAULT_DRIFT_BINS;
    const drift = await driftOf(column, e.kind === 'chi2' || !numeric, bins);
    results[i] = { ...verdictResult(i, e, evaluateStatistical(e, drift)), drift };
  }
}

/** Computes numeric drift of all columns sharing a bin count in one batch (fewer scans). */
async function prefetchNumeric(
  items: readonly [number, Expectation][], types: Map<string, string>, refTypes: Map<string, string>,
  compute: (bins: number, columns: string[]) => Promise<ColumnDrift[]>, cache: Map<string, ColumnDrift>,
): Promise<void> {
  const groups = new Map<number, Set<string>>();
  for (const [, e] of items) {
    const column = columnsOf(e)[0]!;
    if (e.kind === 'chi2' || !refTypes.has(column) || !isNumericType(types.get(column)!)) continue;
    const bins = 'bins' in e && e.bins !== undefined ? e.bins : DEFAULT_DRIFT_BINS;
    groups.set(bins, (groups.get(bins) ?? new Set()).add(column));
  }
  for (const [bins, columns] of groups) {
    for (const d of await compute(bins, [...columns])) cache.set(`n:${bins}:${d.column}`, d);
  }
}

function summarize(suite: string, table: string, reference: string | null, rowCount: number, results: ExpectationResult[]): SuiteResult {
  const counts = { passed: 0, failed: 0, warned: 0, errored: 0 };
  let success = true;
  for (const r of results) {
    if (r.status === 'pass') counts.passed++;
    else if (r.status === 'error') counts.errored++;
    else if (r.severity === 'warn') counts.warned++;
    else counts.failed++;
    if (r.status !== 'pass' && r.severity === 'error') success = false;
  }
  return { suite, table, reference, rowCount, success, counts, results };
}
