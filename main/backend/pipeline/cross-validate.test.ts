import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossValidateFolds, crossValidationFolds, refitPlan } from '../../../app/pipeline/run/cross-validate-node';
import type { PipelineDoc, PipelineNode } from '../../../app/pipeline/document';
import type { NodeKind } from '../../../app/pipeline/catalog';
import type { ModelFitter, TableValue } from '../../../app/pipeline/run/types';
import type { Column } from '../../../app/pipeline/steps/types';
import { openTestHost, type TestHost } from './pipeline.testkit';
import { hostEnv } from './runner';

interface FixtureCase {
  name: string;
  features: string[];
  rows: number[][];
  target: (number | string)[];
  folds: { train: number[]; test: number[] }[];
  scores: Record<string, number[]>;
}
const fixture = JSON.parse(readFileSync(new URL('./cross-validate.fixture.json', import.meta.url), 'utf8')) as { cases: FixtureCase[] };

let host: TestHost;
beforeAll(async () => { host = await openTestHost(); });
afterAll(async () => { await host.close(); });

function node(id: string, kind: NodeKind, params: Record<string, unknown> = {}): PipelineNode {
  return { id, kind, params, position: { x: 0, y: 0 } };
}

function edge(from: string, fromPort: string, to: string, toPort: string) {
  return { id: `${from}.${fromPort}->${to}.${toPort}`, from: { node: from, port: fromPort }, to: { node: to, port: toPort } };
}

/** source → scale(features) → model → cv, with cv's data fed by the source (what the fixture's sklearn pipeline does). */
function scaledModelDoc(features: string[], model: PipelineNode): PipelineDoc {
  return {
    version: 1, id: 'cv-test', name: 'cv',
    nodes: [node('source', 'source', { from: 'sql', sql: 'SELECT 1' }), node('scale', 'scale', { columns: features, method: 'standard' }), model, node('cv', 'crossValidate', { k: 5 })],
    edges: [edge('source', 'data', 'scale', 'data'), edge('scale', 'data', model.id, 'train'), edge(model.id, 'model', 'cv', 'model'), edge('source', 'data', 'cv', 'data')],
  };
}

function fixtureTable(c: FixtureCase): TableValue {
  const n = c.rows.length;
  const columns: Column[] = c.features.map((name, j) => ({ name, type: 'number', values: Float64Array.from({ length: n }, (_, r) => c.rows[r]![j]!) }));
  columns.push(typeof c.target[0] === 'string' ? { name: 'y', type: 'string', values: c.target.map(String) } : { name: 'y', type: 'number', values: Float64Array.from(c.target, Number) });
  return { type: 'table', table: { rows: n, columns }, chain: { columns: columns.map((col) => ({ name: col.name, type: col.type })), steps: [] } };
}

describe('crossValidationFolds(target, task, params)', () => {
  const y = Array.from({ length: 103 }, (_, i) => (i % 10 < 7 ? 'a' : i % 10 < 9 ? 'b' : 'c'));

  it('holds every row out exactly once, stratified by class, the same folds for the same seed', () => {
    const folds = crossValidationFolds(y, 'classification', { k: 5, stratified: true, shuffle: true, seed: 3 });
    const heldOut = new Array<number>(y.length).fill(0);
    for (const f of folds) {
      for (const i of f.test) heldOut[i]!++;
      expect(f.train.length + f.test.length).toBe(y.length);
      for (const cls of ['a', 'b', 'c']) {
        const total = y.filter((v) => v === cls).length;
        const inFold = Array.from(f.test).filter((i) => y[i] === cls).length;
        expect(Math.abs(inFold - total / 5)).toBeLessThanOrEqual(1);
      }
    }
    expect(heldOut.every((c) => c === 1)).toBe(true);
    const again = crossValidationFolds(y, 'classification', { k: 5, stratified: true, shuffle: true, seed: 3 });
    expect(again.map((f) => Array.from(f.test))).toEqual(folds.map((f) => Array.from(f.test)));
    const other = crossValidationFolds(y, 'classification', { k: 5, stratified: true, shuffle: true, seed: 4 });
    expect(other.map((f) => Array.from(f.test))).not.toEqual(folds.map((f) => Array.from(f.test)));
  });

  it('uses plain k-fold for a regression target (stratification only applies to classes)', () => {
    const values = Float64Array.from({ length: 20 }, (_, i) => i);
    const folds = crossValidationFolds(values, 'regression', { k: 4, stratified: true, shuffle: false, seed: 0 });
    expect(folds.map((f) => Array.from(f.test))).toEqual([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13, 14], [15, 16, 17, 18, 19]]);
  });
});

describe('refitPlan(doc, crossValidate node)', () => {
  it('refits impute → one-hot → scale → gradient boosting when the node folds the Split train rows', async () => {
    const doc = await host.pipeline('adult-income.pipeline.json');
    const withCv: PipelineDoc = { ...doc, nodes: [...doc.nodes, node('cv', 'crossValidate')], edges: [...doc.edges, edge('gbdt', 'model', 'cv', 'model'), edge('split', 'train', 'cv', 'data')] };
    const plan = refitPlan(withCv, withCv.nodes.find((n) => n.id === 'cv')!);
    expect([...plan.steps.map((s) => s.id), plan.model.id]).toEqual(['impute', 'onehot', 'scale', 'gbdt']);
  });

  it('refuses an imported ONNX model, which cannot be refitted', () => {
    const doc: PipelineDoc = { version: 1, id: 'x', name: 'x', nodes: [node('m', 'importedOnnx', { file: 'a.onnx' }), node('cv', 'crossValidate')], edges: [edge('m', 'model', 'cv', 'model')] };
    expect(() => refitPlan(doc, doc.nodes[1]!)).toThrow(/cannot be refitted/);
  });
});

describe('crossValidateFolds(doc, node, plan, data, folds, env)', () => {
  it('fits the Scale step on each fold\'s training rows only (no leakage from the held-out rows)', async () => {
    const c = fixture.cases.find((x) => x.name === 'diabetes')!;
    const doc = scaledModelDoc(c.features, node('model', 'ridge', { target: 'y', alpha: 1 }));
    const seen: { rows: number; means: number[]; sds: number[] }[] = [];
    const observing: ModelFitter = (job, ctx) => {
      const { rows, cols, data } = job.x;
      const means = Array.from({ length: cols }, (_, j) => { let s = 0; for (let r = 0; r < rows; r++) s += data[r * cols + j]!; return s / rows; });
      const sds = means.map((m, j) => { let s = 0; for (let r = 0; r < rows; r++) s += (data[r * cols + j]! - m) ** 2; return Math.sqrt(s / rows); });
      seen.push({ rows, means, sds });
      return host.fitModel(job, ctx);
    };
    const folds = c.folds.map((f) => ({ train: Int32Array.from(f.train), test: Int32Array.from(f.test) }));
    await crossValidateFolds(doc, doc.nodes[3]!, refitPlan(doc, doc.nodes[3]!), fixtureTable(c), folds, hostEnv(host, { fitModel: observing }));
    expect(seen.map((s) => s.rows).sort()).toEqual(folds.map((f) => f.train.length).sort());
    for (const s of seen) {
      for (const m of s.means) expect(Math.abs(m)).toBeLessThan(1e-9);
      for (const sd of s.sds) expect(sd).toBeCloseTo(1, 9);
    }
  });

  for (const c of fixture.cases) {
    it(`matches sklearn cross_val_score(StandardScaler → model) on ${c.name} within 0.01 per fold, same folds`, async () => {
      const model = c.name === 'diabetes' ? node('model', 'ridge', { target: 'y', alpha: 1 }) : node('model', 'logisticRegression', { target: 'y', C: 1, maxIter: 1000 });
      const doc = scaledModelDoc(c.features, model);
      const cv = doc.nodes[3]!;
      const folds = c.folds.map((f) => ({ train: Int32Array.from(f.train), test: Int32Array.from(f.test) }));
      const scores = await crossValidateFolds(doc, cv, refitPlan(doc, cv), fixtureTable(c), folds, hostEnv(host));
      const ours = (key: string): number[] => scores.map((s) => (key === 'neg_root_mean_squared_error' ? -s.metrics['rmse']! : s.metrics[key]!));
      for (const [key, reference] of Object.entries(c.scores)) {
        const got = ours(key);
        got.forEach((v, i) => expect(Math.abs(v - reference[i]!), `${c.name} ${key} fold ${i}: ours ${v}, sklearn ${reference[i]}`).toBeLessThan(0.01));
      }
    });
  }
});
