/**
 * Two-sample Kolmogorov–Smirnov p-value, matching `scipy.stats.ks_2samp(a, b)` of scipy 1.10
 * (two-sided, method='auto'). The statistic itself is computed in SQL (drift-sql.ts); this file
 * turns (d, n1, n2) into scipy's statistic and p-value.
 */
import { kolmogorovSf } from './kolmogorov';

/** scipy's cut-off for method='auto': exact when both samples have at most this many values. */
export const KS_MAX_EXACT_N = 10_000;

/** Result of the two-sample KS test; `method` says which of scipy's paths produced `pvalue`. */
export interface KsTestResult {
  /** The statistic as scipy reports it (snapped to the lattice h/lcm(n1, n2) on the exact path). */
  statistic: number;
  pvalue: number;
  method: 'exact' | 'asymp';
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** numpy's round: half to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** P(D ≥ h/n) for equal sample sizes n (scipy `_compute_prob_outside_square`). */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/**
 * Proportion of lattice paths from (0,0) to (m,n) leaving |x/m − y/n| < h/lcm — the exact
 * two-sided p-value (scipy `_compute_outer_prob_inside_method`, Viehmann's stable recursion).
 */
function probOutsideBand(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 >= n0 ? [m0, n0] : [n0, m0];
  const mg = m / g, ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const A = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj, lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1]!;
}

function exactTest(d: number, n1: number, n2: number): KsTestResult | undefined {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const statistic = h / lcm;
  if (h === 0) return { statistic, pvalue: 1, method: 'exact' };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
  if (!(p >= 0 && p <= 1)) return undefined;
  return { statistic, pvalue: p, method: 'exact' };
}

/**
 * Two-sided two-sample KS test from the statistic `d` = max |F₁ − F₂| and the sample sizes
 * (non-null counts, both ≥ 1): scipy's exact path when max(n1, n2) ≤ 10 000, else the
 * asymptotic `kstwo.sf(d, round(n1·n2/(n1+n2)))`.
 */
export function ksTwoSample(d: number, n1: number, n2: number): KsTestResult {
  if (!(n1 >= 1 && n2 >= 1)) return { statistic: Number.NaN, pvalue: Number.NaN, method: 'asymp' };
  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    const exact = exactTest(d, n1, n2);
    if (exact) return exact;
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  const p = kolmogorovSf(roundHalfEven(en), d);
  return { statistic: d, pvalue: p < 0 ? 0 : p > 1 ? 1 : p, method: 'asymp' };
}
