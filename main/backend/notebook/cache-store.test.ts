import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeDatabase } from '../data/native-engine';
import { CACHE_FOLDER, fingerprints, NotebookCache } from './cache-store';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vajra-nb-cache-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('NotebookCache', () => {
  it('write(entry) then read(keys) returns exactly the stored entries, one file per key', async () => {
    const cache = new NotebookCache(dir);
    const key = 'ab'.repeat(32);
    await cache.write({ key, output: '{"output":{"kind":"statement"},"ms":1}' });
    expect(await cache.read([key, 'cd'.repeat(32), 'not-a-key'])).toEqual([{ key, output: '{"output":{"kind":"statement"},"ms":1}' }]);
    expect(await readdir(join(dir, CACHE_FOLDER, 'ab'))).toEqual([`${key}.json`]);
    await expect(cache.write({ key: '../escape', output: '' })).rejects.toThrow(/not a cache key/);
  });

  it('fingerprints(files, tables) change when a file changes and know files behind workspace views', async () => {
    await writeFile(join(dir, 'a.csv'), 'x\n1\n');
    const db = await NativeDatabase.open(':memory:');
    const engine = await db.connect();
    await engine.exec("CREATE SCHEMA vajra_meta; CREATE TABLE vajra_meta.sources (name VARCHAR, path VARCHAR, mode VARCHAR); INSERT INTO vajra_meta.sources VALUES ('a', 'a.csv', 'view'); CREATE TABLE t AS SELECT 1 AS x");
    const first = await fingerprints(engine, dir, ['a.csv', 'missing.csv'], ['a', 't', 'nope']);
    expect(first['missing.csv']).toBe('missing');
    expect(first['a']).toBe(first['a.csv']);
    expect(first['t']).toMatch(/^table:/);
    expect(first['nope']).toBe('missing');
    await writeFile(join(dir, 'a.csv'), 'x\n1\n2\n');
    expect((await fingerprints(engine, dir, ['a.csv'], []))['a.csv']).not.toBe(first['a.csv']);
    await engine.close();
    db.close();
  });
});
