/**
 * Drift of columns between a current and a reference relation, over the full data in DuckDB.
 * Numeric columns: exact KS (+ scipy p-value), exact Wasserstein-1, PSI and Jensen–Shannon on the
 * reference's quantile bins, Welch's t-test and std ratio. Categorical columns: χ² test of
 * homogeneity, PSI and Jensen–Shannon on categories.
 *
 * Numeric PSI/JS bins are the reference's exact deciles (the values DuckDB's quantile_disc picks),
 * found by the same bucket walk as KS and Wasserstein, so they cost no extra scan.
 * Epsilon: PSI replaces an empty bin's proportion by 1e-4 in both samples (the usual convention:
 * an empty bin adds a large but finite term). Jensen–Shannon needs no epsilon (0·log 0 = 0).
 */
import type { Engine } from '../data/engine';
import type { CancelSignal, ProgressSink } from '../base/signal';
import { throwIfAborted } from '../base/errors';
import { profileKind } from '../data/profile';
import { ecdfSummary } from './ecdf-distance';
import { discreteQuantileRank, type QuantileHit } from './ecdf-walk';
import { categoryCountsSql, DEFAULT_DRIFT_BINS, describeSql, HISTOGRAM_BINS, numericRangeSql, numericValue } from './drift-sql';
import { ksTwoSample } from './ks-test';
import { chi2Sf, welchTTest } from './special';
import { num, tableRows, type Cell, type RelationSql } from './sql-util';

/** Proportion used for an empty bin in PSI. */
export const PSI_EPSILON = 1e-4;

/** Counts per bin of both samples (same bins); `labels` name the bins. */
export interface BinnedCounts {
  labels: string[];
  current: number[];
  reference: number[];
}

/** Full drift statistics of one numeric column. Counts are of finite values. */
export interface NumericDrift {
  kind: 'numeric';
  column: string;
  n1: number;
  n2: number;
  ks_statistic: number;
  ks_pvalue: number;
  wasserstein: number;
  psi: number;
  jensen_shannon: number;
  welch_statistic: number;
  welch_pvalue: number;
  mean: [number, number];
  std: [number, number];
  /** PSI/JS bins: reference quantile edges and counts. */
  bins: BinnedCounts & { edges: number[] };
  /** Equal-width histogram over the joint range, for display. */
  histogram: BinnedCounts & { lo: number; hi: number };
}

/** Full drift statistics of one categorical column (categories beyond 200 pooled as "(other)"). */
export interface CategoricalDrift {
  kind: 'categorical';
  column: string;
  n1: number;
  n2: number;
  chi2_statistic: number;
  chi2_pvalue: number;
  chi2_dof: number;
  psi: number;
  jensen_shannon: number;
  bins: BinnedCounts;
}

export type ColumnDrift = NumericDrift | CategoricalDrift;

/** Population stability index Σ (p − q)·ln(p/q) of two count vectors (proportions ≥ 1e-4). */
export function psi(current: readonly number[], reference: readonly number[]): number {
  const n1 = sum(current), n2 = sum(reference);
  let total = 0;
  for (let i = 0; i < current.length; i++) {
    const p = Math.max(current[i]! / n1, PSI_EPSILON), q = Math.max(reference[i]! / n2, PSI_EPSILON);
    total += (p - q) * Math.log(p / q);
  }
  return total;
}

/** Jensen–Shannon distance (base 2, in [0, 1]) of two count vectors, like scipy's jensenshannon. */
export function jensenShannon(current: readonly number[], reference: readonly number[]): number {
  const n1 = sum(current), n2 = sum(reference);
  let kl = 0;
  for (let i = 0; i < current.length; i++) {
    const p = current[i]! / n1, q = reference[i]! / n2, m = (p + q) / 2;
    if (p > 0) kl += p * Math.log2(p / m);
    if (q > 0) kl += q * Math.log2(q / m);
  }
  return Math.sqrt(Math.max(kl / 2, 0));
}

/** χ² test of homogeneity of a 2×k table (scipy chi2_contingency, correction=False). */
export function chi2Homogeneity(current: readonly number[], reference: readonly number[]): { statistic: number; pvalue: number; dof: number } {
  const n1 = sum(current), n2 = sum(reference), n = n1 + n2;
  let statistic = 0, k = 0;
  for (let i = 0; i < current.length; i++) {
    const col = current[i]! + reference[i]!;
    if (col === 0) continue;
    k++;
    const e1 = (n1 * col) / n, e2 = (n2 * col) / n;
    statistic += (current[i]! - e1) ** 2 / e1 + (reference[i]! - e2) ** 2 / e2;
  }
  const dof = k - 1;
  return { statistic, dof, pvalue: dof > 0 ? chi2Sf(statistic, dof) : 1 };
}

function sum(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}

/** Columns and DuckDB types of a relation. */
export async function describeRelation(engine: Engine, rel: RelationSql, signal?: CancelSignal): Promise<{ name: string; type: string }[]> {
  const rows = tableRows(await engine.query(describeSql(rel), { signal }));
  return rows.map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }));
}

/** True when drift treats a DuckDB type as numeric (the rest is categorical). */
export function isNumericType(duckdbType: string): boolean {
  return profileKind(duckdbType) === 'numeric';
}

/** Joint range [lo, hi] of each column's finite values over both relations (NaN when none). */
async function finiteRanges(engine: Engine, rels: readonly RelationSql[], columns: readonly string[], signal?: CancelSignal): Promise<{ lo: number; hi: number }[]> {
  const out = columns.map(() => ({ lo: Number.NaN, hi: Number.NaN }));
  const merge = (row: Record<string, Cell>, i: number, into: number) => {
    const lo = num(row[`lo_${i}`]), hi = num(row[`hi_${i}`]);
    if (Number.isFinite(lo)) out[into]!.lo = finiteMin(out[into]!.lo, lo);
    if (Number.isFinite(hi)) out[into]!.hi = finiteMax(out[into]!.hi, hi);
    return Number.isFinite(lo) && Number.isFinite(hi);
  };
  for (const rel of rels) {
    const row = tableRows(await engine.query(numericRangeSql(rel, columns, false), { signal }))[0] ?? {};
    const redo = columns.map((_, i) => i).filter((i) => !merge(row, i, i));
    if (redo.length === 0) continue;
    const again = tableRows(await engine.query(numericRangeSql(rel, redo.map((i) => columns[i]!), true), { signal }))[0] ?? {};
    redo.forEach((into, i) => merge(again, i, into));
  }
  return out;
}

/** The interior quantile probabilities k/bins as the decimal text DuckDB's quantile_disc would read. */
function quantileProbs(bins: number): string[] {
  return Array.from({ length: Math.max(bins - 1, 0) }, (_, k) => String((k + 1) / bins));
}

/**
 * PSI/JS bins from the exact reference quantiles: distinct edges and the counts of each sample in
 * (−∞, e₀], (e₀, e₁] … (eₘ₋₁, ∞).
 */
function quantileBins(hits: readonly (QuantileHit | undefined)[], n1: number, n2: number): BinnedCounts & { edges: number[] } {
  const distinct = [...new Map(hits.filter((h) => h !== undefined).map((h) => [h.value, h])).values()].sort((p, q) => p.value - q.value);
  const current: number[] = [], reference: number[] = [];
  let prev1 = 0, prev2 = 0;
  for (const h of distinct) {
    current.push(h.upTo1 - prev1);
    reference.push(h.upTo2 - prev2);
    [prev1, prev2] = [h.upTo1, h.upTo2];
  }
  current.push(n1 - prev1);
  reference.push(n2 - prev2);
  const edges = distinct.map((h) => h.value);
  return { edges, current, reference, labels: binLabels(edges) };
}

/** One engine, or several connections to the same database that may run queries side by side. */
export type Engines = Engine | readonly Engine[];

function enginesOf(engines: Engines): readonly Engine[] {
  return 'query' in engines ? [engines] : engines;
}

/**
 * Drift of numeric `columns`: one min/max scan per side, then per column one summary scan and
 * one filtered read (ecdf-distance.ts) giving exact KS, Wasserstein, reference quantiles (PSI/JS
 * bins, DuckDB's quantile_disc), moments (Welch) and the display histogram. With several engines,
 * columns run side by side (one column per connection at a time). Reports one progress step per
 * column finished.
 */
export async function numericDrift(engines: Engines, current: RelationSql, reference: RelationSql, columns: readonly string[], bins = DEFAULT_DRIFT_BINS, signal?: CancelSignal, progress?: ProgressSink): Promise<NumericDrift[]> {
  if (columns.length === 0) return [];
  const pool = enginesOf(engines);
  const ranges = await finiteRanges(pool[0]!, [current, reference], columns, signal);
  const probs = quantileProbs(bins);
  const out = new Array<NumericDrift>(columns.length);
  let next = 0, done = 0;
  const worker = async (engine: Engine) => {
    while (next < columns.length) {
      const i = next++;
      throwIfAborted(signal);
      out[i] = await numericColumn(engine, current, reference, columns[i]!, ranges[i]!, probs, signal);
      progress?.({ done: ++done, total: columns.length, message: `Drift of ${columns[i]!}` });
    }
  };
  progress?.({ done: 0, total: columns.length, message: `Drift of ${columns.length} numeric columns` });
  await Promise.all(pool.slice(0, columns.length).map(worker));
  return out;
}

async function numericColumn(engine: Engine, current: RelationSql, reference: RelationSql, column: string, range: { lo: number; hi: number }, probs: readonly string[], signal?: CancelSignal): Promise<NumericDrift> {
  const { lo, hi } = range;
  const summary = await ecdfSummary(engine, { current, reference, value: numericValue(column), lo, hi },
    { rankOf: (n2) => probs.map((p) => discreteQuantileRank(n2, p)), histogramBins: HISTOGRAM_BINS, ...(signal ? { signal } : {}) });
  const a = summary.moments.current, b = summary.moments.reference;
  const ks = ksTwoSample(summary.ks, a.n, b.n);
  const quant = quantileBins(summary.quantiles, a.n, b.n);
  const welch = welchTTest(a.mean, a.variance, a.n, b.mean, b.variance, b.n);
  return {
    kind: 'numeric', column, n1: a.n, n2: b.n,
    ks_statistic: ks.statistic, ks_pvalue: ks.pvalue, wasserstein: summary.wasserstein,
    psi: psi(quant.current, quant.reference), jensen_shannon: jensenShannon(quant.current, quant.reference),
    welch_statistic: welch.statistic, welch_pvalue: welch.pvalue,
    mean: [a.mean, b.mean], std: [Math.sqrt(a.variance), Math.sqrt(b.variance)],
    bins: quant,
    histogram: { ...summary.histogram, lo, hi, labels: histLabels(lo, hi) },
  };
}

function finiteMin(a: number, b: number): number {
  return Number.isFinite(a) ? (Number.isFinite(b) ? Math.min(a, b) : a) : b;
}

function finiteMax(a: number, b: number): number {
  return Number.isFinite(a) ? (Number.isFinite(b) ? Math.max(a, b) : a) : b;
}

function binLabels(edges: readonly number[]): string[] {
  const fmt = (x: number) => String(Number(x.toPrecision(4)));
  return Array.from({ length: edges.length + 1 }, (_, i) =>
    i === 0 ? `≤ ${fmt(edges[0] ?? Infinity)}` : i === edges.length ? `> ${fmt(edges[i - 1]!)}` : `(${fmt(edges[i - 1]!)}, ${fmt(edges[i]!)}]`);
}

function histLabels(lo: number, hi: number): string[] {
  const w = (hi - lo) / HISTOGRAM_BINS;
  return Array.from({ length: HISTOGRAM_BINS }, (_, i) => String(Number((lo + i * w).toPrecision(4))));
}

/** Drift of one categorical column (one query). */
export async function categoricalDrift(engine: Engine, current: RelationSql, reference: RelationSql, column: string, signal?: CancelSignal): Promise<CategoricalDrift> {
  const rows = tableRows(await engine.query(categoryCountsSql(current, reference, column), { signal }));
  const labels = rows.map((r) => (r['k'] === null ? '(other)' : String(r['k'])));
  const cur = rows.map((r) => num(r['c1'])), ref = rows.map((r) => num(r['c2']));
  const chi = chi2Homogeneity(cur, ref);
  return {
    kind: 'categorical', column, n1: sum(cur), n2: sum(ref),
    chi2_statistic: chi.statistic, chi2_pvalue: chi.pvalue, chi2_dof: chi.dof,
    psi: psi(cur, ref), jensen_shannon: jensenShannon(cur, ref),
    bins: { labels, current: cur, reference: ref },
  };
}

/** The `vajra drift --json` document: exactly these keys per column. */
export interface DriftReport {
  columns: Record<string, NumericDriftEntry | CategoricalDriftEntry>;
}
export interface NumericDriftEntry { ks_statistic: number; ks_pvalue: number; wasserstein: number; psi: number; jensen_shannon: number }
export interface CategoricalDriftEntry { chi2_statistic: number; chi2_pvalue: number; psi: number; jensen_shannon: number }

/**
 * Drift of `columns` (default: every column present in both, in the current's order) between two
 * relations. Numeric by DuckDB type of the current relation; everything else is categorical.
 */
export async function driftReport(engine: Engines, current: RelationSql, reference: RelationSql, columns?: readonly string[], signal?: CancelSignal, progress?: ProgressSink): Promise<DriftReport> {
  const details = await columnDrifts(engine, current, reference, columns, DEFAULT_DRIFT_BINS, signal, progress);
  const out: DriftReport = { columns: {} };
  for (const d of details) {
    out.columns[d.column] = d.kind === 'numeric'
      ? { ks_statistic: d.ks_statistic, ks_pvalue: d.ks_pvalue, wasserstein: d.wasserstein, psi: d.psi, jensen_shannon: d.jensen_shannon }
      : { chi2_statistic: d.chi2_statistic, chi2_pvalue: d.chi2_pvalue, psi: d.psi, jensen_shannon: d.jensen_shannon };
  }
  return out;
}

/**
 * Full drift statistics of `columns` (see `driftReport`), in the requested order. `progress`
 * counts columns done; cancelling `signal` interrupts the running query. Several `engines`
 * (connections to one database) compute numeric columns side by side.
 */
export async function columnDrifts(engines: Engines, current: RelationSql, reference: RelationSql, columns: readonly string[] | undefined, bins = DEFAULT_DRIFT_BINS, signal?: CancelSignal, progress?: ProgressSink): Promise<ColumnDrift[]> {
  const engine = enginesOf(engines)[0]!;
  const curCols = await describeRelation(engine, current, signal);
  const refNames = new Set((await describeRelation(engine, reference, signal)).map((c) => c.name));
  const wanted = columns ?? curCols.map((c) => c.name).filter((n) => refNames.has(n));
  const typeOf = new Map(curCols.map((c) => [c.name, c.type]));
  for (const name of wanted) {
    if (!typeOf.has(name)) throw new Error(`Column ${JSON.stringify(name)} is not in the current table.`);
    if (!refNames.has(name)) throw new Error(`Column ${JSON.stringify(name)} is not in the reference table.`);
  }
  const numeric = wanted.filter((n) => isNumericType(typeOf.get(n)!));
  const step: ProgressSink | undefined = progress && ((p) => progress({ ...p, total: wanted.length }));
  const byName = new Map<string, ColumnDrift>((await numericDrift(engines, current, reference, numeric, bins, signal, step)).map((d) => [d.column, d]));
  for (const name of wanted) {
    if (byName.has(name)) continue;
    throwIfAborted(signal);
    byName.set(name, await categoricalDrift(engine, current, reference, name, signal));
    progress?.({ done: byName.size, total: wanted.length, message: `Drift of ${name}` });
  }
  return wanted.map((n) => byName.get(n)!);
}
