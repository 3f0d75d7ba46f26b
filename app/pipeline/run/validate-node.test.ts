import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toErrorData } from '../../base/errors';
import type { Engine } from '../../data/engine';
import { NativeDatabase } from '../../../main/backend/data/native-engine';
import type { PipelineDoc, PipelineNode } from '../document';
import type { Execution } from './execute';
import type { RunEnv, TableValue } from './types';
import { runValidateNode, validationArtifacts, validationRecords } from './validate-node';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let db: NativeDatabase;
let engine: Engine;
beforeAll(async () => {
  db = await NativeDatabase.open();
  engine = await db.connect();
  await engine.exec(`CREATE TABLE people AS SELECT * FROM (VALUES (1, 'a', 30.0), (2, 'b', 41.0), (3, 'c', NULL)) t(id, name, age)`);
});
afterAll(async () => {
  await engine.close();
  db.close();
});

const suiteText = JSON.stringify({
  format: 'vajra.expectations', version: 1, name: 'people',
  expectations: [
    { kind: 'not_null', column: 'age' },
    { kind: 'range', column: 'age', min: 0, max: 40, severity: 'warn' },
    { kind: 'in_set', column: 'name', values: ['a', 'b', 'c'] },
  ],
});

function envWith(files: Record<string, string>): RunEnv {
  const fail = () => { throw new Error('not used'); };
  return {
    engine, score: fail, fitModel: fail, hash: () => 'h', concurrency: 1, clock: { now: () => 1 },
    readFile: async (path) => new TextEncoder().encode(files[path] ?? ''),
  };
}

const node = (params: Record<string, unknown>): PipelineNode => ({ id: 'check', kind: 'validate', params, position: { x: 0, y: 0 } });
const doc = (n: PipelineNode): PipelineDoc => ({ format: 'vajra.pipeline', version: 1, name: 'p', nodes: [n], edges: [] } as unknown as PipelineDoc);
const derived: TableValue = {
  type: 'table', chain: { columns: [], steps: [] },
  table: { rows: 3, columns: [{ name: 'id', type: 'number', values: Float64Array.from([1, 2, 3]) }, { name: 'name', type: 'string', values: ['a', 'b', 'z'] }, { name: 'age', type: 'number', values: Float64Array.from([30, 41, 50]) }] },
};

describe('runValidateNode(node, input, env)', () => {
  it('stops on a failed error-severity expectation naming it with a sample row; the run records the result and the suite', async () => {
    const n = node({ suite: 'people.expectations.json' });
    const source: TableValue = { ...derived, relation: 'people' };
    const error = await runValidateNode(n, source, envWith({ 'people.expectations.json': suiteText })).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^Validation failed — people: 1 passed, 1 failed, 1 warned/);
    expect(message).toMatch(/• not_null age: 1 null/);
    expect(message).toContain('"name":"c"');
    const execution = { statuses: [{ nodeId: 'check', state: 'failed', error: toErrorData(error) }], outputs: new Map(), keys: {}, executed: [], sources: [], cancelled: false } as unknown as Execution;
    const { artifacts, metrics } = validationArtifacts(doc(n), execution);
    expect(artifacts.map((a) => a.path)).toEqual(['validation/check/result.json', 'validation/check/people.expectations.json']);
    expect(artifacts[1]!.text).toBe(suiteText);
    expect(JSON.parse(artifacts[0]!.text).results.map((r: { status: string }) => r.status)).toEqual(['fail', 'fail', 'pass']);
    expect(metrics).toEqual({ 'validation.check.passed': 1, 'validation.check.failed': 1, 'validation.check.warned': 1, 'validation.check.success': 0 });
  });

  it('validates a derived table (no relation) by copying it into DuckDB; warn-only failures pass the table on with a report', async () => {
    const suite = JSON.stringify({ format: 'vajra.expectations', version: 1, name: 'derived', expectations: [
      { kind: 'range', column: 'age', max: 45, severity: 'warn' }, { kind: 'row_count', min: 3, max: 3 }] });
    const n = node({ suite: 's.expectations.json' });
    const out = await runValidateNode(n, derived, envWith({ 's.expectations.json': suite }));
    expect(out.outputs['data']).toBe(derived);
    expect(out.message).toMatch(/derived: 1 passed, 0 failed, 1 warned/);
    expect(out.message).toContain('"age":50');
    const execution = { statuses: [], outputs: new Map([['check', out.outputs]]), keys: {}, executed: [], sources: [], cancelled: false } as unknown as Execution;
    expect(validationRecords(doc(n), execution)[0]!.result.success).toBe(true);
    const left = await engine.query(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name LIKE '__vajra_validate_%'`);
    expect(Number(left.toArray()[0]!.toJSON()['n'])).toBe(0);
  });

  it('drift expectations run against params.reference and are skipped (said so) without one', async () => {
    const suite = JSON.stringify({ format: 'vajra.expectations', version: 1, name: 'd', expectations: [{ kind: 'wasserstein', column: 'age', max: 0.5 }] });
    const env = envWith({ 'd.expectations.json': suite });
    const without = await runValidateNode(node({ suite: 'd.expectations.json' }), derived, env);
    expect(without.message).toContain('1 drift expectation skipped: no reference table');
    const shifted = runValidateNode(node({ suite: 'd.expectations.json', reference: 'people' }), derived, env);
    await expect(shifted).rejects.toThrow(/• wasserstein age/);
  });

  it('failOnError: false turns a failure into a warning message', async () => {
    const out = await runValidateNode(node({ suite: 'p.expectations.json', failOnError: false }), { ...derived, relation: 'people' }, envWith({ 'p.expectations.json': suiteText }));
    expect(out.message).toMatch(/1 failed/);
  });
});
