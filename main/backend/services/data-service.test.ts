import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../../app/base/signal';
import { decodeIpc } from '../../../app/data/ipc';
import { Backend } from '../backend';
import { dataHandlers, workspaceDatabase } from './data-service';

let dir: string;
let root: string;
let backend: Backend;
let handlers: ReturnType<typeof dataHandlers>;
const events: string[][] = [];

/** People rows generated here; expected windows are computed from this array, not typed in. */
const people = Array.from({ length: 500 }, (_, i) => ({ id: i + 1, name: `p${(i * 7919) % 500}`, score: i % 13 === 0 ? null : ((i * 37) % 101) / 10 }));
const csv = (rows: typeof people) => `id,name,score\n${rows.map((r) => `${r.id},${r.name},${r.score ?? ''}`).join('\n')}\n`;

const context = (signal: AbortSignal = new AbortController().signal, progress: (p: Progress) => void = () => undefined) => ({ signal, progress });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vajra-data-service-'));
  root = join(dir, 'ws');
  mkdirSync(join(root, 'data'), { recursive: true });
  writeFileSync(join(root, 'data', 'people.csv'), csv(people));
  writeFileSync(join(root, 'data', 'notes.txt'), 'not data');
  const big = Array.from({ length: 300_000 }, (_, i) => `${i},row ${i},${(i % 977) * 1.5}`).join('\n');
  writeFileSync(join(root, 'big.csv'), `i,label,v\n${big}\n`);
  backend = new Backend({ version: 'test', shape: 'browser', configDir: join(dir, 'config'), examplesDir: join(dir, 'examples'), userWorkspacesDir: join(dir, 'home') });
  backend.events.subscribe((event, payload) => {
    if (event === 'data.catalogChanged' && 'names' in payload) events.push(payload.names);
  });
  await backend.openWorkspace(root);
  handlers = dataHandlers(backend);
});
afterAll(async () => {
  await backend.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function rows(result: { ipc: Uint8Array }): Promise<Record<string, unknown>[]> {
  return decodeIpc(result.ipc).toArray().map((r) => r.toJSON());
}

async function catalogNames(): Promise<string[]> {
  return (await handlers['data.catalog']({ countViews: false }, context())).items.map((i) => i.name);
}

describe('dataHandlers(backend) on a real workspace', () => {
  it('workspaceDatabase(backend) opens .vajra/workspace.duckdb once and exposes data/ files as views in place', async () => {
    const first = await workspaceDatabase(backend);
    const second = await workspaceDatabase(backend);
    expect(first.db).toBe(second.db);
    expect(existsSync(join(root, '.vajra', 'workspace.duckdb'))).toBe(true);
    const catalog = await handlers['data.catalog']({ countViews: true }, context());
    const view = catalog.items.find((i) => i.name === 'people');
    expect(view).toMatchObject({ kind: 'view', file: 'data/people.csv', rowCount: 500 });
    expect(view?.columns.map((c) => [c.name, c.type])).toEqual([['id', 'BIGINT'], ['name', 'VARCHAR'], ['score', 'DOUBLE']]);
    expect(catalog.items.some((i) => i.name.startsWith('notes'))).toBe(false);
    expect(catalog.persistent).toBe(true);
  });

  it("data.query({sql: \"SELECT … FROM read_csv('data/people.csv')\"}) resolves the path against the workspace root", async () => {
    const result = await handlers['data.query']({
      source: { kind: 'query', sql: "SELECT count(*) AS n, sum(id) AS s FROM read_csv('data/people.csv')" },
      window: { offset: 0, limit: 10 }, sort: [], filters: [], count: true,
    }, context());
    expect(await rows(result)).toEqual([{ n: 500n, s: people.reduce((a, p) => a + p.id, 0) }]);
    expect(result.totalRows).toBe(1);
  });

  it('data.query(view, window, sort, filters) returns that window of the sorted, filtered rows and the filtered count', async () => {
    const matching = people.filter((p) => p.name.includes('9') && p.score !== null && p.score >= 2);
    const expected = [...matching].sort((a, b) => (b.score! - a.score!) || 0);
    const result = await handlers['data.query']({
      source: { kind: 'table', name: 'people' },
      window: { offset: 5, limit: 10 },
      sort: [{ column: 'score', direction: 'desc' }, { column: 'id', direction: 'asc' }],
      filters: [{ kind: 'contains', column: 'name', text: '9' }, { kind: 'range', column: 'score', min: 2 }],
      count: true,
    }, context());
    const sorted = [...expected].sort((a, b) => (b.score! - a.score!) || a.id - b.id);
    expect(result.totalRows).toBe(matching.length);
    expect((await rows(result)).map((r) => Number(r['id']))).toEqual(sorted.slice(5, 15).map((p) => p.id));
    expect(result.columns).toEqual([{ name: 'id', type: 'BIGINT' }, { name: 'name', type: 'VARCHAR' }, { name: 'score', type: 'DOUBLE' }]);
  });

  it('data.profile(view, score) counts nulls and bins every non-null value', async () => {
    const profile = await handlers['data.profile']({ source: { kind: 'table', name: 'people' }, column: 'score' }, context());
    const nulls = people.filter((p) => p.score === null).length;
    expect(profile).toMatchObject({ type: 'DOUBLE', kind: 'numeric', rows: 500, nulls });
    expect(profile.histogram?.counts.reduce((a, b) => a + b, 0)).toBe(500 - nulls);
  });

  it('data.import(path, table) reports progress in bytes and replaces nothing', async () => {
    const seen: Progress[] = [];
    const item = await handlers['data.import']({ path: 'big.csv', mode: 'table' }, context(undefined, (p) => seen.push(p)));
    expect(item).toMatchObject({ name: 'big', kind: 'table', rowCount: 300_000, file: 'big.csv' });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)!.done).toBe(seen.at(-1)!.total);
  });

  it('data.import(path) cancelled mid-copy leaves no table behind', async () => {
    const controller = new AbortController();
    const before = await catalogNames();
    const job = handlers['data.import']({ path: 'big.csv', mode: 'table', name: 'big_again' }, context(controller.signal, () => controller.abort()));
    await expect(job).rejects.toThrow(/cancel/i);
    expect(await catalogNames()).toEqual(before);
  });

  it('data.import(path) of the file of a data/ view turns that view into a table of the same name', async () => {
    const item = await handlers['data.import']({ path: 'data/people.csv', mode: 'table' }, context());
    expect(item).toMatchObject({ name: 'people', kind: 'table', rowCount: 500, file: 'data/people.csv' });
    expect((await catalogNames()).filter((n) => n.startsWith('people'))).toEqual(['people']);
  });

  it('data.import(bad file) names the file, line and reason, and keeps existing tables', async () => {
    writeFileSync(join(root, 'ragged.csv'), 'a,b\n1,2\n3,4\n5,6,7\n8,9\n');
    const before = await catalogNames();
    await expect(handlers['data.import']({ path: 'ragged.csv', mode: 'table' }, context())).rejects.toThrow(/ragged\.csv, line 4/);
    expect(await catalogNames()).toEqual(before);
    const count = await handlers['data.query']({ source: { kind: 'table', name: 'big' }, window: { offset: 0, limit: 0 }, sort: [], filters: [], count: true }, context());
    expect(count.totalRows).toBe(300_000);
  });

  it('data.importBytes(file) writes data/<file> without overwriting and imports it as a table', async () => {
    const bytes = new TextEncoder().encode('k,v\n1,a\n2,b\n');
    const first = await handlers['data.importBytes']({ fileName: 'dropped.csv', bytes, mode: 'table' }, context());
    const second = await handlers['data.importBytes']({ fileName: '../dropped.csv', bytes, mode: 'table' }, context());
    expect([first.path, second.path]).toEqual(['data/dropped.csv', 'data/dropped-2.csv']);
    expect([first.name, second.name, first.rowCount]).toEqual(['dropped', 'dropped_2', 2]);
    await expect(handlers['data.importBytes']({ fileName: 'bad.csv', bytes: new TextEncoder().encode('a,b\n1,2\n3\n'), mode: 'table' }, context())).rejects.toThrow(/bad\.csv, line 3/);
    expect(readdirSync(join(root, 'data')).sort()).toEqual(['dropped-2.csv', 'dropped.csv', 'notes.txt', 'people.csv']);
  });

  it('a file added to data/ later appears as a view and data.catalogChanged names it', async () => {
    writeFileSync(join(root, 'data', 'later.ndjson'), '{"x":1}\n{"x":2}\n');
    for (let i = 0; i < 60 && !events.flat().includes('later'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(events.flat()).toContain('later');
    const later = await handlers['data.openFile']({ path: 'data/later.ndjson' }, context());
    expect(later).toMatchObject({ name: 'later', kind: 'view' });
  });

  it('data.createView(name, sql) of 10M rows windows to the last row; data.drop removes it', async () => {
    await handlers['data.createView']({ name: 'ten_m', sql: 'SELECT range AS i, range * 2 AS j FROM range(10000000)', replace: false }, context());
    const last = await handlers['data.query']({ source: { kind: 'table', name: 'ten_m' }, window: { offset: 9_999_990, limit: 50 }, sort: [], filters: [], count: true }, context());
    expect(last.totalRows).toBe(10_000_000);
    expect((await rows(last)).at(-1)).toEqual({ i: 9_999_999n, j: 19_999_998n });
    expect(await handlers['data.drop']({ name: 'ten_m' }, context())).toEqual({ dropped: true });
    expect(await catalogNames()).not.toContain('ten_m');
  });

  it('tables survive closing and reopening the workspace', async () => {
    await backend.openWorkspace(root);
    const names = await catalogNames();
    expect(names).toEqual(expect.arrayContaining(['big', 'people', 'dropped', 'later']));
    expect(names.filter((n) => n.startsWith('people'))).toEqual(['people']);
  });
});
