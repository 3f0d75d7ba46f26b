import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeDatabase } from '../../main/backend/data/native-engine';
import type { Engine } from '../data/engine';
import { createRng } from '../base/rng';
import { extentSql, m4Sql, shapeM4, type M4Request, type SeriesWindow } from './downsample';

let db: NativeDatabase;
let engine: Engine;
const n = 20_000;
const t0 = Date.UTC(2024, 0, 1);
const stepMs = 60_000;
const xs: number[] = [];
const vs: number[] = [];

beforeAll(async () => {
  db = await NativeDatabase.open();
  engine = await db.connect();
  const rng = createRng(7);
  for (let i = 0; i < n; i++) {
    xs.push(t0 + i * stepMs);
    // Dyadic values survive the SQL literal exactly, so buckets compare with toEqual.
    vs.push(i === 12_345 ? 1000 : Math.round((Math.sin(i / 300) * 10 + rng.next()) * 1024) / 1024);
  }
  const rows = xs.map((x, i) => `(epoch_ms(${x}::BIGINT), ${i}, ${vs[i]})`).join(',');
  await engine.exec(`CREATE TABLE s(ts TIMESTAMP, i INTEGER, v DOUBLE); INSERT INTO s VALUES ${rows}`);
});
afterAll(async () => {
  await engine.close();
  db.close();
});

/** The same buckets computed point by point in JS. */
function bruteForce(x: number[], v: number[], from: number, to: number, pixels: number) {
  const buckets = new Map<number, { xFirst: number; xLast: number; n: number; min: number; max: number; first: number; last: number }>();
  for (let i = 0; i < x.length; i++) {
    if (x[i]! < from || x[i]! > to) continue;
    const px = Math.min(pixels - 1, Math.max(0, Math.floor((x[i]! - from) * (pixels / (to - from)))));
    const b = buckets.get(px);
    if (!b) buckets.set(px, { xFirst: x[i]!, xLast: x[i]!, n: 1, min: v[i]!, max: v[i]!, first: v[i]!, last: v[i]! });
    else Object.assign(b, { xLast: x[i]!, n: b.n + 1, min: Math.min(b.min, v[i]!), max: Math.max(b.max, v[i]!), last: v[i]! });
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]);
}

async function window(request: M4Request): Promise<SeriesWindow> {
  return shapeM4(await engine.query(m4Sql(request)), request);
}

describe('m4Sql(request) + shapeM4(table, request)', () => {
  it('m4Sql(timestamp series, 300 px) equals per-pixel first/last/min/max computed point by point', async () => {
    const from = t0 + 1000 * stepMs + 17;
    const to = t0 + 15_000 * stepMs;
    const w = await window({ relation: 's', timeColumn: 'ts', timeKind: 'timestamp', valueColumns: ['v'], from, to, pixels: 300 });
    const expected = bruteForce(xs, vs, from, to, 300);
    expect(w.buckets).toBe(expected.length);
    expected.forEach(([px, b], k) => {
      expect(w.px[k]).toBe(px);
      expect([w.xFirst[k], w.xLast[k], w.count[k]]).toEqual([b.xFirst, b.xLast, b.n]);
      const c = w.channels[0]!;
      expect([c.min[k], c.max[k], c.first[k], c.last[k]]).toEqual([b.min, b.max, b.first, b.last]);
    });
    expect(Math.max(...w.channels[0]!.max)).toBe(1000);
  });

  it('m4Sql(numeric x, two channels) keeps every row exactly once across buckets', async () => {
    const w = await window({ relation: 's', timeColumn: 'i', timeKind: 'number', valueColumns: ['v', 'i'], from: 0, to: n - 1, pixels: 1000 });
    expect(w.count.reduce((a, b) => a + b, 0)).toBe(n);
    expect(w.channels[1]!.first[0]).toBe(0);
    expect(w.channels[1]!.last[w.buckets - 1]).toBe(n - 1);
    expect(w.buckets).toBe(1000);
  });

  it('m4Sql(request) rejects an empty range and too many pixels', () => {
    const base: M4Request = { relation: 's', timeColumn: 'i', timeKind: 'number', valueColumns: ['v'], from: 5, to: 5, pixels: 10 };
    expect(() => m4Sql(base)).toThrow(/from < to/);
    expect(() => m4Sql({ ...base, to: 6, pixels: 100_000 })).toThrow(/pixels/);
  });

  it('extentSql(relation, ts, timestamp) gives the first and last epoch ms and the row count', async () => {
    const t = await engine.query(extentSql('s', 'ts', 'timestamp'));
    const row = t.get(0)!.toJSON();
    expect([row.x_min, row.x_max, row.n]).toEqual([t0, t0 + (n - 1) * stepMs, n]);
  });
});
