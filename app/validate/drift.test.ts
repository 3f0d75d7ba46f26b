import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../data/engine';
import { NativeDatabase } from '../../main/backend/data/native-engine';
import { chi2Homogeneity, columnDrifts, driftReport, jensenShannon, psi, type NumericDrift } from './drift';
import { ecdfDistances } from './ecdf-distance';

// Real DuckDB on a shared 2-core machine: allow for load (each test takes < 1 s when idle).
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

interface NumericCase {
  name: string; current: number[]; reference: number[];
  ks_statistic: number; ks_pvalue: number; wasserstein: number; psi: number; jensen_shannon: number;
  welch_statistic: number; welch_pvalue: number; mean_current: number; std_current: number;
}
interface Fixtures {
  numeric_drift: NumericCase[];
  categorical_drift: { current: string[]; reference: string[]; chi2_statistic: number; chi2_pvalue: number; psi: number; jensen_shannon: number }[];
  chi2_contingency: { current: number[]; reference: number[]; statistic: number; pvalue: number; dof: number }[];
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/scipy-stats.json', import.meta.url), 'utf8')) as Fixtures;

let db: NativeDatabase;
let engine: Engine;
beforeAll(async () => {
  db = await NativeDatabase.open();
  engine = await db.connect();
});
afterAll(async () => {
  await engine.close();
  db.close();
});

async function load(name: string, values: readonly (number | string)[]): Promise<void> {
  const list = values.map((v) => (typeof v === 'number' ? String(v) : `'${v}'`)).join(',');
  const cast = typeof values[0] === 'number' ? '::DOUBLE[]' : '';
  await engine.exec(`CREATE OR REPLACE TABLE ${name} AS SELECT unnest([${list}]${cast}) AS x`);
}

describe('drift against scipy', () => {
  it('columnDrifts(engine, cur, ref) gives scipy KS, Wasserstein, PSI, JS and Welch values to 1e-9 on numeric samples', async () => {
    for (const c of fx.numeric_drift) {
      await load('cur', c.current);
      await load('ref', c.reference);
      const [d] = (await columnDrifts(engine, 'cur', 'ref', ['x'])) as NumericDrift[];
      for (const key of ['ks_statistic', 'ks_pvalue', 'wasserstein', 'psi', 'jensen_shannon', 'welch_statistic', 'welch_pvalue'] as const) {
        expect(Math.abs(d![key] - c[key]), `${c.name} ${key}`).toBeLessThan(1e-9);
      }
      expect(d!.mean[0]).toBeCloseTo(c.mean_current, 12);
      expect(d!.std[0]).toBeCloseTo(c.std_current, 12);
      expect(d!.histogram.current.reduce((s, x) => s + x, 0)).toBe(c.current.length);
    }
  });

  it('driftReport(engine, cur, ref) on a text column gives chi2_contingency, PSI and JS in the CLI JSON shape', async () => {
    const c = fx.categorical_drift[0]!;
    await load('cur', c.current);
    await load('ref', c.reference);
    const report = await driftReport(engine, 'cur', 'ref');
    expect(Object.keys(report)).toEqual(['columns']);
    const x = report.columns['x']!;
    expect(Object.keys(x)).toEqual(['chi2_statistic', 'chi2_pvalue', 'psi', 'jensen_shannon']);
    if (!('chi2_statistic' in x)) throw new Error('expected categorical drift');
    expect(Math.abs(x.chi2_statistic - c.chi2_statistic)).toBeLessThan(1e-9);
    expect(Math.abs(x.chi2_pvalue - c.chi2_pvalue)).toBeLessThan(1e-12);
    expect(Math.abs(x.psi - c.psi)).toBeLessThan(1e-12);
    expect(Math.abs(x.jensen_shannon - c.jensen_shannon)).toBeLessThan(1e-12);
  });

  it('chi2Homogeneity(cur, ref) matches chi2_contingency(correction=False) on 2×k tables', () => {
    for (const c of fx.chi2_contingency) {
      const r = chi2Homogeneity(c.current, c.reference);
      expect(r.dof).toBe(c.dof);
      expect(Math.abs(r.statistic - c.statistic)).toBeLessThan(1e-9);
      expect(Math.abs(r.pvalue - c.pvalue)).toBeLessThan(1e-12);
    }
  });

  it('psi and jensenShannon are 0 for identical proportions and grow with the shift', () => {
    expect(psi([10, 20, 30], [20, 40, 60])).toBeCloseTo(0, 15);
    expect(jensenShannon([10, 20, 30], [20, 40, 60])).toBeCloseTo(0, 7);
    expect(psi([30, 20, 10], [10, 20, 30])).toBeGreaterThan(psi([25, 20, 15], [10, 20, 30]));
    expect(jensenShannon([1, 0], [0, 1])).toBeCloseTo(1, 12);
  });
});

describe('ecdfDistances on larger data', () => {
  it('ecdfDistances(engine, input) equals a direct sort-based computation on 300k skewed rows with ties', async () => {
    await engine.exec(`CREATE OR REPLACE TABLE big_a AS SELECT CASE WHEN i % 2 = 0 THEN 0 ELSE exp((i * 7919 % 100003) / 10000.0) END AS x FROM range(150000) t(i);
      CREATE OR REPLACE TABLE big_b AS SELECT CASE WHEN i % 3 = 0 THEN 0 ELSE exp((i * 104729 % 99991) / 10100.0) END AS x FROM range(160000) t(i);`);
    const a = (await engine.query('SELECT x FROM big_a ORDER BY x')).getChild('x')!.toArray() as Float64Array;
    const b = (await engine.query('SELECT x FROM big_b ORDER BY x')).getChild('x')!.toArray() as Float64Array;
    let i = 0, j = 0, ks = 0, w = 0;
    while (i < a.length || j < b.length) {
      const x = Math.min(i < a.length ? a[i]! : Infinity, j < b.length ? b[j]! : Infinity);
      while (i < a.length && a[i] === x) i++;
      while (j < b.length && b[j] === x) j++;
      const d = i / a.length - j / b.length;
      const next = Math.min(i < a.length ? a[i]! : Infinity, j < b.length ? b[j]! : Infinity);
      ks = Math.max(ks, Math.abs(d));
      if (Number.isFinite(next)) w += Math.abs(d) * (next - x);
    }
    const hi = Math.max(a[a.length - 1]!, b[b.length - 1]!);
    const r = await ecdfDistances(engine, { current: 'big_a', reference: 'big_b', value: 'x', lo: 0, hi });
    expect(r.ks).toBe(ks);
    expect(Math.abs(r.wasserstein - w) / w).toBeLessThan(1e-10);
  });
});
