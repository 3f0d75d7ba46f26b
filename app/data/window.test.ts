import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeDatabase } from '../../main/backend/data/native-engine';
import type { Engine } from './engine';
import { buildCountQuery, buildWindowQuery, type ColumnFilter } from './window';

let db: NativeDatabase;
let engine: Engine;
interface Row { id: number; name: string | null; score: number | null }
const data: Row[] = Array.from({ length: 500 }, (_, i) => ({
  id: i,
  name: i % 7 === 0 ? null : `Item ${i % 37}`,
  score: i % 11 === 0 ? null : (i * 7919) % 1000,
}));

beforeAll(async () => {
  db = await NativeDatabase.open();
  engine = await db.connect();
  const values = data.map((r) => `(${r.id}, ${r.name === null ? 'NULL' : `'${r.name}'`}, ${r.score ?? 'NULL'})`).join(',');
  await engine.exec(`CREATE TABLE items (id INTEGER, name VARCHAR, score INTEGER); INSERT INTO items VALUES ${values}`);
});
afterAll(async () => {
  await engine.close();
  db.close();
});

async function ids(sql: string): Promise<number[]> {
  return (await engine.query(sql)).toArray().map((row) => Number(row.toJSON()['id']));
}

describe('buildWindowQuery(spec)', () => {
  it('returns rows offset..offset+limit of the source sorted desc with NULLs last', async () => {
    const sorted = [...data].sort((a, b) => (a.score === null ? 1 : b.score === null ? -1 : b.score - a.score || a.id - b.id));
    const sql = buildWindowQuery({ source: { kind: 'table', name: 'items' }, sort: [{ column: 'score', direction: 'desc' }, { column: 'id', direction: 'asc' }], offset: 440, limit: 50 });
    expect(await ids(sql)).toEqual(sorted.slice(440, 490).map((r) => r.id));
  });

  it('pushes contains, equals and range filters down and counts the same rows', async () => {
    const filters: ColumnFilter[] = [
      { kind: 'contains', column: 'name', text: 'ITEM 1' },
      { kind: 'range', column: 'score', min: 100, max: 800 },
    ];
    const expected = data.filter((r) => r.name !== null && r.name.toLowerCase().includes('item 1') && r.score !== null && r.score >= 100 && r.score <= 800);
    const source = { kind: 'query' as const, sql: 'SELECT * FROM items -- all of them\n;' };
    const sql = buildWindowQuery({ source, filters, sort: [{ column: 'id', direction: 'asc' }], offset: 0, limit: 1000 });
    expect(await ids(sql)).toEqual(expected.map((r) => r.id));
    const count = (await engine.query(buildCountQuery(source, filters))).get(0)!.toJSON()['n'];
    expect(Number(count)).toBe(expected.length);
    const nulls = await ids(buildWindowQuery({ source, filters: [{ kind: 'equals', column: 'name', value: null }], offset: 0, limit: 1000, sort: [{ column: 'id', direction: 'asc' }] }));
    expect(nulls).toEqual(data.filter((r) => r.name === null).map((r) => r.id));
  });

  it('quotes identifiers and literals so hostile names cannot inject SQL', () => {
    const sql = buildWindowQuery({ source: { kind: 'table', name: 'a"; DROP TABLE x; --' }, filters: [{ kind: 'equals', column: 'c', value: "it's" }], offset: 0, limit: 1 });
    expect(sql).toBe(`SELECT * FROM "a""; DROP TABLE x; --" AS w WHERE "c" = 'it''s' LIMIT 1 OFFSET 0`);
  });

  it('rejects a negative or fractional window and an empty query with UserInputError', () => {
    expect(() => buildWindowQuery({ source: { kind: 'table', name: 't' }, offset: -1, limit: 1 })).toThrow(/offset/);
    expect(() => buildWindowQuery({ source: { kind: 'table', name: 't' }, offset: 0, limit: 1.5 })).toThrow(/limit/);
    expect(() => buildCountQuery({ kind: 'query', sql: ' ; ' })).toThrow(/empty/);
  });
});
