import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeDatabase } from '../../main/backend/data/native-engine';
import { countRows, hasObject, listCatalog } from './catalog';
import type { Engine } from './engine';

let db: NativeDatabase;
let engine: Engine;
beforeAll(async () => {
  db = await NativeDatabase.open();
  engine = await db.connect();
  await engine.exec(`
    CREATE TABLE sales (id INTEGER NOT NULL, amount DECIMAL(10,2), day DATE);
    INSERT INTO sales SELECT range, range * 1.5, DATE '2024-01-01' + range::INTEGER FROM range(1234);
    CREATE VIEW big_sales AS SELECT * FROM sales WHERE amount > 100;
    CREATE TABLE __vajra_import_half (x INTEGER);`);
});
afterAll(async () => {
  await engine.close();
  db.close();
});

describe('listCatalog(engine)', () => {
  it('lists tables and views with DuckDB column types, counts and a preview, hiding unfinished imports', async () => {
    const catalog = await listCatalog(engine);
    expect(catalog.map((e) => [e.name, e.kind, e.rowCount])).toEqual([['big_sales', 'view', null], ['sales', 'table', 1234]]);
    expect(catalog[1]!.columns).toEqual([
      { name: 'id', type: 'INTEGER', nullable: false },
      { name: 'amount', type: 'DECIMAL(10,2)', nullable: true },
      { name: 'day', type: 'DATE', nullable: true },
    ]);
    expect((await engine.query(catalog[0]!.previewSql)).numRows).toBe(100);
    expect(await countRows(engine, 'big_sales')).toBe(1234 - 67);
    expect(await hasObject(engine, 'SALES')).toBe(true);
    expect(await hasObject(engine, 'nope')).toBe(false);
  });
});
