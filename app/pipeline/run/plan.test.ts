import { describe, expect, it } from 'vitest';
import type { PipelineDoc } from '../document';
import { applyOverrides, parseAssignment, sweepTrials } from './overrides';
import { nodeKey, planNodes, topologicalOrder } from './plan';

const doc: PipelineDoc = {
  version: 1, id: 'p', name: 'p',
  nodes: [
    { id: 'eval', kind: 'evaluate', params: {}, position: { x: 0, y: 0 } },
    { id: 'model', kind: 'logisticRegression', params: { target: 'y', C: 1 }, position: { x: 0, y: 0 } },
    { id: 'split', kind: 'split', params: {}, position: { x: 0, y: 0 } },
    { id: 'src', kind: 'source', params: { from: 'dataset', dataset: 'd' }, position: { x: 0, y: 0 } },
  ],
  edges: [
    { id: 'a', from: { node: 'src', port: 'data' }, to: { node: 'split', port: 'data' } },
    { id: 'b', from: { node: 'split', port: 'train' }, to: { node: 'model', port: 'train' } },
    { id: 'c', from: { node: 'model', port: 'model' }, to: { node: 'eval', port: 'model' } },
    { id: 'd', from: { node: 'split', port: 'test' }, to: { node: 'eval', port: 'data' } },
  ],
};

describe('plan', () => {
  it('topologicalOrder(doc) puts inputs first; planNodes(upTo) keeps only what the node needs', () => {
    expect(topologicalOrder(doc).map((n) => n.id)).toEqual(['src', 'split', 'model', 'eval']);
    expect(planNodes(doc, { mode: 'upTo', nodeId: 'model' }).map((n) => n.id)).toEqual(['src', 'split', 'model']);
    expect(() => planNodes(doc, { mode: 'node', nodeId: 'nope' })).toThrow('This pipeline has no node "nope".');
  });

  it('nodeKey(node, upstream) ignores param key order but changes with params, inputs and data', () => {
    const model = doc.nodes[1]!;
    const key = nodeKey(model, { train: 'k1:train' });
    expect(nodeKey({ ...model, params: { C: 1, target: 'y' } }, { train: 'k1:train' })).toBe(key);
    expect(nodeKey({ ...model, params: { C: 2, target: 'y' } }, { train: 'k1:train' })).not.toBe(key);
    expect(nodeKey(model, { train: 'k2:train' })).not.toBe(key);
    expect(nodeKey(doc.nodes[3]!, {}, 'a')).not.toBe(nodeKey(doc.nodes[3]!, {}, 'b'));
  });
});

describe('overrides', () => {
  it('parseAssignment(text) reads JSON values and falls back to text', () => {
    expect(parseAssignment('model.C=0.5')).toEqual(['model.C', 0.5]);
    expect(parseAssignment('src.sql=SELECT 1')).toEqual(['src.sql', 'SELECT 1']);
    expect(parseAssignment('m.features=["a","b"]')).toEqual(['m.features', ['a', 'b']]);
    expect(() => parseAssignment('maxIter=3')).toThrow('is not NODE.PARAM=VALUE');
  });

  it('applyOverrides(doc, set) changes one node and names a missing one', () => {
    const next = applyOverrides(doc, { 'model.C': 3 });
    expect(next.nodes[1]!.params).toEqual({ target: 'y', C: 3 });
    expect(doc.nodes[1]!.params['C']).toBe(1);
    expect(() => applyOverrides(doc, { 'x.C': 3 })).toThrow('this pipeline has no node "x"');
  });

  it('sweepTrials(space) gives the grid in key order, or a seeded distinct random sample', () => {
    const space = { 'm.b': [1, 2], 'm.a': ['x', 'y', 'z'] };
    expect(sweepTrials(space, 'grid', 4, 0)).toEqual([{ 'm.a': 'x', 'm.b': 1 }, { 'm.a': 'x', 'm.b': 2 }, { 'm.a': 'y', 'm.b': 1 }, { 'm.a': 'y', 'm.b': 2 }]);
    const random = sweepTrials(space, 'random', 4, 7);
    expect(random).toEqual(sweepTrials(space, 'random', 4, 7));
    expect(new Set(random.map((t) => JSON.stringify(t))).size).toBe(4);
    expect(sweepTrials(space, 'random', 50, 7)).toHaveLength(6);
  });
});
