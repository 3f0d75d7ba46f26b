import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kolmogorovSf, smirnovSf } from './kolmogorov';
import { ksTwoSample } from './ks-test';
import { chi2Sf, studentTSf, welchTTest } from './special';

interface Fixtures {
  scipy_version: string;
  ks_2samp: { name: string; n1: number; n2: number; statistic: number; pvalue: number }[];
  kstwo_sf: { n: number; d: number; sf: number }[];
  chi2_sf: { x: number; df: number; sf: number }[];
  t_sf: { t: number; df: number; sf: number }[];
  welch: { a: number[]; b: number[]; statistic: number; pvalue: number }[];
}

const fx = JSON.parse(readFileSync(new URL('./fixtures/scipy-stats.json', import.meta.url), 'utf8')) as Fixtures;

function meanVar(xs: number[]): [number, number] {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return [mean, xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)];
}

describe('p-values against scipy ' + fx.scipy_version, () => {
  it('kolmogorovSf(n, d) matches scipy.stats.kstwo.sf over every method regime to 1e-9', () => {
    expect(fx.kstwo_sf.length).toBeGreaterThan(100);
    for (const c of fx.kstwo_sf) expect(Math.abs(kolmogorovSf(c.n, c.d) - c.sf), `n=${c.n} d=${c.d}`).toBeLessThan(1e-9);
  });

  it('ksTwoSample(d, n1, n2) matches ks_2samp p-values on the exact and asymptotic paths to 1e-12', () => {
    const methods = new Set<string>();
    for (const c of fx.ks_2samp) {
      const r = ksTwoSample(c.statistic, c.n1, c.n2);
      methods.add(r.method);
      expect(Math.abs(r.pvalue - c.pvalue), c.name).toBeLessThan(1e-12);
      expect(r.statistic).toBeCloseTo(c.statistic, 14);
    }
    expect([...methods].sort()).toEqual(['asymp', 'exact']);
  });

  it('smirnovSf(n, x) is the one-sided tail: 1 at 0, 0 at 1, and halves kstwo in the far tail', () => {
    expect(smirnovSf(50, 0)).toBe(1);
    expect(smirnovSf(50, 1)).toBe(0);
    expect(2 * smirnovSf(1000, 0.06)).toBeCloseTo(kolmogorovSf(1000, 0.06), 12);
  });

  it('chi2Sf(x, df) matches scipy.stats.chi2.sf to 1e-12 absolute', () => {
    for (const c of fx.chi2_sf) expect(Math.abs(chi2Sf(c.x, c.df) - c.sf), `x=${c.x} df=${c.df}`).toBeLessThan(1e-12);
  });

  it('studentTSf(t, df) matches scipy.stats.t.sf for integer and fractional df to 1e-9', () => {
    for (const c of fx.t_sf) expect(Math.abs(studentTSf(c.t, c.df) - c.sf), `t=${c.t} df=${c.df}`).toBeLessThan(1e-9);
  });

  it('welchTTest(...) matches scipy.stats.ttest_ind(equal_var=False) statistic and p-value to 1e-9', () => {
    for (const c of fx.welch) {
      const [m1, v1] = meanVar(c.a);
      const [m2, v2] = meanVar(c.b);
      const r = welchTTest(m1, v1, c.a.length, m2, v2, c.b.length);
      expect(Math.abs(r.statistic - c.statistic)).toBeLessThan(1e-9);
      expect(Math.abs(r.pvalue - c.pvalue)).toBeLessThan(1e-9);
    }
  });
});
