import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../app/data/engine';
import { shapeM4 } from '../../../app/labels/downsample';
import { NativeDatabase } from '../data/native-engine';
import { PyramidCache, seriesFingerprint } from './pyramid-cache';
import type { SeriesPyramid } from './series-pyramid';
import type { ResolvedSeries } from './series-sql';

let db: NativeDatabase;
let engine: Engine;
let dir: string;
const series: ResolvedSeries = { relation: 's', timeColumn: 't', timeKind: 'number', valueColumns: ['v'] };
const limits = { minRows: 1000, minBuckets: 100 };

beforeAll(async () => {
  db = await NativeDatabase.open();
  engine = await db.connect();
  dir = await mkdtemp(join(tmpdir(), 'vajra-pyramid-'));
  await engine.exec('CREATE TABLE s AS SELECT i::DOUBLE AS t, sin(i / 100.0) AS v FROM range(40000) r(i)');
});
afterAll(async () => {
  await engine.close();
  db.close();
  await rm(dir, { recursive: true, force: true });
});

async function total(pyramid: SeriesPyramid, s: ResolvedSeries, to: number): Promise<{ rows: number; max: number }> {
  const w = shapeM4(await pyramid.window(engine, 0, to, 200), { from: 0, to, pixels: 200, valueColumns: s.valueColumns });
  return { rows: w.count.reduce((a, b) => a + b, 0), max: Math.max(...w.channels[0]!.max) };
}

async function levelTables(): Promise<string[]> {
  const t = await engine.query("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'm4_%' ORDER BY 1");
  return t.toArray().map((r) => String(r.toJSON()['table_name']));
}

describe('PyramidCache', () => {
  it('seriesFingerprint(table) is the same for the same rows and moves on an insert or a value update', async () => {
    const a = await seriesFingerprint(engine, series);
    expect(await seriesFingerprint(engine, series)).toBe(a);
    await engine.exec('CREATE TABLE f AS SELECT * FROM s');
    const f = { ...series, relation: 'f' };
    expect(await seriesFingerprint(engine, f)).toBe(a);
    await engine.exec('UPDATE f SET v = v + 1e-9 WHERE t = 1234');
    expect(await seriesFingerprint(engine, f)).not.toBe(a);
  });

  it('cache.get(table) reuses the pyramid while the rows stay, and rebuilds it (dropping the old levels) after an insert and after an update', async () => {
    let clock = 0;
    const cache = new PyramidCache(engine, { recheckMs: 100, now: () => clock, limits });
    const first = await cache.get('s', series);
    expect(first.levels.length).toBeGreaterThan(0);
    expect(await total(first, series, 60_000)).toMatchObject({ rows: 40_000 });
    clock = 500;
    expect(await cache.get('s', series)).toBe(first);
    await cache.settled();
    expect(await cache.get('s', series)).toBe(first);
    expect(cache.builds).toBe(1);

    await engine.exec('INSERT INTO s SELECT i::DOUBLE, sin(i / 100.0) FROM range(40000, 50000) r(i)');
    clock = 550; // within recheckMs: not checked yet
    expect(await cache.get('s', series)).toBe(first);
    clock = 1000;
    await cache.get('s', series);
    await cache.settled();
    const second = await cache.get('s', series);
    expect(second).not.toBe(first);
    expect(await total(second, series, 60_000)).toMatchObject({ rows: 50_000 });
    expect(await levelTables()).toEqual(second.levels.map((l) => l.table.replaceAll('"', '')).sort());

    await engine.exec('UPDATE s SET v = 42 WHERE t = 777');
    clock = 2000;
    await cache.get('s', series);
    await cache.settled();
    const third = await cache.get('s', series);
    expect(third).not.toBe(second);
    expect((await total(third, series, 60_000)).max).toBe(42);
    expect(cache.builds).toBe(3);
  });

  it('cache.get(file) answers from a rebuilt pyramid as soon as the file is rewritten (size/mtime)', async () => {
    const path = join(dir, 'series.csv');
    const csv = (n: number) => `t,v\n${Array.from({ length: n }, (_, i) => `${i},${i === n - 1 ? 99 : Math.sin(i / 50)}`).join('\n')}\n`;
    await writeFile(path, csv(5000));
    const file: ResolvedSeries = { ...series, relation: `read_csv('${path}')` };
    let clock = 0;
    const cache = new PyramidCache(engine, { recheckMs: 10, now: () => clock, limits: { minRows: 100, minBuckets: 20 } });
    const first = await cache.get('f', file, path);
    expect(await total(first, file, 10_000)).toEqual({ rows: 5000, max: 99 });
    await writeFile(path, csv(7000));
    clock = 100;
    const second = await cache.get('f', file, path);
    expect(second).not.toBe(first);
    expect(await total(second, file, 10_000)).toEqual({ rows: 7000, max: 99 });
  });
});
