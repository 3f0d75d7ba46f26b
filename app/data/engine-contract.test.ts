// One suite, two engines: every case runs against native DuckDB and duckdb-wasm (blocking build in
// Node) and both must give the same rows. Importing main/ from an app test is deliberate: this is the
// parity check between the two implementations of app/data's Engine.
import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeDatabase } from '../../main/backend/data/native-engine';
import type { Engine } from './engine';
import { buildProfileQuery, parseProfile } from './profile';
import { openWasmEngine } from './wasm-node.testkit';
import { buildCountQuery, buildWindowQuery } from './window';


/** Rows as plain JSON-comparable values: bigint → number, Date/typed values → their JSON. */
function rows(table: Table): unknown[] {
  return table.toArray().map((row) => JSON.parse(JSON.stringify(row.toJSON(), (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))));
}

const SETUP = `
  CREATE TABLE people (id INTEGER, name VARCHAR, dept VARCHAR, salary DOUBLE, born DATE, seen TIMESTAMP, ok BOOLEAN);
  INSERT INTO people VALUES
    (1, 'Ada', 'eng', 120.5, DATE '1990-03-01', TIMESTAMP '2024-01-02 03:04:05', true),
    (2, 'Bo', 'eng', 99.0, DATE '1985-12-31', TIMESTAMP '2024-02-03 04:05:06', false),
    (3, 'Cy', 'ops', NULL, NULL, NULL, NULL),
    (4, 'Di', 'ops', 80.25, DATE '2000-02-29', TIMESTAMP '2023-12-31 23:59:59', true),
    (5, NULL, 'sales', 70.0, DATE '1970-01-01', TIMESTAMP '1970-01-01 00:00:00', true);
  CREATE TABLE depts (dept VARCHAR, floor INTEGER);
  INSERT INTO depts VALUES ('eng', 3), ('ops', 1), ('hr', 2);
`;

const CASES: Record<string, string> = {
  'types and nulls': 'SELECT 1::TINYINT a, 2::SMALLINT b, 3::INTEGER c, 4::BIGINT d, 1.5::FLOAT e, 2.25::DOUBLE f, \'x\' g, NULL::INTEGER h, true i',
  'group by': 'SELECT dept, count(*) n, sum(salary) total, avg(salary) mean FROM people GROUP BY dept ORDER BY dept',
  'joins': 'SELECT p.name, d.floor FROM people p LEFT JOIN depts d USING (dept) ORDER BY p.id',
  'window functions': 'SELECT id, rank() OVER (PARTITION BY dept ORDER BY salary DESC NULLS LAST) r, sum(salary) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) s FROM people ORDER BY id',
  'dates': "SELECT id, born, seen, year(born) y, date_diff('day', born, DATE '2024-01-01') AS n_days, strftime(seen, '%Y-%m-%d %H:%M') txt FROM people ORDER BY id",
  'large result': 'SELECT range % 13 AS k, range AS x FROM range(5000) ORDER BY x',
  'window query': buildWindowQuery({ source: { kind: 'table', name: 'people' }, sort: [{ column: 'salary', direction: 'desc' }], filters: [{ kind: 'range', column: 'salary', min: 75 }], offset: 1, limit: 2 }),
  'count query': buildCountQuery({ kind: 'query', sql: 'SELECT * FROM people;' }, [{ kind: 'contains', column: 'name', text: 'd' }]),
  'profile numeric': buildProfileQuery({ kind: 'table', name: 'people' }, 'salary', 'DOUBLE'),
  'profile date': buildProfileQuery({ kind: 'table', name: 'people' }, 'born', 'DATE'),
  'profile text': buildProfileQuery({ kind: 'table', name: 'people' }, 'name', 'VARCHAR'),
};

const engines: Record<'native' | 'wasm', Engine> = {} as Record<'native' | 'wasm', Engine>;
let native: NativeDatabase;
const results: Record<string, Record<string, unknown[]>> = {};

beforeAll(async () => {
  native = await NativeDatabase.open();
  engines.native = await native.connect();
  engines.wasm = await openWasmEngine();
  for (const engine of Object.values(engines)) await engine.exec(SETUP);
}, 30_000);

afterAll(async () => {
  await engines.native.close();
  await engines.wasm.close();
  native.close();
});

describe.each(['native', 'wasm'] as const)('Engine contract (%s)', (name) => {
  it.each(Object.keys(CASES))('query(%s) returns the same rows as the other engine', async (label) => {
    const got = rows(await engines[name].query(CASES[label]!));
    (results[label] ??= {})[name] = got;
    const other = results[label][name === 'native' ? 'wasm' : 'native'];
    expect(got.length).toBeGreaterThan(0);
    if (other) expect(got).toEqual(other);
  });

  it('query(bad sql) rejects with an SqlError naming the table', async () => {
    await expect(engines[name].query('SELECT * FROM no_such_table')).rejects.toMatchObject({ name: 'SqlError', message: expect.stringMatching(/^Catalog Error: .*no_such_table/) });
    expect(rows(await engines[name].query('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
  });

  it('query(long, { signal }) rejects with CancelledError when aborted and the engine stays usable', async () => {
    const controller = new AbortController();
    const pending = engines[name].query('SELECT sum(a.range * b.range) FROM range(100000) a, range(100000) b', { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toMatchObject({ name: 'CancelledError' });
    expect(rows(await engines[name].query('SELECT 2 AS two'))).toEqual([{ two: 2 }]);
  });
});

describe('profile and window builders on both engines', () => {
  it('parseProfile(numeric) counts nulls, min/max and 20 histogram bins summing to the non-null count', async () => {
    for (const engine of Object.values(engines)) {
      const p = parseProfile(await engine.query(CASES['profile numeric']!), 'salary', 'DOUBLE');
      expect(p).toMatchObject({ rows: 5, nulls: 1, nullFraction: 0.2, min: '70.0', max: '120.5', kind: 'numeric' });
      expect(p.histogram?.counts).toHaveLength(20);
      expect(p.histogram?.counts.reduce((a, b) => a + b, 0)).toBe(4);
      expect(p.histogram?.counts[19]).toBe(1);
    }
  });

  it('parseProfile(date, text, empty) gives epoch-second bins for dates, no histogram for text, zeros when empty', async () => {
    for (const engine of Object.values(engines)) {
      const born = parseProfile(await engine.query(CASES['profile date']!), 'born', 'DATE');
      expect(born).toMatchObject({ kind: 'temporal', nulls: 1, min: '1970-01-01', max: '2000-02-29', histogram: { binLow: 0 } });
      expect(born.histogram?.counts.reduce((a, b) => a + b, 0)).toBe(4);
      const name = parseProfile(await engine.query(CASES['profile text']!), 'name', 'VARCHAR');
      expect(name).toMatchObject({ kind: 'other', rows: 5, nulls: 1, distinct: 4, min: 'Ada', max: 'Di', histogram: null });
      const empty = parseProfile(await engine.query(buildProfileQuery({ kind: 'query', sql: 'SELECT * FROM people WHERE false' }, 'salary', 'DOUBLE')), 'salary', 'DOUBLE');
      expect(empty).toMatchObject({ rows: 0, nullFraction: 0, min: null, histogram: null });
    }
  });
});
