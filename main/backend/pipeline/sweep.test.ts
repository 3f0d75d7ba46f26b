import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineDoc, PipelineNode } from '../../../app/pipeline/document';
import type { MetricsValue } from '../../../app/pipeline/run/types';
import { FAST_ADULT, openTestHost, type TestHost } from './pipeline.testkit';
import { trainPipeline } from './runner';

let host: TestHost;
let adult: PipelineDoc;
beforeAll(async () => {
  host = await openTestHost();
  adult = await host.pipeline('adult-income.pipeline.json');
});
afterAll(async () => { await host.close(); });

describe('trainPipeline(pipeline with a Sweep node)', () => {
  it('runs a 2×2 grid over gradient boosting params on two workers, each trial a child run, best by ROC AUC', async () => {
    const doc: PipelineDoc = {
      ...adult,
      nodes: [...adult.nodes, { id: 'sweep', kind: 'sweep', params: { space: { 'gbdt.maxIter': [3, 8], 'gbdt.learningRate': [0.05, 0.3] }, trials: 10, metric: 'roc_auc' }, position: { x: 1200, y: 300 } }],
      edges: [...adult.edges, { id: 's', from: { node: 'scale', port: 'data' }, to: { node: 'sweep', port: 'train' } }],
    };
    const trials: number[] = [];
    const result = await trainPipeline(host, { doc, path: 'sweep.pipeline.json', overrides: FAST_ADULT, store: host.store, onEvent: (e) => { if (e.type === 'trial') trials.push(e.index); } });
    expect(result.execution.failed).toBeUndefined();
    const metrics = result.execution.outputs.get('sweep')!['metrics'] as MetricsValue;
    const sweep = metrics.sweep!;
    expect(sweep.trials.map((t) => t.overrides)).toEqual([
      { 'gbdt.learningRate': 0.05, 'gbdt.maxIter': 3 }, { 'gbdt.learningRate': 0.05, 'gbdt.maxIter': 8 },
      { 'gbdt.learningRate': 0.3, 'gbdt.maxIter': 3 }, { 'gbdt.learningRate': 0.3, 'gbdt.maxIter': 8 },
    ]);
    expect(trials.sort()).toEqual([0, 1, 2, 3]);
    const values = sweep.trials.map((t) => t.metric!);
    expect(values[sweep.best]).toBe(Math.max(...values));
    expect(metrics.evaluation.metrics['roc_auc']).toBe(values[sweep.best]);
    const children = host.store.listRuns().filter((r) => r.parentRunId === result.runId);
    expect(children).toHaveLength(4);
    expect(children.every((c) => c.status === 'finished' && typeof c.metrics['roc_auc']?.last === 'number')).toBe(true);
    const parent = await host.store.getRun(result.runId!);
    expect(parent.artifacts.map((a) => a.path)).toContain('sweep/sweep.json');
  });

  it('optimises a cross-validated metric (cv_roc_auc) through the Cross-validate node, and names the missing node otherwise', async () => {
    const sweep: PipelineNode = { id: 'sweep', kind: 'sweep', params: { space: { 'gbdt.maxIter': [2, 10] }, metric: 'cv_roc_auc' }, position: { x: 1200, y: 300 } };
    const cv: PipelineNode = { id: 'cv', kind: 'crossValidate', params: { k: 3 }, position: { x: 1200, y: 500 } };
    const toSweep = { id: 's', from: { node: 'scale', port: 'data' }, to: { node: 'sweep', port: 'train' } };
    const doc: PipelineDoc = {
      ...adult,
      nodes: [...adult.nodes, sweep, cv],
      edges: [...adult.edges, toSweep, { id: 'c1', from: { node: 'gbdt', port: 'model' }, to: { node: 'cv', port: 'model' } }, { id: 'c2', from: { node: 'split', port: 'train' }, to: { node: 'cv', port: 'data' } }],
    };
    const result = await trainPipeline(host, { doc, path: 'sweep-cv.pipeline.json', overrides: FAST_ADULT, store: host.store });
    expect(result.execution.failed).toBeUndefined();
    const metrics = result.execution.outputs.get('sweep')!['metrics'] as MetricsValue;
    const values = metrics.sweep!.trials.map((t) => t.metric!);
    expect(values.every((v) => v > 0.5 && v <= 1)).toBe(true);
    expect(values[0]).not.toBe(values[1]);
    expect(metrics.sweep!.metric).toBe('cv_roc_auc');
    expect(values[metrics.sweep!.best]).toBe(Math.max(...values));
    expect(metrics.evaluation.metrics['cv_roc_auc_std']).toBeGreaterThan(0);

    const withoutCv: PipelineDoc = { ...adult, nodes: [...adult.nodes, sweep], edges: [...adult.edges, toSweep] };
    const failed = await trainPipeline(host, { doc: withoutCv, path: 'sweep-cv.pipeline.json', overrides: FAST_ADULT });
    expect(failed.execution.failed?.nodeId).toBe('sweep');
    expect(failed.execution.failed?.error?.message).toMatch(/needs a Cross-validate node \(the metric cv_roc_auc is cross-validated\) after the node it tunes \(gbdt\)/);
  });

  it('evaluates an imported ONNX model with its inputs mapped to columns, scoring like the trained one', async () => {
    const trained = await trainPipeline(host, { doc: adult, path: 'p', overrides: FAST_ADULT });
    const model = trained.execution.outputs.get('gbdt')!['model'];
    if (model?.type !== 'model') throw new Error('no model');
    await mkdir(join(host.root, 'models'), { recursive: true });
    await writeFile(join(host.root, 'models', 'adult.onnx'), model.onnx);
    const doc: PipelineDoc = {
      ...adult,
      nodes: [
        ...adult.nodes.filter((n) => ['source', 'split'].includes(n.id)),
        { id: 'imported', kind: 'importedOnnx', params: { file: 'models/adult.onnx', target: 'income', inputs: { age: 'age' } }, position: { x: 0, y: 0 } },
        { id: 'evaluate', kind: 'evaluate', params: {}, position: { x: 0, y: 0 } },
      ],
      edges: [adult.edges[0]!, { id: 'a', from: { node: 'imported', port: 'model' }, to: { node: 'evaluate', port: 'model' } }, { id: 'b', from: { node: 'split', port: 'test' }, to: { node: 'evaluate', port: 'data' } }],
    };
    const imported = await trainPipeline(host, { doc, path: 'p', overrides: { 'source.from': 'sql', 'source.sql': FAST_ADULT['source.sql'] } });
    expect(imported.execution.failed).toBeUndefined();
    expect(imported.metrics['accuracy']).toBe(trained.metrics['accuracy']);
    expect(imported.metrics['roc_auc']).toBeCloseTo(trained.metrics['roc_auc']!, 12);
  });
});
