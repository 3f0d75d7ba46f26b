/**
 * Drift of columns between a current and a reference relation, over the full data in DuckDB.
 * Numeric columns: exact KS (+ scipy p-value), exact Wasserstein-1, PSI and Jensen–Shannon on the
 * reference's quantile bins, Welch's t-test and std ratio. Categorical columns: χ² test of
 * homogeneity, PSI and Jensen–Shannon on categories.
 *
 * Numeric PSI/JS bins are the reference's deciles: exact up to 1M reference values, DuckDB's
 * approx_quantile above (bin counts stay exact).
 * Epsilon: PSI replaces an empty bin's proportion by 1e-4 in both samples (the usual convention:
 * an empty bin adds a large but finite term). Jensen–Shannon needs no epsilon (0·log 0 = 0).
 */
import type { Engine } from '../data/engine';
import type { CancelSignal } from '../base/signal';
import { throwIfAborted } from '../base/errors';
import { profileKind } from '../data/profile';
import { ecdfDistances } from './ecdf-distance';
import { binCountsSql, categoryCountsSql, DEFAULT_DRIFT_BINS, describeSql, EXACT_QUANTILE_MAX_ROWS, HISTOGRAM_BINS, numericStatsSql, numericValue, quantilesSql, type BinSpec } from './drift-sql';
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

interface SideStats { n: number; mean: number; variance: number; lo: number; hi: number; quantiles: number[] }

function readStats(row: Record<string, Cell>, i: number): SideStats {
  const q = row[`q_${i}`];
  const quantiles = typeof q === 'string' ? (JSON.parse(q) as number[]) : [];
  return { n: num(row[`n_${i}`]), mean: num(row[`mean_${i}`]), variance: num(row[`var_${i}`]), lo: num(row[`lo_${i}`]), hi: num(row[`hi_${i}`]), quantiles };
}

function countsFor(rows: Record<string, Cell>[], key: string, size: number): { current: number[]; reference: number[] } {
  const current = new Array<number>(size).fill(0), reference = new Array<number>(size).fill(0);
  for (const r of rows) {
    const cell = r[key];
    if (typeof cell !== 'string') continue;
    const target = num(r['s']) === 0 ? current : reference;
    for (const [bin, count] of Object.entries(JSON.parse(cell) as Record<string, number>)) {
      if (Number(bin) >= 0) target[Number(bin)]! += count;
    }
  }
  return { current, reference };
}

/** Drift of numeric `columns` (one stats query per side, one binning scan, exact ECDF per column). */
export async function numericDrift(engine: Engine, current: RelationSql, reference: RelationSql, columns: readonly string[], bins = DEFAULT_DRIFT_BINS, signal?: CancelSignal): Promise<NumericDrift[]> {
  if (columns.length === 0) return [];
  const curRow = tableRows(await engine.query(numericStatsSql(current, columns), { signal }))[0] ?? {};
  const refRow = tableRows(await engine.query(numericStatsSql(reference, columns), { signal }))[0] ?? {};
  const exact = columns.map((column, i) => ({ column, exact: num(refRow[`n_${i}`]) <= EXACT_QUANTILE_MAX_ROWS }));
  const qRow = tableRows(await engine.query(quantilesSql(reference, exact, bins), { signal }))[0] ?? {};
  const stats = columns.map((_, i) => [readStats(curRow, i), readStats({ ...refRow, [`q_${i}`]: qRow[`q_${i}`] ?? null }, i)] as const);
  const specs: BinSpec[] = columns.map((column, i) => {
    const [a, b] = stats[i]!;
    const edges = [...new Set(b.quantiles)].sort((x, y) => x - y);
    return { column, edges, lo: finiteMin(a.lo, b.lo), hi: finiteMax(a.hi, b.hi) };
  });
  const binRows = tableRows(await engine.query(binCountsSql(current, reference, specs), { signal }));
  const out: NumericDrift[] = [];
  for (let i = 0; i < columns.length; i++) {
    throwIfAborted(signal);
    const [a, b] = stats[i]!;
    const spec = specs[i]!;
    const distances = await ecdfDistances(engine, { current, reference, value: numericValue(spec.column), n1: a.n, n2: b.n, lo: spec.lo, hi: spec.hi }, signal);
    const ks = ksTwoSample(distances.ks, a.n, b.n);
    const quant = countsFor(binRows, `b_${i}`, spec.edges.length + 1);
    const hist = countsFor(binRows, `h_${i}`, HISTOGRAM_BINS);
    const welch = welchTTest(a.mean, a.variance, a.n, b.mean, b.variance, b.n);
    out.push({
      kind: 'numeric', column: spec.column, n1: a.n, n2: b.n,
      ks_statistic: ks.statistic, ks_pvalue: ks.pvalue, wasserstein: distances.wasserstein,
      psi: psi(quant.current, quant.reference), jensen_shannon: jensenShannon(quant.current, quant.reference),
      welch_statistic: welch.statistic, welch_pvalue: welch.pvalue,
      mean: [a.mean, b.mean], std: [Math.sqrt(a.variance), Math.sqrt(b.variance)],
      bins: { ...quant, edges: [...spec.edges], labels: binLabels(spec.edges) },
      histogram: { ...hist, lo: spec.lo, hi: spec.hi, labels: histLabels(spec.lo, spec.hi) },
    });
  }
  return out;
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
export async function driftReport(engine: Engine, current: RelationSql, reference: RelationSql, columns?: readonly string[], signal?: CancelSignal): Promise<DriftReport> {
  const details = await columnDrifts(engine, current, reference, columns, DEFAULT_DRIFT_BINS, signal);
  const out: DriftReport = { columns: {} };
  for (const d of details) {
    out.columns[d.column] = d.kind === 'numeric'
      ? { ks_statistic: d.ks_statistic, ks_pvalue: d.ks_pvalue, wasserstein: d.wasserstein, psi: d.psi, jensen_shannon: d.jensen_shannon }
      : { chi2_statistic: d.chi2_statistic, chi2_pvalue: d.chi2_pvalue, psi: d.psi, jensen_shannon: d.jensen_shannon };
  }
  return out;
}

/** Full drift statistics of `columns` (see `driftReport`), in the requested order. */
export async function columnDrifts(engine: Engine, current: RelationSql, reference: RelationSql, columns: readonly string[] | undefined, bins = DEFAULT_DRIFT_BINS, signal?: CancelSignal): Promise<ColumnDrift[]> {
  const curCols = await describeRelation(engine, current, signal);
  const refNames = new Set((await describeRelation(engine, reference, signal)).map((c) => c.name));
  const wanted = columns ?? curCols.map((c) => c.name).filter((n) => refNames.has(n));
  const typeOf = new Map(curCols.map((c) => [c.name, c.type]));
  for (const name of wanted) {
    if (!typeOf.has(name)) throw new Error(`Column ${JSON.stringify(name)} is not in the current table.`);
    if (!refNames.has(name)) throw new Error(`Column ${JSON.stringify(name)} is not in the reference table.`);
  }
  const numeric = wanted.filter((n) => isNumericType(typeOf.get(n)!));
  const byName = new Map<string, ColumnDrift>((await numericDrift(engine, current, reference, numeric, bins, signal)).map((d) => [d.column, d]));
  for (const name of wanted) {
    if (!byName.has(name)) byName.set(name, await categoricalDrift(engine, current, reference, name, signal));
  }
  return wanted.map((n) => byName.get(n)!);
}
