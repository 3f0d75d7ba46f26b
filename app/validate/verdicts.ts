/**
 * Pure verdicts: turn observed numbers (from the aggregate query, the schema or drift statistics)
 * into pass/fail with a short human message and the observed values.
 */
import type { ColumnDrift } from './drift';
import { num, type Cell } from './sql-util';
import type { Expectation } from './suite';

/** Verdict of one expectation, without its identity. */
export interface Verdict {
  status: 'pass' | 'fail' | 'error';
  message: string;
  observed: Record<string, number | string | boolean | null>;
}

const fmt = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x));

function verdict(ok: boolean, message: string, observed: Verdict['observed']): Verdict {
  return { status: ok ? 'pass' : 'fail', message, observed };
}

function bounds(min: number | undefined, max: number | undefined, strictMin = false, strictMax = false): string {
  const lo = min === undefined ? '' : `${strictMin ? '>' : '≥'} ${min}`;
  const hi = max === undefined ? '' : `${strictMax ? '<' : '≤'} ${max}`;
  return [lo, hi].filter(Boolean).join(' and ') || 'any';
}

/** Schema and row-count expectations. */
export function evaluateTableLevel(e: Expectation, schema: readonly { name: string; type: string }[], rowCount: number): Verdict {
  if (e.kind === 'columns') {
    const actual = schema.map((c) => c.name);
    const ok = e.ordered
      ? actual.length === e.columns.length && actual.every((c, i) => c === e.columns[i])
      : actual.length === e.columns.length && e.columns.every((c) => actual.includes(c));
    const missing = e.columns.filter((c) => !actual.includes(c)), extra = actual.filter((c) => !e.columns.includes(c));
    const detail = ok ? 'columns match' : [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `unexpected ${extra.join(', ')}` : '', !missing.length && !extra.length ? 'order differs' : ''].filter(Boolean).join('; ');
    return verdict(ok, detail, { columns: actual.join(', ') });
  }
  if (e.kind === 'column_type') {
    const type = schema.find((c) => c.name === e.column)?.type ?? '';
    return verdict(type.toUpperCase() === e.type.toUpperCase(), `type is ${type}, expected ${e.type}`, { type });
  }
  if (e.kind === 'row_count') {
    const ok = (e.min === undefined || rowCount >= e.min) && (e.max === undefined || rowCount <= e.max);
    return verdict(ok, `${rowCount} rows, expected ${bounds(e.min, e.max)}`, { row_count: rowCount });
  }
  return { status: 'error', message: `${e.kind} is not a table-level expectation`, observed: {} };
}

/** Row-level expectations from the aggregate row (`f_i`, `lo_i`, `hi_i`) and the row count `n`. */
export function evaluateRowLevel(e: Expectation, i: number, agg: Record<string, Cell>, n: number): Verdict {
  const failing = num(agg[`f_${i}`] ?? 0);
  const observed: Verdict['observed'] = { failing, rows: n, failing_fraction: n ? failing / n : 0 };
  switch (e.kind) {
    case 'not_null':
      return verdict(failing === 0, `${failing} null values`, { nulls: failing, rows: n });
    case 'null_fraction': {
      const fraction = n ? failing / n : 0;
      return verdict(fraction <= e.max, `null fraction ${fmt(fraction)}, expected ≤ ${e.max}`, { nulls: failing, rows: n, null_fraction: fraction });
    }
    case 'unique':
      return verdict(failing === 0, `${failing} duplicate values`, { duplicates: failing, rows: n });
    case 'range':
    case 'length': {
      const lo = agg[`lo_${i}`] ?? null, hi = agg[`hi_${i}`] ?? null;
      const what = e.kind === 'range' ? 'values' : 'lengths';
      const strict = e.kind === 'range' ? [e.strictMin, e.strictMax] as const : [false, false] as const;
      return verdict(failing === 0, `${failing} rows outside ${bounds(e.min, e.max, ...strict)} (${what} ${lo ?? '–'} … ${hi ?? '–'})`, { ...observed, min: lo, max: hi });
    }
    case 'in_set':
    case 'regex':
    case 'column_pair':
      return verdict(failing === 0, `${failing} offending rows`, observed);
    default:
      return { status: 'error', message: `${e.kind} is not a row-level expectation`, observed: {} };
  }
}

function testVerdict(name: string, statistic: number, pvalue: number, e: { minPValue?: number | undefined; maxStatistic?: number | undefined }): Verdict {
  const ok = (e.minPValue === undefined || pvalue >= e.minPValue) && (e.maxStatistic === undefined || statistic <= e.maxStatistic);
  const limits = [e.minPValue !== undefined ? `p ≥ ${e.minPValue}` : '', e.maxStatistic !== undefined ? `statistic ≤ ${e.maxStatistic}` : ''].filter(Boolean).join(', ');
  return verdict(ok, `${name} statistic ${fmt(statistic)}, p = ${fmt(pvalue)} (expected ${limits})`, { statistic, pvalue });
}

/** Statistical expectations from a column's drift statistics. */
export function evaluateStatistical(e: Expectation, d: ColumnDrift): Verdict {
  const max = (name: string, value: number, limit: number, key: string) =>
    verdict(value <= limit, `${name} ${fmt(value)}, expected ≤ ${limit}`, { [key]: value });
  switch (e.kind) {
    case 'ks':
      return d.kind === 'numeric' ? testVerdict('KS', d.ks_statistic, d.ks_pvalue, e) : wrongKind(e.kind);
    case 'chi2':
      return d.kind === 'categorical' ? testVerdict('χ²', d.chi2_statistic, d.chi2_pvalue, e) : wrongKind(e.kind);
    case 'psi':
      return max('PSI', d.psi, e.max, 'psi');
    case 'jensen_shannon':
      return max('Jensen–Shannon distance', d.jensen_shannon, e.max, 'jensen_shannon');
    case 'wasserstein':
      return d.kind === 'numeric' ? max('Wasserstein distance', d.wasserstein, e.max, 'wasserstein') : wrongKind(e.kind);
    case 'mean_shift':
      if (d.kind !== 'numeric') return wrongKind(e.kind);
      return verdict(d.welch_pvalue >= e.minPValue, `means ${fmt(d.mean[0])} vs ${fmt(d.mean[1])}, Welch p = ${fmt(d.welch_pvalue)} (expected ≥ ${e.minPValue})`,
        { mean: d.mean[0], reference_mean: d.mean[1], statistic: d.welch_statistic, pvalue: d.welch_pvalue });
    case 'std_shift': {
      if (d.kind !== 'numeric') return wrongKind(e.kind);
      const ratio = Math.max(d.std[0] / d.std[1], d.std[1] / d.std[0]);
      return verdict(ratio <= e.maxRatio, `std ${fmt(d.std[0])} vs ${fmt(d.std[1])}, ratio ${fmt(ratio)} (expected ≤ ${e.maxRatio})`,
        { std: d.std[0], reference_std: d.std[1], ratio });
    }
    default:
      return { status: 'error', message: `${e.kind} is not a statistical expectation`, observed: {} };
  }
}

function wrongKind(kind: string): Verdict {
  return { status: 'error', message: `${kind} does not apply to this column type`, observed: {} };
}
