import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../app/data/engine';
import { NativeDatabase } from '../data/native-engine';
import { createSqlDescriber } from './describe-sql';

let db: NativeDatabase;
let engine: Engine;
beforeAll(async () => {
  db = await NativeDatabase.open(':memory:');
  engine = await db.connect();
  await engine.exec("CREATE TABLE people AS SELECT * FROM (VALUES (1, 'ann', 2.5, DATE '2024-01-02'), (2, 'bob', NULL, DATE '2024-02-03')) AS t(id, name, score, born)");
});
afterAll(async () => { await engine.close(); db.close(); });

/** Counts the queries the engine really runs, to see the cache at work. */
function counting(inner: Engine): { engine: Engine; count: () => number } {
  let n = 0;
  return { engine: { ...inner, query: (sql, options) => { n++; return inner.query(sql, options); }, exec: (sql, options) => inner.exec(sql, options), close: () => inner.close() } as Engine, count: () => n };
}

describe('createSqlDescriber()(engine, sql)', () => {
  it('lists the columns of a query typed as the runner reads them, without reading rows', async () => {
    const describeSql = createSqlDescriber();
    expect(await describeSql(engine, 'SELECT id, name, score, born, score > 1 AS good FROM people WHERE false;')).toEqual([
      { name: 'id', type: 'number' }, { name: 'name', type: 'string' }, { name: 'score', type: 'number' }, { name: 'born', type: 'number' }, { name: 'good', type: 'number' },
    ]);
  });

  it('caches per SQL text: the same query is described once, again after forget()', async () => {
    const c = counting(engine);
    const describeSql = createSqlDescriber();
    await describeSql(c.engine, 'SELECT name FROM people');
    await describeSql(c.engine, 'SELECT name FROM people');
    expect(c.count()).toBe(1);
    await describeSql(c.engine, 'SELECT id FROM people');
    expect(c.count()).toBe(2);
    describeSql.forget();
    await describeSql(c.engine, 'SELECT name FROM people');
    expect(c.count()).toBe(3);
  });

  it('gives DuckDB\'s error for invalid SQL, and refuses statements that are not queries', async () => {
    const describeSql = createSqlDescriber();
    await expect(describeSql(engine, 'SELECT nme FROM people')).rejects.toThrow(/^DuckDB cannot run this query: Binder Error: Referenced column "nme" not found/);
    await expect(describeSql(engine, 'SELEC * FROM people')).rejects.toThrow(/^DuckDB cannot run this query: Parser Error: syntax error at or near "FROM"/);
    await expect(describeSql(engine, 'DROP TABLE people')).rejects.toThrow(/^DuckDB cannot run this query: Parser Error/);
    expect(await describeSql(engine, 'SELECT count(*) AS n FROM people')).toEqual([{ name: 'n', type: 'number' }]);
  });
});
