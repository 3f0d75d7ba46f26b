import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineDoc } from '../../../app/pipeline/document';
import { createOutputCache } from '../../../app/pipeline/run/execute';
import { FAST_ADULT, openTestHost, type TestHost } from './pipeline.testkit';
import { trainPipeline } from './runner';

let host: TestHost;
let adult: PipelineDoc;
beforeAll(async () => {
  host = await openTestHost();
  adult = await host.pipeline('adult-income.pipeline.json');
});
afterAll(async () => { await host.close(); });

/** The adult pipeline plus a second branch: an imported ONNX model evaluated on the same test rows. */
function withImportedBranch(doc: PipelineDoc, file: string): PipelineDoc {
  return {
    ...doc,
    nodes: [...doc.nodes, { id: 'imported', kind: 'importedOnnx', params: { file, target: 'income' }, position: { x: 0, y: 300 } }, { id: 'evaluate2', kind: 'evaluate', params: {}, position: { x: 240, y: 300 } }],
    edges: [...doc.edges, { id: 'i', from: { node: 'imported', port: 'model' }, to: { node: 'evaluate2', port: 'model' } }, { id: 'j', from: { node: 'split', port: 'test' }, to: { node: 'evaluate2', port: 'data' } }],
  };
}

function stateOf(result: Awaited<ReturnType<typeof trainPipeline>>, nodeId: string): string {
  const s = result.execution.statuses.find((x) => x.nodeId === nodeId)!;
  return s.error ? `${s.state}: ${s.error.message}` : s.state;
}

describe('trainPipeline(bad input) puts a clear message on the failing node only', () => {
  it('a text column fed to the model (or to Scale) fails that node; the fixed pipeline then runs from the cache', async () => {
    const cache = createOutputCache();
    const categories = ['workclass', 'education', 'marital_status', 'occupation', 'relationship', 'race', 'native_country'];
    const bad = await trainPipeline(host, { doc: adult, path: 'p', overrides: { ...FAST_ADULT, 'onehot.columns': categories }, cache, store: host.store });
    expect(stateOf(bad, 'gbdt')).toBe('failed: Gradient boosting needs numbers, but column "sex" holds text. Add a One-hot, Ordinal or Text vectorizer step for it, or leave it out of the features.');
    expect(bad.execution.failed?.nodeId).toBe('gbdt');
    expect(stateOf(bad, 'evaluate')).toBe('blocked');
    const scale = await trainPipeline(host, { doc: adult, path: 'p', overrides: { ...FAST_ADULT, 'onehot.columns': categories, 'scale.columns': ['age', 'sex'] }, cache });
    expect(stateOf(scale, 'scale')).toBe('failed: Column "sex" holds text; this step needs numbers.');
    expect((await host.store.getRun(bad.runId!)).status).toBe('failed');
    const fixed = await trainPipeline(host, { doc: adult, path: 'p', overrides: FAST_ADULT, cache });
    expect(fixed.execution.executed).toEqual(['onehot', 'scale', 'gbdt', 'evaluate']);
  });

  it('an empty table fails the Source; a one-class target fails the model', async () => {
    const empty = await trainPipeline(host, { doc: adult, path: 'p', overrides: { ...FAST_ADULT, 'source.sql': 'SELECT * FROM adult WHERE false' } });
    expect(stateOf(empty, 'source')).toBe('failed: The query has no rows, so there is nothing to train on.');
    expect(stateOf(empty, 'evaluate')).toBe('blocked');
    const oneClass = await trainPipeline(host, { doc: adult, path: 'p', overrides: { ...FAST_ADULT, 'source.sql': "SELECT * FROM adult WHERE income = '<=50K' LIMIT 2000", 'split.method': 'random' } });
    expect(stateOf(oneClass, 'gbdt')).toBe('failed: The target "income" has only one class ("<=50K") in the training rows; a classifier needs at least two.');
    expect(stateOf(oneClass, 'scale')).toBe('done');
  });

  it('a malformed imported ONNX file fails its node while the other branch trains and evaluates', async () => {
    await writeFile(join(host.root, 'broken.onnx'), 'this is not protobuf at all, just text');
    const result = await trainPipeline(host, { doc: withImportedBranch(adult, 'broken.onnx'), path: 'p', overrides: FAST_ADULT });
    expect(stateOf(result, 'imported')).toMatch(/^failed: "broken.onnx": This file is not a valid ONNX model/);
    expect(stateOf(result, 'evaluate2')).toBe('blocked');
    expect(stateOf(result, 'evaluate')).toBe('done');
    expect(result.metrics['accuracy']).toBeGreaterThan(0.8);
  });
});
