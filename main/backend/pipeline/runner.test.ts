import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunId } from '../../../app/base/ids';
import { predictProba } from '../../../app/ml/trees/predict';
import { featureMatrix } from '../../../app/pipeline/run/columns';
import { buildFeed } from '../../../app/pipeline/run/nodes-evaluate';
import type { ModelValue, TableValue } from '../../../app/pipeline/run/types';
import { transformSteps } from '../../../app/pipeline/steps/index';
import { parsePipeline, serializePipeline } from '../../../app/pipeline/serialize';
import { FAST_ADULT, openTestHost, type TestHost } from './pipeline.testkit';
import { rerunRun, trainPipeline } from './runner';

let host: TestHost;
beforeAll(async () => { host = await openTestHost(); });
afterAll(async () => { await host.close(); });

describe('trainPipeline(host, adult example)', () => {
  let runId: RunId;
  let model: ModelValue;

  it('trains source → split → impute → one-hot → scale → gradient boosting → evaluate and tracks the run', async () => {
    const doc = await host.pipeline('adult-income.pipeline.json');
    expect(serializePipeline(parsePipeline(serializePipeline(doc)))).toBe(serializePipeline(doc));
    const result = await trainPipeline(host, { doc, path: 'adult-income.pipeline.json', overrides: FAST_ADULT, store: host.store });
    expect(result.execution.failed).toBeUndefined();
    expect(result.execution.statuses.map((s) => `${s.nodeId}:${s.state}`)).toEqual(['source:done', 'split:done', 'impute:done', 'onehot:done', 'scale:done', 'gbdt:done', 'evaluate:done']);
    expect(result.metrics['accuracy']).toBeGreaterThan(0.8);
    expect(result.metrics['roc_auc']).toBeGreaterThan(0.85);
    runId = result.runId!;
    const run = await host.store.getRun(runId);
    expect(run.status).toBe('finished');
    expect(run.artifacts.map((a) => a.path).sort()).toEqual(['evaluation/evaluate/curves.json', 'evaluation/evaluate/metrics.json', 'model-summary.json', 'model.onnx', 'pipeline.json']);
    expect(run.params['gbdt.maxIter']).toBe(15);
    expect(run.repro.datasets).toHaveLength(1);
    expect(run.repro.datasets[0]!.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const points = await host.store.readMetrics(runId);
    expect(points.find((p) => p.key === 'accuracy')!.value).toBe(result.metrics['accuracy']);
    expect(points.filter((p) => p.key === 'train_loss').map((p) => p.step)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    const curves = JSON.parse((await host.store.readArtifact(runId, 'evaluation/evaluate/curves.json')).toString('utf8')) as { roc: { x: number[] }; confusion: { counts: number[][] } };
    expect(curves.roc.x[0]).toBe(0);
    expect(curves.confusion.counts.flat().reduce((a, b) => a + b, 0)).toBe(1200);
    const gbdt = result.execution.outputs.get('gbdt')!['model'];
    if (gbdt?.type !== 'model') throw new Error('no model');
    model = gbdt;
    expect(Buffer.compare(await host.store.readArtifact(runId, 'model.onnx'), Buffer.from(model.onnx))).toBe(0);

    // Parity: the compiled graph (onnxruntime-node) against the TypeScript steps + trees.
    const scaled = result.execution.outputs.get('scale')!['data'] as TableValue;
    const test = (result.execution.outputs.get('split')!['test'] as TableValue).table;
    const steps = [...scaled.chain.steps, { kind: 'selectColumns' as const, keep: model.summary.features }];
    const x = featureMatrix(transformSteps(steps, test), model.summary.features, 'parity');
    if (model.fitted?.kind !== 'treeClassifier') throw new Error('expected a tree classifier');
    const ts = predictProba(model.fitted.ensemble, x);
    const onnx = await host.score(model.onnx, model.feeds.map((f) => buildFeed(test, f)));
    const got = onnx['probabilities']!.data as Float64Array;
    let worst = 0;
    for (let i = 0; i < ts.length; i++) worst = Math.max(worst, Math.abs(got[i]! - ts[i]!));
    expect(worst).toBeLessThanOrEqual(1e-6);
  });

  it('trainPipeline(same data + seed) compiles the same model bytes, and rerunRun(runId) confirms it', async () => {
    const doc = await host.pipeline('adult-income.pipeline.json');
    const again = await trainPipeline(host, { doc, path: 'adult-income.pipeline.json', overrides: FAST_ADULT });
    const gbdt = again.execution.outputs.get('gbdt')!['model'];
    if (gbdt?.type !== 'model') throw new Error('no model');
    expect(Buffer.compare(Buffer.from(gbdt.onnx), Buffer.from(model.onnx))).toBe(0);
    const rerun = await rerunRun(host, host.store, runId);
    expect(rerun).toMatchObject({ identical: true, changedData: [] });
    expect(rerun.rebuiltBytes).toBe(model.onnx.length);
  });
});
