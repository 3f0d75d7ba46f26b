import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../data/engine';
import { NativeDatabase } from '../../main/backend/data/native-engine';
import { UserInputError } from '../base/errors';
import { runSuite } from './run-suite';
import { profileTable, suggestSuite } from './suggest';
import { parseSuite, serializeSuite, tryParseSuite, type Suite } from './suite';

// Real DuckDB on a shared 2-core machine: allow for load (each test takes < 1 s when idle).
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const WINE_CSV = "read_csv('../shared/data/tabular/mlflow-wine/wine-quality.csv')";
const WINE = 'wine';

let db: NativeDatabase;
let engine: Engine;
beforeAll(async () => {
  db = await NativeDatabase.open();
  engine = await db.connect();
  await engine.exec(`CREATE TABLE wine AS SELECT * FROM ${WINE_CSV}`);
});
afterAll(async () => {
  await engine.close();
  db.close();
});

const sample: Suite = {
  format: 'vajra.expectations', version: 1, name: 'orders',
  expectations: [
    { kind: 'columns', severity: 'error', columns: ['id', 'price'], ordered: true },
    { kind: 'range', severity: 'warn', column: 'price', min: 0, strictMin: true, strictMax: false },
    { kind: 'in_set', severity: 'error', column: 'status', values: ['new', 1, true] },
    { kind: 'ks', severity: 'warn', column: 'price', minPValue: 0.01 },
  ],
};

describe('suite format', () => {
  it('parseSuite(serializeSuite(s)) round-trips and serializing again gives the same bytes', () => {
    const text = serializeSuite(sample);
    expect(parseSuite(text)).toEqual(sample);
    expect(serializeSuite(parseSuite(text))).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('serializeSuite(s) writes keys in a stable order whatever the input order', () => {
    const shuffled = JSON.parse(JSON.stringify(sample), (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v) as Suite;
    expect(serializeSuite(shuffled)).toBe(serializeSuite(sample));
    const text = serializeSuite(sample);
    expect(text.indexOf('"kind"')).toBeLessThan(text.indexOf('"severity"'));
    expect(text.indexOf('"format"')).toBe(4);
  });

  it('parseSuite(text) fills defaults (severity error, ordered, strict bounds)', () => {
    const s = parseSuite('{"format":"vajra.expectations","version":1,"name":"n","expectations":[{"kind":"range","column":"a","max":3},{"kind":"columns","columns":[]}]}');
    expect(s.expectations[0]).toEqual({ kind: 'range', severity: 'error', column: 'a', max: 3, strictMin: false, strictMax: false });
    expect(s.expectations[1]).toMatchObject({ ordered: true });
  });

  it('parseSuite(text) reports every schema problem with its path', () => {
    const r = tryParseSuite('{"format":"vajra.expectations","version":1,"name":"n","expectations":[{"kind":"not_null"},{"kind":"psi","column":"a","max":"high"},{"kind":"ks","column":"a"},{"kind":"frobnicate"}]}');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.issues.map((i) => i.path);
    expect(paths).toContain('expectations[0].column');
    expect(paths).toContain('expectations[1].max');
    expect(r.issues.find((i) => i.path === 'expectations[2]')?.message).toContain('minPValue');
    expect(paths.some((p) => p.startsWith('expectations[3]'))).toBe(true);
  });

  it('parseSuite(text) throws a UserInputError with line and column on broken JSON', () => {
    expect(() => parseSuite('{\n  "format": "vajra.expectations",\n  "version": 1,,\n}')).toThrow(UserInputError);
    const r = tryParseSuite('{\n  "format": "vajra.expectations",\n  "version": 1,,\n}');
    expect(!r.ok && r.issues[0]!.message).toMatch(/line 3, column \d+/);
  });
});

describe('suggestSuite(profile) on the wine-quality data set', () => {
  it('suggests a suite that round-trips and that the profiled table passes in full', async () => {
    const profile = await profileTable(engine, WINE_CSV);
    expect(profile.rowCount).toBe(4898);
    const suite = suggestSuite(profile, 'wine');
    expect(parseSuite(serializeSuite(suite))).toEqual(suite);
    const kinds = new Set(suite.expectations.map((e) => e.kind));
    for (const k of ['columns', 'row_count', 'column_type', 'not_null', 'range', 'ks', 'psi']) expect(kinds.has(k as never), k).toBe(true);
    const alcohol = suite.expectations.find((e) => e.kind === 'range' && e.column === 'alcohol');
    expect(alcohol).toMatchObject({ min: 8, max: 14.2 });
    const result = await runSuite(engine, suite, { table: WINE, reference: WINE });
    expect(result.results.filter((r) => r.status !== 'pass').map((r) => r.message)).toEqual([]);
    expect(result.success).toBe(true);
  });

  it('the suggested suite catches a drifted, broken copy of the table', async () => {
    const suite = suggestSuite(await profileTable(engine, WINE), 'wine');
    await engine.exec(`CREATE OR REPLACE TABLE wine_bad AS SELECT * REPLACE (alcohol * 1.3 AS alcohol, CAST(CASE WHEN quality = 6 THEN NULL ELSE quality END AS DOUBLE) AS quality) FROM ${WINE}`);
    const result = await runSuite(engine, suite, { table: 'wine_bad', reference: WINE });
    const failed = result.results.filter((r) => r.status === 'fail').map((r) => `${r.expectation.kind}:${'column' in r.expectation ? r.expectation.column : ''}`);
    expect(failed).toEqual(expect.arrayContaining(['range:alcohol', 'ks:alcohol', 'psi:alcohol', 'not_null:quality', 'column_type:quality']));
    expect(result.success).toBe(false);
  });
});
