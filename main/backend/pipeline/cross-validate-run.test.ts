import { mkdtemp, rm, cp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineDoc, PipelineNode } from '../../../app/pipeline/document';
import { createOutputCache } from '../../../app/pipeline/run/execute';
import { serializePipeline } from '../../../app/pipeline/serialize';
import { runCli } from '../../cli/main';
import { FAST_ADULT, openTestHost, TABULAR_EXAMPLE, type TestHost } from './pipeline.testkit';
import { trainPipeline } from './runner';

let host: TestHost;
beforeAll(async () => { host = await openTestHost(); });
afterAll(async () => { await host.close(); });

function node(id: string, params: Record<string, unknown>): PipelineNode {
  return { id, kind: 'crossValidate', params, position: { x: 960, y: 200 } };
}

function edge(from: string, fromPort: string, to: string, toPort: string) {
  return { id: `${from}.${fromPort}->${to}.${toPort}`, from: { node: from, port: fromPort }, to: { node: to, port: toPort } };
}

/** The adult example with a Cross-validate node folding the Split's train rows through the gradient boosting chain. */
function adultWithCv(doc: PipelineDoc, k: number): PipelineDoc {
  return { ...doc, nodes: [...doc.nodes, node('cv', { k, seed: 7 })], edges: [...doc.edges, edge('gbdt', 'model', 'cv', 'model'), edge('split', 'train', 'cv', 'data')] };
}

describe('trainPipeline(adult + Cross-validate node)', () => {
  it('reports per-fold metrics, mean ± std and fold progress, and tracks cv_* metrics beside Evaluate\'s', async () => {
    const doc = adultWithCv(await host.pipeline('adult-income.pipeline.json'), 3);
    const progress: number[] = [];
    const result = await trainPipeline(host, { doc, path: 'p', overrides: { ...FAST_ADULT, 'source.sql': 'SELECT * FROM adult LIMIT 3000', 'gbdt.maxIter': 8 }, store: host.store, onEvent: (e) => { if (e.type === 'progress' && e.nodeId === 'cv') progress.push(e.progress.done); } });
    const status = result.execution.statuses.find((s) => s.nodeId === 'cv')!;
    expect(status.state).toBe('done');
    expect(status.message).toMatch(/^3 folds, refitting impute → onehot → scale → Gradient boosting: accuracy 0\.\d{3} ± 0\.\d{3}$/);
    const value = result.execution.outputs.get('cv')!['metrics']!;
    if (value.type !== 'metrics' || !value.crossValidation) throw new Error('no cross-validation output');
    const cv = value.crossValidation;
    expect(cv.folds.map((f) => f.trainRows + f.testRows)).toEqual([2400, 2400, 2400]);
    const accuracies = cv.folds.map((f) => f.metrics['accuracy']!);
    expect(cv.mean['accuracy']).toBeCloseTo(accuracies.reduce((a, b) => a + b) / 3, 12);
    expect(cv.mean['accuracy']).toBeGreaterThan(0.78);
    expect(progress.sort()).toEqual([1, 2, 3]);
    expect(result.metrics['cv_accuracy']).toBe(cv.mean['accuracy']);
    expect(result.metrics['cv_accuracy_std']).toBe(cv.std['accuracy']);
    expect(result.metrics['accuracy']).toBeGreaterThan(0.8);
    const run = await host.store.getRun(result.runId!);
    expect(run.artifacts.some((a) => a.path === 'cross-validation/cv.json')).toBe(true);
  });

  it('cancelling during the folds stops the node as cancelled', async () => {
    const doc = adultWithCv(await host.pipeline('adult-income.pipeline.json'), 5);
    const controller = new AbortController();
    const result = await trainPipeline(host, { doc, path: 'p', overrides: { ...FAST_ADULT, 'source.sql': 'SELECT * FROM adult LIMIT 3000', 'gbdt.maxIter': 300 }, cache: createOutputCache(), signal: controller.signal, onEvent: (e) => { if (e.type === 'node' && e.status.nodeId === 'cv' && e.status.state === 'running') setTimeout(() => controller.abort(), 50); } });
    expect(result.execution.cancelled).toBe(true);
    expect(result.execution.statuses.find((s) => s.nodeId === 'cv')?.state).toBe('cancelled');
  });
});

describe('vajra train PIPELINE --json with a Cross-validate node', () => {
  it('prints cv_* metrics (mean and std over the folds) beside the Evaluate metrics', async () => {
    const root = await mkdtemp(join(tmpdir(), 'vajra-cv-cli-'));
    try {
      await cp(TABULAR_EXAMPLE, root, { recursive: true });
      await writeFile(join(root, 'adult-cv.pipeline.json'), serializePipeline(adultWithCv(await host.pipeline('adult-income.pipeline.json'), 3)));
      let out = '', err = '';
      const code = await runCli(['train', 'adult-cv.pipeline.json', '--workspace', root, '--set', 'source.from=sql', '--set', 'source.sql=SELECT * FROM adult LIMIT 2000', '--set', 'gbdt.maxIter=5', '--json'], { cwd: root, env: {}, stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
      expect(code, err).toBe(0);
      const result = JSON.parse(out) as { status: string; metrics: Record<string, number> };
      expect(result.status).toBe('finished');
      expect(result.metrics['cv_accuracy']).toBeGreaterThan(0.7);
      expect(result.metrics['cv_accuracy_std']).toBeGreaterThanOrEqual(0);
      expect(result.metrics['cv_roc_auc']).toBeGreaterThan(0.7);
      expect(result.metrics['accuracy']).toBeGreaterThan(0.7);
      expect(err).toMatch(/cv/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
