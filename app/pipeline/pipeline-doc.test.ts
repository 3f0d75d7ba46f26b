import { describe, expect, it } from 'vitest';
import { createRng } from '../base/rng';
import { NODE_KINDS, nodeCatalog } from './catalog';
import { createPipeline } from './document';
import type { PipelineDoc } from './document';
import { applyPipelineOp, invertPipelineOp } from './ops';
import type { PipelineOp } from './ops';
import { parsePipeline, serializePipeline } from './serialize';
import { validateGraph } from './validate';
import { stepSpecOf } from './plan';

function churnPipeline(): PipelineDoc {
  const ops: PipelineOp[] = [
    { type: 'addNode', node: { id: 'src', kind: 'source', params: { from: 'dataset', dataset: 'churn.csv' }, position: { x: 0, y: 0 } } },
    { type: 'addNode', node: { id: 'split', kind: 'split', params: { method: 'stratified', column: 'churn', testFraction: 0.25, seed: 1 }, position: { x: 200, y: 0 } } },
    { type: 'addNode', node: { id: 'imp', kind: 'impute', params: { columns: ['age'], strategy: 'median' }, position: { x: 400, y: 0 } } },
    { type: 'addNode', node: { id: 'rf', kind: 'randomForest', params: { target: 'churn', nTrees: 50 }, position: { x: 600, y: 0 } } },
    { type: 'addNode', node: { id: 'eval', kind: 'evaluate', params: {}, position: { x: 800, y: 0 } } },
    { type: 'connect', edge: { id: 'e1', from: { node: 'src', port: 'data' }, to: { node: 'split', port: 'data' } } },
    { type: 'connect', edge: { id: 'e2', from: { node: 'split', port: 'train' }, to: { node: 'imp', port: 'data' } } },
    { type: 'connect', edge: { id: 'e3', from: { node: 'imp', port: 'data' }, to: { node: 'rf', port: 'train' } } },
    { type: 'connect', edge: { id: 'e4', from: { node: 'rf', port: 'model' }, to: { node: 'eval', port: 'model' } } },
    { type: 'connect', edge: { id: 'e5', from: { node: 'split', port: 'test' }, to: { node: 'eval', port: 'data' } } },
  ];
  return ops.reduce(applyPipelineOp, createPipeline('p1', 'Churn'));
}

describe('validateGraph(doc)', () => {
  it('finds no issue in a complete source → split → impute → forest → evaluate pipeline', () => {
    expect(validateGraph(churnPipeline())).toEqual([]);
  });
  it('reports wrong port types, missing inputs, invalid params and cycles in plain words', () => {
    let doc = churnPipeline();
    doc = applyPipelineOp(doc, { type: 'disconnect', edgeId: 'e5' });
    doc = applyPipelineOp(doc, { type: 'connect', edge: { id: 'bad', from: { node: 'rf', port: 'model' }, to: { node: 'imp', port: 'data' } } });
    doc = applyPipelineOp(doc, { type: 'setParam', nodeId: 'imp', key: 'strategy', value: 'average' });
    const messages = validateGraph(doc).map((i) => `${i.nodeId ?? ''}|${i.message}`);
    expect(messages).toContain('eval|Evaluate needs a table connected to its "data" input.');
    expect(messages).toContain('imp|Random forest gives a model, but the "data" input of Impute needs a table.');
    expect(messages).toContain('imp|The "data" input of Impute has more than one connection; keep one.');
    expect(messages.some((m) => m.startsWith('imp|Impute: "strategy" invalid option'))).toBe(true);
    expect(messages).toContain('rf|Random forest is part of a loop; a pipeline must flow one way.');
  });
  it('warns on fitted preprocessing placed before the Split, not on lag/rolling there', () => {
    let doc = churnPipeline();
    doc = applyPipelineOp(doc, { type: 'addNode', node: { id: 'scale', kind: 'scale', params: { columns: ['age'] }, position: { x: 100, y: 100 } } });
    doc = applyPipelineOp(doc, { type: 'addNode', node: { id: 'lag', kind: 'lag', params: { column: 'age', orderBy: 'day' }, position: { x: 100, y: 200 } } });
    doc = applyPipelineOp(doc, { type: 'disconnect', edgeId: 'e1' });
    for (const [id, from, to] of [['a', 'src', 'lag'], ['b', 'lag', 'scale'], ['c', 'scale', 'split']] as const) {
      doc = applyPipelineOp(doc, { type: 'connect', edge: { id, from: { node: from, port: 'data' }, to: { node: to, port: 'data' } } });
    }
    const issues = validateGraph(doc);
    expect(issues.map((i) => [i.nodeId, i.severity])).toEqual([['scale', 'warning']]);
    expect(issues[0]!.message).toBe('Scale comes before the Split, so it learns from the test rows too and Evaluate cannot feed its model the raw rows. Move it after the Split.');
  });
  it('every catalog kind has a label, ports and parameters that accept their defaults plus required fields', () => {
    expect(NODE_KINDS.length).toBe(Object.keys(nodeCatalog).length);
    for (const kind of NODE_KINDS) expect(nodeCatalog[kind].label.length).toBeGreaterThan(0);
    expect(nodeCatalog.bucketize.params.parse({ columns: ['a'] })).toEqual({ columns: ['a'], bins: 5, strategy: 'quantile' });
    expect(nodeCatalog.split.params.safeParse({ method: 'time' }).success).toBe(false);
  });
});

describe('applyPipelineOp(doc, op) and invertPipelineOp(doc, op)', () => {
  it('undoing every op of a random edit sequence restores the document byte for byte', () => {
    const rng = createRng(3);
    let doc = churnPipeline();
    const history: { before: string; inverse: PipelineOp }[] = [];
    for (let i = 0; i < 60; i++) {
      const nodes = doc.nodes, edges = doc.edges;
      const pick = <T,>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;
      const candidates: PipelineOp[] = [
        { type: 'addNode', node: { id: `n${i}`, kind: 'scale', params: { columns: ['x'] }, position: { x: i, y: i } } },
        { type: 'moveNode', nodeId: pick(nodes).id, position: { x: rng.int(500), y: rng.int(500) } },
        { type: 'setParam', nodeId: pick(nodes).id, key: 'k', value: rng.next() < 0.3 ? undefined : rng.int(9) },
        { type: 'renameNode', nodeId: pick(nodes).id, label: rng.next() < 0.5 ? undefined : `L${i}` },
        { type: 'batch', ops: [{ type: 'renamePipeline', name: `P${i}` }, { type: 'setParams', nodeId: pick(nodes).id, params: { a: i } }] },
      ];
      if (nodes.length > 2) candidates.push({ type: 'removeNode', nodeId: pick(nodes).id });
      if (edges.length > 0) candidates.push({ type: 'disconnect', edgeId: pick(edges).id });
      if (nodes.length > 1) candidates.push({ type: 'connect', edge: { id: `c${i}`, from: { node: pick(nodes).id, port: 'data' }, to: { node: pick(nodes).id, port: 'data' } } });
      const op = pick(candidates);
      history.push({ before: serializePipeline(doc), inverse: invertPipelineOp(doc, op) });
      doc = applyPipelineOp(doc, op);
    }
    for (const step of history.reverse()) {
      doc = applyPipelineOp(doc, step.inverse);
      expect(serializePipeline(doc)).toBe(step.before);
    }
  });
  it('rejects ops on nodes that do not exist and duplicate ids, leaving the input untouched', () => {
    const doc = churnPipeline();
    const before = serializePipeline(doc);
    expect(() => applyPipelineOp(doc, { type: 'removeNode', nodeId: 'nope' })).toThrow(/no node "nope"/);
    expect(() => applyPipelineOp(doc, { type: 'addNode', node: { id: 'rf', kind: 'kmeans', params: {}, position: { x: 0, y: 0 } } })).toThrow(/already exists/);
    applyPipelineOp(doc, { type: 'setParam', nodeId: 'rf', key: 'nTrees', value: 9 });
    expect(serializePipeline(doc)).toBe(before);
  });
});

describe('serializePipeline(doc) / parsePipeline(text)', () => {
  it('round-trips exactly, with sorted keys, 2-space indent and a trailing newline', () => {
    const text = serializePipeline(churnPipeline());
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "edges": [\n');
    expect(text.indexOf('"edges"')).toBeLessThan(text.indexOf('"nodes"'));
    expect(serializePipeline(parsePipeline(text))).toBe(text);
    expect(parsePipeline(text)).toEqual(churnPipeline());
  });
  it('gives the line and column of a JSON syntax error and the path of a structural one', () => {
    const text = serializePipeline(churnPipeline());
    expect(() => parsePipeline(text.replace('"name": "Churn"', '"name": "Churn",,'))).toThrow(/not valid JSON \(line \d+, column \d+\)/);
    expect(() => parsePipeline(text.replace('"kind": "split"', '"kind": "splitter"'))).toThrow(/nodes\.\d+\.kind: is not a known node kind/);
    expect(() => parsePipeline('{"version": 2}')).toThrow(/at version/);
  });
});

describe('stepSpecOf(node)', () => {
  it('turns a canvas node into a checked step spec with defaults, and refuses bad settings by node', () => {
    const node = { id: 'b', kind: 'bucketize' as const, params: { columns: ['age'] }, position: { x: 0, y: 0 } };
    expect(stepSpecOf(node)).toEqual({ kind: 'bucketize', columns: ['age'], bins: 5, strategy: 'quantile' });
    expect(stepSpecOf({ ...node, kind: 'featureSelect', params: { method: 'kbest', k: 3, target: 'y' } })).toEqual({ kind: 'featureSelect', method: 'kbest', k: 3, score: 'anova' });
    expect(stepSpecOf({ ...node, kind: 'lag', params: {} })).toBeNull();
    expect(() => stepSpecOf({ ...node, params: { columns: ['age'], bins: 1 } })).toThrow(/node "b" are not valid/);
  });
});
