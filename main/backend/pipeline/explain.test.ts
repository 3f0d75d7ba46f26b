import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asId, type RunId } from '../../../app/base/ids';
import { bundleInputFromRun } from '../export/export-bundle';
import { startServer, writeRunnableBundle, type RunningServer } from '../export/bundle.testkit';
import { explainerEnsemble } from '../../../app/explain/explainer';
import { predictRaw } from '../../../app/ml/trees/predict';
import type { PipelineDoc } from '../../../app/pipeline/document';
import { featureRows, rawTableOf } from '../../../app/pipeline/run/explain-node';
import { fromBase64 } from '../../../app/explain/explainer';
import { takeRows } from '../../../app/explain/table';
import type { Explanations, ExplanationsValue } from '../../../app/pipeline/run/explain-types';
import type { ModelValue, TableValue } from '../../../app/pipeline/run/types';
import { explainRowOf } from './explain-row';
import { FAST_ADULT, openTestHost, type TestHost } from './pipeline.testkit';
import { hostEnv, trainPipeline } from './runner';

let host: TestHost;
beforeAll(async () => { host = await openTestHost(); });
afterAll(async () => { await host.close(); });

/** The adult example with an Explain node on the boosted model and the test split. */
export function withExplain(doc: PipelineDoc, model = 'gbdt'): PipelineDoc {
  return {
    ...doc,
    nodes: [...doc.nodes, { id: 'explain', kind: 'explain', params: { maxRows: 200, repeats: 3, pdpColumns: 2 }, position: { x: 0, y: 0 } }],
    edges: [...doc.edges, { id: 'm', from: { node: model, port: 'model' }, to: { node: 'explain', port: 'model' } }, { id: 'd', from: { node: 'split', port: 'test' }, to: { node: 'explain', port: 'data' } }],
  };
}

let runId = '';
let gbdtOnnx: Uint8Array | undefined;
let explained: Explanations;

describe('Explain node on the adult example', () => {
  it('runExplain gives importance, TreeSHAP grouped to raw columns (base + Σ = log-odds to 1e-6), PDP, and a matching what-if', async () => {
    const doc = withExplain(await host.pipeline('adult-income.pipeline.json'));
    const result = await trainPipeline(host, { doc, path: 'adult-income.pipeline.json', overrides: FAST_ADULT, store: host.store });
    runId = result.runId!;
    explained = (result.execution.outputs.get('explain')!['explanation'] as ExplanationsValue).explanations;
    expect(result.execution.failed).toBeUndefined();
    const value = result.execution.outputs.get('explain')!['explanation'] as ExplanationsValue;
    const ex = value.explanations;
    expect(ex.method).toBe('tree');
    expect(ex.output).toBe('log_odds');
    expect(ex.rows).toHaveLength(200);
    expect(ex.columns).toContain('education');
    expect(ex.features.length).toBeGreaterThan(ex.columns.length);
    expect(ex.importance.metric).toBe('roc_auc');
    const top = [...ex.importance.columns].sort((a, b) => b.mean - a.mean)[0]!;
    expect(top.mean).toBeGreaterThan(0.01);
    expect(ex.pdp).toHaveLength(2);
    // Additivity against an independent prediction: the ensemble's raw score on the same features.
    const model = result.execution.outputs.get('gbdt')!['model'] as ModelValue;
    gbdtOnnx = model.onnx;
    const test = result.execution.outputs.get('split')!['test'] as TableValue;
    const raw = takeRows(rawTableOf(model, test.table), Int32Array.from({ length: 200 }, (_, i) => i));
    const x = await featureRows(model, fromBase64(value.explainer!.featuresOnnx), raw, hostEnv(host));
    const margin = predictRaw(explainerEnsemble(value.explainer!), x);
    for (let r = 0; r < 200; r++) {
      const sum = ex.baseValue + ex.shap[r]!.reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - margin[r]!)).toBeLessThan(1e-6);
      expect(Math.abs(ex.outputs[r]! - margin[r]!)).toBeLessThan(1e-6);
      // The ONNX probability is the logistic of the same margin (float32 inside onnxruntime).
      expect(Math.abs(1 / (1 + Math.exp(-margin[r]!)) - ex.predictions[r]!)).toBeLessThan(1e-4);
      const detailSum = ex.detail[r]!.reduce((a, b) => a + b, 0);
      expect(Math.abs(detailSum + ex.baseValue - margin[r]!)).toBeLessThan(1e-6);
    }
    // What-if on row 3 as typed values equals the node's row 3; changing a value moves the output.
    const values = Object.fromEntries(ex.columns.map((c, i) => [c, ex.data[3]![i]!]));
    const one = await explainRowOf(doc, result.execution.outputs, 'explain', values, { score: host.score });
    expect(Math.abs(one.output - ex.outputs[3]!)).toBeLessThan(1e-9);
    ex.columns.forEach((c, i) => expect(Math.abs(one.attributions[c]! - ex.shap[3]![i]!)).toBeLessThan(1e-9));
    expect(Math.abs(one.prediction - ex.predictions[3]!)).toBeLessThan(1e-6);
    const older = await explainRowOf(doc, result.execution.outputs, 'explain', { ...values, age: 70, capital_gain: 20000 }, { score: host.score });
    expect(older.output).not.toBeCloseTo(one.output, 3);
    expect(Math.abs(older.baseValue + Object.values(older.attributions).reduce((a, b) => a + b, 0) - older.output)).toBeLessThan(1e-9);
  }, 60_000);
});

describe('bundle POST /explain', () => {
  let dir = '';
  let server: RunningServer | undefined;
  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGTERM');
    await server?.exit;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers the same attributions as the app for the same rows (1e-6), base_value + Σ = output', async () => {
    expect(runId).not.toBe('');
    const run = await host.store.getRun(asId<RunId>(runId));
    expect(run.artifacts.map((a) => a.path)).toEqual(expect.arrayContaining(['explanations/explain/explainer.json', 'explanations/explain/explanations.json', 'explanations/explain/importance.svg']));
    dir = await mkdtemp(join(tmpdir(), 'vajra-explain-bundle-'));
    await writeRunnableBundle(await bundleInputFromRun(host.root, runId), join(dir, 'b'));
    server = await startServer(join(dir, 'b'));
    const rows = explained.data.slice(0, 25).map((row) => Object.fromEntries(explained.columns.map((c, i) => [c, row[i]!])));
    const res = await fetch(`${server.url}/explain`, { method: 'POST', body: JSON.stringify({ dataframe_records: rows }), headers: { 'Content-Type': 'application/json' } });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    const body = JSON.parse(text) as { explanations: { output: number; base_value: number; attributions: Record<string, number> }[] };
    expect(body.explanations).toHaveLength(25);
    body.explanations.forEach((e, r) => {
      expect(Math.abs(e.base_value - explained.baseValue)).toBeLessThan(1e-6);
      expect(Math.abs(e.output - explained.outputs[r]!)).toBeLessThan(1e-6);
      explained.columns.forEach((c, i) => expect(Math.abs(e.attributions[c]! - explained.shap[r]![i]!)).toBeLessThan(1e-6));
      const sum = e.base_value + Object.values(e.attributions).reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - e.output)).toBeLessThan(1e-9);
    });
  }, 60_000);
});

describe('Explain node on an imported ONNX model', () => {
  it('runExplain falls back to Kernel SHAP on the raw columns: base + Σ = the ONNX probability, no what-if', async () => {
    const adult = await host.pipeline('adult-income.pipeline.json');
    expect(gbdtOnnx).toBeDefined();
    await mkdir(join(host.root, 'models'), { recursive: true });
    await writeFile(join(host.root, 'models', 'adult.onnx'), gbdtOnnx!);
    const doc: PipelineDoc = {
      ...adult,
      nodes: [
        ...adult.nodes.filter((n) => ['source', 'split'].includes(n.id)),
        { id: 'imported', kind: 'importedOnnx', params: { file: 'models/adult.onnx', target: 'income' }, position: { x: 0, y: 0 } },
        { id: 'explain', kind: 'explain', params: { maxRows: 30, repeats: 2, pdpColumns: 1 }, position: { x: 0, y: 0 } },
      ],
      edges: [adult.edges[0]!, { id: 'a', from: { node: 'imported', port: 'model' }, to: { node: 'explain', port: 'model' } }, { id: 'b', from: { node: 'split', port: 'test' }, to: { node: 'explain', port: 'data' } }],
    };
    const result = await trainPipeline(host, { doc, path: 'p', overrides: { 'source.from': 'sql', 'source.sql': FAST_ADULT['source.sql'] } });
    expect(result.execution.failed).toBeUndefined();
    const value = result.execution.outputs.get('explain')!['explanation'] as ExplanationsValue;
    const ex = value.explanations;
    expect(value.explainer).toBeNull();
    expect(ex.method).toBe('kernel');
    expect(ex.output).toBe('probability');
    expect(ex.shap).toHaveLength(30);
    ex.shap.forEach((row, r) => {
      expect(Math.abs(ex.baseValue + row.reduce((a, b) => a + b, 0) - ex.outputs[r]!)).toBeLessThan(1e-6);
      expect(Math.abs(ex.outputs[r]! - ex.predictions[r]!)).toBeLessThan(1e-6);
    });
    await expect(explainRowOf(doc, result.execution.outputs, 'explain', {}, { score: host.score })).rejects.toThrow(/exact explainer/);
  }, 60_000);
});

