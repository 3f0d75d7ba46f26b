import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeDatabase } from './native-engine';
import type { Engine } from '../../../app/data/engine';

let db: NativeDatabase;
let engine: Engine;
beforeAll(async () => {
  db = await NativeDatabase.open();
  engine = await db.connect();
});
afterAll(async () => {
  await engine.close();
  db.close();
});

describe('NativeEngine.query(sql)', () => {
  it('returns typed Arrow columns with nulls', async () => {
    const t = await engine.query(`select 1::int as i, 2.5::double as d, 'x' as s, null::varchar as n, 10::bigint as b, true as f, date '2024-01-02' as dt`);
    expect(t.numRows).toBe(1);
    const row = t.get(0)!.toJSON();
    expect(row).toMatchObject({ i: 1, d: 2.5, s: 'x', n: null, b: 10n, f: true });
    expect(new Date(row.dt as number).toISOString()).toBe('2024-01-02T00:00:00.000Z');
  });
  it('streams results of more than one chunk', async () => {
    const t = await engine.query('select range as x from range(10000)');
    expect(t.numRows).toBe(10000);
    expect(Number(t.getChild('x')!.get(9999))).toBe(9999);
  });
  it('rejects bad SQL with the message of DuckDB', async () => {
    await expect(engine.query('select * from no_such_table')).rejects.toThrow(/no_such_table/);
  });
  it('cancels a long query when the signal fires', async () => {
    const controller = new AbortController();
    const pending = engine.query('select count(*) from range(10000000000) a', { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toThrow(/cancel/i);
    const after = await engine.query('select 1 as one');
    expect(after.numRows).toBe(1);
  });
});
