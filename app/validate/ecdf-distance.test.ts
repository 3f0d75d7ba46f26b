import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../data/engine';
import { CancelledError } from '../base/errors';
import { NativeDatabase } from '../../main/backend/data/native-engine';
import { columnDrifts, type NumericDrift } from './drift';
import { discreteQuantileRank } from './ecdf-walk';
import { num, tableRows } from './sql-util';

// Real DuckDB on a shared 2-core machine: allow for load (the file takes a few seconds when idle).
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const ROWS = 1_000_000;
let db: NativeDatabase;
let engine: Engine;

/**
 * Columns chosen to hit every path of the bucket walk: a drifted smooth column (mostly decided by
 * bucket sums), an undrifted one (D hugs 0, so most buckets straddle and are read), a heavily
 * skewed one with ties (dense buckets refined several levels) and a few-valued one with NaN.
 */
function tableSql(name: string, seed: number, shift: number): string {
  return `SELECT setseed(${seed}); CREATE OR REPLACE TABLE ${name} AS SELECT
    random() + random() + random() + ${shift} AS drifted,
    random() + random() AS same,
    round(exp(random() * random() * 16), 1) * (1 + ${shift}) AS skewed,
    CASE WHEN random() < 0.01 THEN 'nan'::DOUBLE ELSE round(random() * 4 + ${shift}) END AS few
    FROM range(${ROWS})`;
}

beforeAll(async () => {
  db = await NativeDatabase.open();
  engine = await db.connect();
  await engine.exec(tableSql('cur', 0.25, 0.01));
  await engine.exec(tableSql('ref', 0.5, 0));
});
afterAll(async () => {
  await engine.close();
  db.close();
});

/** The plain exact computation: every distinct value of both samples in one global window. */
async function windowReference(column: string): Promise<{ ks: number; wasserstein: number; n1: number; n2: number }> {
  const side = (rel: string, s: number) => `SELECT ${column} AS x, ${s} AS s FROM ${rel} WHERE isfinite(${column})`;
  const n = async (rel: string) => num(tableRows(await engine.query(`SELECT count(*) AS n FROM ${rel} WHERE isfinite(${column})`))[0]!['n']);
  const n1 = await n('cur'), n2 = await n('ref');
  const sql = `WITH g AS (SELECT x, count(*) FILTER (WHERE s = 0) AS a, count(*) FILTER (WHERE s = 1) AS b
      FROM (${side('cur', 0)} UNION ALL ${side('ref', 1)}) GROUP BY x),
    w AS (SELECT sum(a) OVER o / ${n1} - sum(b) OVER o / ${n2} AS d, lead(x) OVER o - x AS dx FROM g
      WINDOW o AS (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))
    SELECT max(abs(d)) AS ks, fsum(abs(d) * coalesce(dx, 0)) AS w FROM w`;
  const row = tableRows(await engine.query(sql))[0]!;
  return { ks: num(row['ks']), wasserstein: num(row['w']), n1, n2 };
}

describe('ecdfSummary on 2M random rows', () => {
  it('columnDrifts(engine, cur, ref) equals the plain window-function SQL: KS bit for bit, Wasserstein to 1e-12, deciles = quantile_disc, exact bin counts', async () => {
    const columns = ['drifted', 'same', 'skewed', 'few'];
    const drifts = (await columnDrifts(engine, 'cur', 'ref', columns)) as NumericDrift[];
    for (const d of drifts) {
      const ref = await windowReference(d.column);
      expect([d.n1, d.n2]).toEqual([ref.n1, ref.n2]);
      expect(d.ks_statistic, d.column).toBe(ref.ks);
      expect(Math.abs(d.wasserstein - ref.wasserstein), d.column).toBeLessThanOrEqual(1e-12 * Math.max(1, ref.wasserstein));
      const q = tableRows(await engine.query(`SELECT CAST(quantile_disc(${d.column}, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) AS VARCHAR) AS q FROM ref WHERE isfinite(${d.column})`))[0]!;
      const edges = [...new Set(JSON.parse(String(q['q'])) as number[])];
      expect(d.bins.edges, d.column).toEqual(edges);
      const cuts = edges.map((e) => `count(*) FILTER (WHERE ${d.column} <= ${String(e)}) AS "${String(e)}"`).join(', ');
      for (const [rel, counts] of [['cur', d.bins.current], ['ref', d.bins.reference]] as const) {
        const row = tableRows(await engine.query(`SELECT ${cuts || 'count(*) AS none'}, count(*) AS n FROM ${rel} WHERE isfinite(${d.column})`))[0]!;
        const upTo = [...edges.map((e) => num(row[String(e)])), num(row['n'])];
        expect(counts, `${d.column} ${rel}`).toEqual(upTo.map((u, i) => u - (i ? upTo[i - 1]! : 0)));
      }
      expect(d.histogram.current.reduce((s, x) => s + x, 0)).toBe(d.n1);
    }
  });
});

describe('progress and cancellation', () => {
  it('columnDrifts(engine, cur, ref, columns, bins, signal, progress) reports each column, then stops with CancelledError once aborted', async () => {
    const seen: string[] = [];
    const all = await columnDrifts(engine, 'cur', 'ref', ['drifted', 'few'], 10, undefined, (p) => seen.push(`${p.done}/${p.total}`));
    expect(all).toHaveLength(2);
    expect(seen).toEqual(['0/2', '1/2', '2/2']);
    const abort = new AbortController();
    const steps: number[] = [];
    const run = columnDrifts(engine, 'cur', 'ref', ['drifted', 'same', 'skewed', 'few'], 10, abort.signal, (p) => {
      steps.push(p.done);
      if (p.done === 1) abort.abort();
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(Math.max(...steps)).toBe(1);
  });
});

describe('discreteQuantileRank', () => {
  it('discreteQuantileRank(n, p) picks the rank DuckDB quantile_disc picks for decimal literals', async () => {
    for (const n of [1, 2, 7, 10, 11, 999, 1001]) {
      for (const p of ['0.1', '0.25', '0.5', '0.7142857142857143', '0.9']) {
        const row = tableRows(await engine.query(`SELECT quantile_disc(x, ${p}) AS q FROM range(${n}) t(x)`))[0]!;
        expect(discreteQuantileRank(n, p), `${n} ${p}`).toBe(num(row['q']));
      }
    }
  });
});
