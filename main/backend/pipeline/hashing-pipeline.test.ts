import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { quoteLiteral } from '../../../app/data/engine';
import { readOnnxModel } from '../../../app/onnx/reader';
import type { PipelineDoc, PipelineNode } from '../../../app/pipeline/document';
import { predictReference } from '../../../app/pipeline/predict-reference';
import { featureMatrix } from '../../../app/pipeline/run/columns';
import { buildFeed } from '../../../app/pipeline/run/nodes-evaluate';
import type { TableValue } from '../../../app/pipeline/run/types';
import { transformSteps } from '../../../app/pipeline/steps/index';
import { openTestHost, type TestHost } from './pipeline.testkit';
import { trainPipeline } from './runner';

const SPAM = fileURLToPath(new URL('../../../examples/text/data/Youtube0*.csv', import.meta.url));

let host: TestHost;
beforeAll(async () => { host = await openTestHost(); });
afterAll(async () => { await host.close(); });

function node(id: string, kind: PipelineNode['kind'], params: Record<string, unknown>): PipelineNode {
  return { id, kind, params, position: { x: 0, y: 0 } };
}

function edge(from: string, fromPort: string, to: string, toPort: string): PipelineDoc['edges'][number] {
  return { id: `${from}.${fromPort}->${to}.${toPort}`, from: { node: from, port: fromPort }, to: { node: to, port: toPort } };
}

describe('source → split → text vectorizer (hashing) → logistic regression → evaluate', () => {
  it('trains on the YouTube spam comments and scores through the compiled graph (MurmurHash3 inside) like the TS twin', async () => {
    const doc: PipelineDoc = {
      version: 1, id: 'spam', name: 'spam',
      nodes: [
        node('source', 'source', { from: 'sql', sql: `SELECT CONTENT AS text, CASE WHEN CLASS = 1 THEN 'spam' ELSE 'ham' END AS label FROM read_csv(${quoteLiteral(SPAM)})` }),
        node('split', 'split', { method: 'stratified', column: 'label', testFraction: 0.25, seed: 3 }),
        node('hash', 'textVectorizer', { column: 'text', mode: 'hashing', nFeatures: 1024 }),
        node('logistic', 'logisticRegression', { target: 'label', C: 10 }),
        node('evaluate', 'evaluate', {}),
      ],
      edges: [edge('source', 'data', 'split', 'data'), edge('split', 'train', 'hash', 'data'), edge('hash', 'data', 'logistic', 'train'), edge('logistic', 'model', 'evaluate', 'model'), edge('split', 'test', 'evaluate', 'data')],
    };
    const result = await trainPipeline(host, { doc, path: 'spam.pipeline.json' });
    expect(result.execution.failed).toBeUndefined();
    expect(result.metrics['accuracy']).toBeGreaterThan(0.88);
    const model = result.execution.outputs.get('logistic')!['model'];
    if (model?.type !== 'model' || model.fitted?.kind !== 'logisticRegression') throw new Error('expected a logistic regression');
    const info = readOnnxModel(model.onnx);
    expect(info.inputs.map((i) => `${i.name}:${i.elemType}`)).toEqual(['text:string']);
    expect(info.opsets).toMatchObject({ '': 16, 'com.microsoft': 1 });
    expect(model.summary.features).toHaveLength(1024);

    const test = (result.execution.outputs.get('split')!['test'] as TableValue).table;
    const x = featureMatrix(transformSteps(model.chain!.steps, test), model.summary.features, 'parity');
    const ref = predictReference(model.fitted, x);
    const out = await host.score(model.onnx, model.feeds.map((f) => buildFeed(test, f)));
    const got = out['probabilities']!.data as Float64Array;
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - ref.probabilities!.data[i]!));
    expect(worst).toBeLessThanOrEqual(1e-6);
    expect(Array.from(out['label']!.data as ArrayLike<string | number>)).toEqual(ref.label);
  });
});
