import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../app/data/engine';
import { m4Sql, pickLevel, shapeM4 } from '../../../app/labels/downsample';
import { NativeDatabase } from '../data/native-engine';
import { SeriesPyramid } from './series-pyramid';
import type { ResolvedSeries } from './series-sql';

let db: NativeDatabase;
let engine: Engine;
const rows = 800_000;
const series: ResolvedSeries = { relation: 's', timeColumn: 't', timeKind: 'number', valueColumns: ['v', 'w'] };

beforeAll(async () => {
  db = await NativeDatabase.open();
  engine = await db.connect();
  await engine.exec(`CREATE TABLE s AS SELECT i * 0.5 AS t, sin(i / 3000.0) * 10 + (hash(i) % 100) / 100.0 + CASE WHEN i = 512345 THEN 99 ELSE 0 END AS v, cos(i / 900.0) AS w FROM range(${rows}) r(i)`);
});
afterAll(async () => {
  await engine.close();
  db.close();
});

describe('SeriesPyramid', () => {
  it('SeriesPyramid.build(800k rows) makes 16×-apart levels; a zoomed-out window equals the same columns computed from the rows', async () => {
    const pyramid = await SeriesPyramid.build(engine, series, 't1', { minBuckets: 1000 });
    expect(pyramid.levels.map((l) => l.buckets)).toEqual([50_000, 3125]);
    const [from, to, pixels] = [1000, 350_000, 2000];
    const request = { from, to, pixels, valueColumns: series.valueColumns };
    const fast = shapeM4(await pyramid.window(engine, from, to, pixels), request);
    expect(fast.buckets).toBeLessThanOrEqual(pixels);
    // The same columns straight from the rows: level bucket b = floor((x − origin)/width), column = b // k.
    const level = pyramid.levels[0]!;
    expect(pickLevel(pyramid.levels, from, to, pixels)).toBe(level);
    const k = Math.ceil((to - from) / level.width / (pixels - 1));
    const first = Math.floor((from - level.origin) / level.width);
    const last = Math.floor((to - level.origin) / level.width);
    const raw = await engine.query(`SELECT b // ${k} AS c, min(v) AS lo, max(v) AS hi, arg_min(w, t) AS wf, count(*)::DOUBLE AS n FROM (SELECT floor((t - ${level.origin}) / ${level.width})::BIGINT AS b, t, v, w FROM s) WHERE b BETWEEN ${first} AND ${last} GROUP BY c ORDER BY c`);
    const rawRows = raw.toArray().map((r) => r.toJSON());
    expect(fast.buckets).toBe(rawRows.length);
    rawRows.forEach((r, i) => {
      expect([fast.channels[0]!.min[i], fast.channels[0]!.max[i], fast.channels[1]!.first[i], fast.count[i]]).toEqual([r.lo, r.hi, r.wf, r.n]);
    });
    expect(Math.max(...fast.channels[0]!.max)).toBeGreaterThan(99);
  });

  it('pyramid.window(whole series, 500 px) reads the coarse level (built from the fine one) and keeps the spike and the row count', async () => {
    const pyramid = await SeriesPyramid.build(engine, series, 't3', { minBuckets: 1000 });
    const [from, to, pixels] = [0, rows / 2, 500];
    expect(pickLevel(pyramid.levels, from, to, pixels)).toBe(pyramid.levels[1]);
    const w = shapeM4(await pyramid.window(engine, from, to, pixels), { from, to, pixels, valueColumns: series.valueColumns });
    expect(w.count.reduce((a, b) => a + b, 0)).toBe(rows);
    expect(Math.max(...w.channels[0]!.max)).toBeGreaterThan(99);
    expect(w.channels[1]!.first[0]).toBe(1);
  });

  it('pyramid.window(zoomed in) reads the raw rows: exactly the m4Sql window', async () => {
    const pyramid = await SeriesPyramid.build(engine, series, 't2');
    const [from, to, pixels] = [200_000, 201_000, 1000];
    const request = { from, to, pixels, valueColumns: series.valueColumns };
    const got = shapeM4(await pyramid.window(engine, from, to, pixels), request);
    const raw = shapeM4(await engine.query(m4Sql({ ...series, from, to, pixels })), request);
    expect(got).toEqual(raw);
  });
});
