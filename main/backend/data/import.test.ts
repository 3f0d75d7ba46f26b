import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../../app/base/signal';
import type { Engine } from '../../../app/data/engine';
import { importFile } from './import';
import { NativeDatabase } from './native-engine';

let dir: string;
let db: NativeDatabase;
let engine: Engine;
const file = (name: string, content: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vajra-import-'));
  db = await NativeDatabase.open();
  engine = await db.connect();
  await engine.exec(`CREATE TABLE keep AS SELECT range AS x FROM range(10)`);
});
afterAll(async () => {
  await engine.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function names(): Promise<string[]> {
  const t = await engine.query(`SELECT table_name AS n FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1`);
  return t.toArray().map((r) => String(r.toJSON()['n']));
}

describe('importFile(db, path) of each format', () => {
  const arrowTable = arrow.tableFromArrays({ id: Int32Array.of(1, 2, 3), v: Float64Array.of(0.5, NaN, 2), s: ['a', 'b', 'c'] });
  const cases: [string, string | Uint8Array, number, string[]][] = [
    ['People List.csv', 'id,name,score\n1,Ada,1.5\n2,"Bo, Jr",2.5\n3,,\n', 3, ['BIGINT', 'VARCHAR', 'DOUBLE']],
    ['p.tsv', 'id\tname\n1\tx\n2\ty\n', 2, ['BIGINT', 'VARCHAR']],
    ['p.json', '[{"id":1,"name":"x"},{"id":2,"name":null}]', 2, ['BIGINT', 'VARCHAR']],
    ['p.ndjson', '{"id":1}\n{"id":2}\n{"id":3}\n', 3, ['BIGINT']],
    ['p.arrow', arrow.tableToIPC(arrowTable, 'file'), 3, ['INTEGER', 'DOUBLE', 'VARCHAR']],
    ['q.arrows', arrow.tableToIPC(arrowTable, 'stream'), 3, ['INTEGER', 'DOUBLE', 'VARCHAR']],
  ];
  it.each(cases)('imports %s as a table with its rows and DuckDB types', async (name, content, rows, types) => {
    const result = await importFile(db, file(name, content));
    expect(result.rowCount).toBe(rows);
    expect(result.columns.map((c) => c.type)).toEqual(types);
    const count = await engine.query(`SELECT count(*) AS n FROM "${result.name}"`);
    expect(Number(count.get(0)!.toJSON()['n'])).toBe(rows);
  });

  it('derives a sanitised, unique name: "People List.csv" twice → people_list, people_list_2', async () => {
    const path = file('People List.csv', 'a\n1\n');
    const first = await importFile(db, path);
    const second = await importFile(db, path);
    expect([first.name, second.name]).toEqual(['people_list_2', 'people_list_3']);
  });

  it('imports Parquet as a view over the file in place (no copy) and as a table', async () => {
    const path = join(dir, 'big.parquet');
    await engine.exec(`COPY (SELECT range AS id, range % 7 AS g FROM range(1000)) TO '${path}'`);
    const view = await importFile(db, path, { mode: 'view' });
    const table = await importFile(db, path);
    expect(view).toMatchObject({ name: 'big', mode: 'view', rowCount: null });
    expect(table).toMatchObject({ name: 'big_2', mode: 'table', rowCount: 1000 });
    const kinds = await engine.query(`SELECT (SELECT count(*) FROM duckdb_views() WHERE view_name = 'big') AS v, (SELECT count(*) FROM duckdb_tables() WHERE table_name = 'big') AS t`);
    expect(kinds.get(0)!.toJSON()).toMatchObject({ v: 1n, t: 0n });
  });
});

describe('importFile(db, bad file) throws UserInputError and keeps what exists', () => {
  const parquet = () => {
    const path = join(dir, 'whole.parquet');
    return engine.exec(`COPY (SELECT range AS id FROM range(50000)) TO '${path}'`).then(() => {
      const bytes = readFileSync(path);
      return file('truncated.parquet', bytes.subarray(0, bytes.length >> 1));
    });
  };
  const cases: [string, () => string | Promise<string>, RegExp, number | undefined][] = [
    ['a ragged CSV row', () => file('ragged.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8\n'), /ragged\.csv, line 3: expected 3 fields but found 2/, 3],
    ['invalid UTF-8', () => file('latin1.csv', Buffer.concat([Buffer.from('a,b\n1,ok\n2,h'), Buffer.of(0xe9), Buffer.from('llo\n')])), /latin1\.csv, line 3: invalid UTF-8/, 3],
    ['a truncated Parquet file', parquet, /truncated\.parquet: .*magic bytes/i, undefined],
    ['invalid JSON', () => file('bad.json', '[{"a":1},{"a":2'), /bad\.json.*: Malformed JSON/, undefined],
    ['an invalid NDJSON line', () => file('bad.ndjson', '{"a":1}\n{"a":2}\n{"a":\n{"a":4}\n'), /bad\.ndjson, line 4: Malformed JSON/, 4],
    ['an empty file', () => file('empty.csv', ''), /empty\.csv: the file is empty/, undefined],
    ['a missing file', () => join(dir, 'nope.csv'), /nope\.csv: file not found/, undefined],
    ['an unknown extension', () => file('x.xlsx', 'PK'), /x\.xlsx: unknown file type/, undefined],
  ];
  it.each(cases)('%s', async (_label, make, message, line) => {
    const before = await names();
    const error = await importFile(db, await make()).then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ name: 'UserInputError', message: expect.stringMatching(message) });
    if (line !== undefined) expect(error).toMatchObject({ detail: { line } });
    expect(await names()).toEqual(before);
    expect(before).toContain('keep');
  });
});

describe('importFile(db, large csv, { signal, onProgress })', () => {
  let path: string;
  beforeAll(async () => {
    path = join(dir, 'large.csv');
    await engine.exec(`COPY (SELECT range AS id, range % 1000 AS g, 'name_' || (range % 777) AS s, range * 0.5 AS v FROM range(2000000)) TO '${path}'`);
  }, 60_000);

  it('reports bytes read rising to the file size', async () => {
    const seen: Progress[] = [];
    const result = await importFile(db, path, { onProgress: (p) => seen.push(p) });
    expect(result.rowCount).toBe(2_000_000);
    const total = seen[0]!.total;
    expect(total).toBeGreaterThan(40_000_000);
    expect(seen.at(-1)).toMatchObject({ done: total, total });
    expect(seen.every((p, i) => i === 0 || p.done >= seen[i - 1]!.done)).toBe(true);
    expect(seen.some((p) => p.done > 0 && p.done < total)).toBe(true);
  });

  it('cancels mid-way and leaves no table, not even a temporary one', async () => {
    const before = await names();
    const controller = new AbortController();
    const pending = importFile(db, path, { signal: controller.signal, onProgress: (p) => { if (p.done > 0) controller.abort(); } });
    await expect(pending).rejects.toMatchObject({ name: 'CancelledError' });
    const after = await engine.query(`SELECT table_name FROM duckdb_tables()`);
    expect(await names()).toEqual(before);
    expect(after.toArray().some((r) => String(r.toJSON()['table_name']).startsWith('__vajra'))).toBe(false);
  });
});
