import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../data/engine';
import { NativeDatabase } from '../../main/backend/data/native-engine';
import { renderSuiteHtml } from './html';
import { validateRows } from './row-validate';
import { runSuite, type SuiteResult } from './run-suite';
import { tableRows } from './sql-util';
import { suiteSchema, type Expectation, type Suite } from './suite';

// Real DuckDB on a shared 2-core machine: allow for load (each test takes < 1 s when idle).
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let db: NativeDatabase;
let engine: Engine;
beforeAll(async () => {
  db = await NativeDatabase.open();
  engine = await db.connect();
  await engine.exec(`CREATE TABLE t AS SELECT * FROM (VALUES
    (1, 'a', 'ab-1', 1.0, 2.0, 'x@y.com'),
    (2, 'b', 'ab-2', 2.5, 2.5, 'bad'),
    (3, 'a', NULL, 3.0, 4.0, 'z@w.org'),
    (4, 'c', 'abc-33', NULL, 5.0, NULL)) v(id, cat, code, lo, hi, email);
    CREATE TABLE cur AS SELECT i / 200.0 AS x, ['p', 'q', 'r'][i % 3 + 1] AS k FROM range(200) r(i);
    CREATE TABLE ref AS SELECT i / 200.0 + 0.3 AS x, ['p', 'q', 'q', 's'][i % 4 + 1] AS k FROM range(220) r(i);`);
});
afterAll(async () => {
  await engine.close();
  db.close();
});

type Input = Record<string, unknown> & { kind: Expectation['kind'] };
const suiteOf = (expectations: Input[]): Suite => suiteSchema.parse({ format: 'vajra.expectations', version: 1, name: 's', expectations });

/** Each pair: [an expectation the table meets, one it breaks]. */
const deterministic: [Input, Input][] = [
  [{ kind: 'columns', columns: ['id', 'cat', 'code', 'lo', 'hi', 'email'] }, { kind: 'columns', columns: ['cat', 'id', 'code', 'lo', 'hi', 'email'] }],
  [{ kind: 'columns', columns: ['email', 'hi', 'lo', 'code', 'cat', 'id'], ordered: false }, { kind: 'columns', columns: ['id', 'cat'], ordered: false }],
  [{ kind: 'column_type', column: 'id', type: 'integer' }, { kind: 'column_type', column: 'id', type: 'VARCHAR' }],
  [{ kind: 'not_null', column: 'id' }, { kind: 'not_null', column: 'code' }],
  [{ kind: 'null_fraction', column: 'code', max: 0.25 }, { kind: 'null_fraction', column: 'lo', max: 0.1 }],
  [{ kind: 'unique', column: 'id' }, { kind: 'unique', column: 'cat' }],
  [{ kind: 'in_set', column: 'cat', values: ['a', 'b', 'c'] }, { kind: 'in_set', column: 'cat', values: ['a', 'b'] }],
  [{ kind: 'in_set', column: 'id', values: [1, 2, 3, 4] }, { kind: 'in_set', column: 'id', values: [1, 2, 3] }],
  [{ kind: 'range', column: 'lo', min: 1, max: 3 }, { kind: 'range', column: 'lo', min: 1, max: 3, strictMin: true }],
  [{ kind: 'length', column: 'code', min: 4, max: 6 }, { kind: 'length', column: 'code', max: 4 }],
  [{ kind: 'regex', column: 'code', pattern: '^ab' }, { kind: 'regex', column: 'email', pattern: '^[^@]+@[^@]+$' }],
  [{ kind: 'row_count', min: 4, max: 4 }, { kind: 'row_count', min: 5 }],
  [{ kind: 'column_pair', left: 'lo', right: 'hi', op: 'le' }, { kind: 'column_pair', left: 'lo', right: 'hi', op: 'lt' }],
];

describe('runSuite(engine, suite, {table})', () => {
  it('passes each deterministic expectation the table meets and fails the one it breaks, with offending rows', async () => {
    const suite = suiteOf(deterministic.flat());
    const result = await runSuite(engine, suite, { table: 't' });
    expect(result.rowCount).toBe(4);
    result.results.forEach((r, i) => {
      expect(r.status, `${i}: ${JSON.stringify(r.expectation)} → ${r.message}`).toBe(i % 2 === 0 ? 'pass' : 'fail');
    });
    const byKind = (kind: string) => result.results.filter((r) => r.expectation.kind === kind)[1]!;
    expect(byKind('not_null').failingRows).toEqual({ count: 1, sample: [expect.objectContaining({ id: 3, code: null })] });
    expect(byKind('unique').failingRows?.count).toBe(1);
    expect(byKind('unique').failingRows?.sample.map((r) => r['id'])).toEqual([1, 3]);
    expect(byKind('range').failingRows?.sample.map((r) => r['lo'])).toEqual([1]);
    expect(byKind('column_pair').failingRows?.sample.map((r) => r['id'])).toEqual([2]);
    expect(byKind('regex').observed['failing']).toBe(1);
    expect(result.success).toBe(false);
  });

  it('reports a missing column or a statistical expectation without reference as not evaluated', async () => {
    const result = await runSuite(engine, suiteOf([{ kind: 'not_null', column: 'nope' }, { kind: 'psi', column: 'lo', max: 1 }]), { table: 't' });
    expect(result.results.map((r) => r.status)).toEqual(['error', 'error']);
    expect(result.results[0]!.message).toContain('nope');
    expect(result.counts.errored).toBe(2);
  });

  it('keeps success true when only warn-severity expectations fail', async () => {
    const result = await runSuite(engine, suiteOf([{ kind: 'not_null', column: 'code', severity: 'warn' }, { kind: 'unique', column: 'id' }]), { table: 't' });
    expect(result.counts).toEqual({ passed: 1, failed: 0, warned: 1, errored: 0 });
    expect(result.success).toBe(true);
  });

  it('evaluates statistical expectations against a reference: same table passes, shifted one fails', async () => {
    const stats: Input[] = [
      { kind: 'ks', column: 'x', minPValue: 0.05 }, { kind: 'wasserstein', column: 'x', max: 0.25 },
      { kind: 'psi', column: 'x', max: 0.2, bins: 5 }, { kind: 'jensen_shannon', column: 'x', max: 0.3 },
      { kind: 'mean_shift', column: 'x', minPValue: 0.01 }, { kind: 'std_shift', column: 'x', maxRatio: 1.2 },
      { kind: 'chi2', column: 'k', minPValue: 0.05 }, { kind: 'psi', column: 'k', max: 0.2 },
    ];
    const same = await runSuite(engine, suiteOf(stats), { table: 'cur', reference: 'cur' });
    expect(same.results.map((r) => r.status)).toEqual(stats.map(() => 'pass'));
    const shifted = await runSuite(engine, suiteOf(stats), { table: 'cur', reference: 'ref' });
    expect(shifted.results.map((r) => r.status)).toEqual(['fail', 'fail', 'fail', 'fail', 'fail', 'pass', 'fail', 'fail']);
    expect(shifted.results[1]!.observed['wasserstein']).toBeCloseTo(0.3 + (220 - 200) / 200 / 2, 1);
    expect(shifted.results[0]!.drift?.kind).toBe('numeric');
  });

  it('errors a numeric-only test on a text column', async () => {
    const result = await runSuite(engine, suiteOf([{ kind: 'ks', column: 'k', maxStatistic: 0.1 }]), { table: 'cur', reference: 'ref' });
    expect(result.results[0]!.status).toBe('error');
  });
});

describe('validateRows(suite, rows) agrees with runSuite', () => {
  it('flags the same offending rows as the SQL checks on the same data', async () => {
    const suite = suiteOf(deterministic.flat().filter((e) => ['not_null', 'in_set', 'range', 'length', 'regex', 'column_pair'].includes(e.kind)));
    const sql = await runSuite(engine, suite, { table: 't' });
    const rows = tableRows(await engine.query('SELECT * FROM t ORDER BY id'));
    const batch = validateRows(suite, rows);
    suite.expectations.forEach((_, i) => {
      const expected = sql.results[i]!.status === 'pass' ? 0 : sql.results[i]!.failingRows!.count;
      expect(batch.failingRowsByExpectation[i] ?? 0, JSON.stringify(suite.expectations[i])).toBe(expected);
    });
    expect(batch.valid).toBe(false);
    expect(batch.rows[0]!.violations.map((v) => v.kind)).toEqual(['range']);
    expect(batch.rows[3]!.violations.map((v) => v.kind)).toEqual(['in_set', 'in_set', 'length']);
  });

  it('passes a clean batch and checks null_fraction per batch', () => {
    const suite = suiteOf([{ kind: 'range', column: 'x', min: 0, max: 1 }, { kind: 'null_fraction', column: 'y', max: 0.5, severity: 'warn' }]);
    const ok = validateRows(suite, [{ x: 0.5, y: 1 }, { x: '1', y: null }]);
    expect(ok).toEqual({ valid: true, rows: [{ row: 0, valid: true, violations: [] }, { row: 1, valid: true, violations: [] }], batch: [], failingRowsByExpectation: {} });
    const warned = validateRows(suite, [{ x: 0.5, y: null }, { x: 'abc', y: null }]);
    expect(warned.batch.map((v) => v.kind)).toEqual(['null_fraction']);
    expect(warned.rows[1]!.violations[0]!.message).toContain('not a number');
    expect(warned.valid).toBe(false);
  });
});

describe('renderSuiteHtml(result)', () => {
  it('renders a self-contained, escaped page with an SVG histogram for drift results', async () => {
    const suite: Suite = { ...suiteOf([{ kind: 'ks', column: 'x', maxStatistic: 0.1 }, { kind: 'not_null', column: 'x' }]), name: '<script>alert(1)</script>' };
    const result: SuiteResult = await runSuite(engine, suite, { table: 'cur', reference: 'ref' });
    const html = renderSuiteHtml(result);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.match(/<svg /g)?.length).toBe(1);
    expect(html.match(/<rect /g)?.length).toBe(40);
    expect(html).not.toMatch(/(src|href)=/);
    expect(renderSuiteHtml(result)).toBe(html);
  });
});
