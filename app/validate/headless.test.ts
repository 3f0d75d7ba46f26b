import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../data/engine';
import { NativeDatabase } from '../../main/backend/data/native-engine';
import { driftCommand, relationFor, suggestCommand, validateCommand } from './headless';

// Real DuckDB on a shared 2-core machine: allow for load (each test takes < 1 s when idle).
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const WINE = '../shared/data/tabular/mlflow-wine/wine-quality.csv';

let db: NativeDatabase;
let engine: Engine;
beforeAll(async () => {
  db = await NativeDatabase.open();
  engine = await db.connect();
  await engine.exec(`CREATE TABLE wine AS SELECT * FROM read_csv('${WINE}'); CREATE TABLE wine_hi AS SELECT * FROM wine WHERE alcohol > 11;
    CREATE TABLE wine_bad AS SELECT * REPLACE (CASE WHEN quality = 6 THEN NULL ELSE quality END AS quality) FROM wine`);
});
afterAll(async () => {
  await engine.close();
  db.close();
});

describe('headless commands', () => {
  it('relationFor(arg) reads files by extension and quotes table names', () => {
    expect(relationFor('data/x.CSV')).toBe("read_csv('data/x.CSV')");
    expect(relationFor("it's.parquet")).toBe("read_parquet('it''s.parquet')");
    expect(relationFor('events.ndjson')).toBe("read_json_auto('events.ndjson')");
    expect(relationFor('my table')).toBe('"my table"');
  });

  it('validateCommand reads a CSV file argument', async () => {
    const out = await validateCommand(engine, '{"format":"vajra.expectations","version":1,"name":"n","expectations":[{"kind":"row_count","min":4898,"max":4898}]}', { table: WINE });
    expect(out.exitCode).toBe(0);
  });

  it('suggestCommand then validateCommand: the file passes its own suite (exit 0) and a copy with nulls fails it (exit 1)', async () => {
    const suite = await suggestCommand(engine, { table: 'wine', name: 'wine' });
    expect(suite.stdout).toContain('"format": "vajra.expectations"');
    const ok = await validateCommand(engine, suite.stdout, { table: 'wine', reference: 'wine', html: true });
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout).success).toBe(true);
    expect(ok.html).toContain('<svg');
    const bad = await validateCommand(engine, suite.stdout, { table: 'wine_bad', reference: 'wine' });
    expect(bad.exitCode).toBe(1);
  });

  it('validateCommand(engine, badText) exits 2 with the issues', async () => {
    const out = await validateCommand(engine, '{"format":"vajra.expectations","version":2}', { table: WINE });
    expect(out.exitCode).toBe(2);
    expect(JSON.parse(out.stdout).issues.length).toBeGreaterThan(0);
  });

  it('driftCommand prints {"columns": {col: {ks_statistic, ks_pvalue, wasserstein, psi, jensen_shannon}}}', async () => {
    const out = await driftCommand(engine, { current: 'wine_hi', reference: 'wine', columns: ['alcohol', 'pH'] });
    const doc = JSON.parse(out.stdout) as { columns: Record<string, Record<string, number>> };
    expect(Object.keys(doc.columns)).toEqual(['alcohol', 'pH']);
    expect(Object.keys(doc.columns['alcohol']!)).toEqual(['ks_statistic', 'ks_pvalue', 'wasserstein', 'psi', 'jensen_shannon']);
    expect(doc.columns['alcohol']!['ks_pvalue']).toBeLessThan(1e-10);
    expect(doc.columns['alcohol']!['wasserstein']).toBeGreaterThan(1);
  });
});
