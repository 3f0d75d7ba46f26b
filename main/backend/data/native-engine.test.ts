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
  it('keeps numeric values and nulls exact across chunk boundaries', async () => {
    const t = await engine.query(`select case when range % 7 = 0 then null else range end::bigint as b, case when range % 5 = 0 then null else range / 2 end::double as d, (range % 100)::int as i, case when range % 3 = 0 then null else 'v' || range end as s from range(5000)`);
    const b = t.getChild('b')!, d = t.getChild('d')!, i = t.getChild('i')!, s = t.getChild('s')!;
    for (const r of [0, 1, 2047, 2048, 2049, 4095, 4096, 4999]) {
      expect(b.get(r)).toBe(r % 7 === 0 ? null : BigInt(r));
      expect(d.get(r)).toBe(r % 5 === 0 ? null : r / 2);
      expect(i.get(r)).toBe(r % 100);
      expect(s.get(r)).toBe(r % 3 === 0 ? null : `v${r}`);
    }
    expect(b.nullCount).toBe(Math.ceil(5000 / 7));
    expect(d.nullCount).toBe(1000);
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
