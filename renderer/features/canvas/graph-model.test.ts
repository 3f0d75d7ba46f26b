import { describe, expect, it } from 'vitest';
import { applyPipelineOp } from '../../../app/pipeline/ops';
import { parsePipeline } from '../../../app/pipeline/serialize';
import { validateGraph } from '../../../app/pipeline/validate';
import adultText from '../../../examples/tabular/adult-income.pipeline.json?raw';
import { autoConnection, candidateSources, connectionProblem, connectOp, freshNodeId, upstreamColumns } from './graph-model';

const adult = parsePipeline(adultText);

describe('connectionProblem(doc, connection)', () => {
  it('connectionProblem refuses a table into a model input, a self edge and a loop, and accepts split.test → evaluate.data', () => {
    expect(connectionProblem(adult, { source: 'scale', sourceHandle: 'data', target: 'evaluate', targetHandle: 'model' })).toMatch(/needs model/);
    expect(connectionProblem(adult, { source: 'impute', sourceHandle: 'data', target: 'impute', targetHandle: 'data' })).toMatch(/itself/);
    expect(connectionProblem(adult, { source: 'scale', sourceHandle: 'data', target: 'split', targetHandle: 'data' })).toMatch(/loop/);
    expect(connectionProblem(adult, { source: 'split', sourceHandle: 'test', target: 'evaluate', targetHandle: 'data' })).toBeNull();
    expect(connectionProblem(adult, { source: 'split', sourceHandle: 'nope', target: 'evaluate', targetHandle: 'data' })).toMatch(/output/);
  });
});

describe('connectOp(doc, from, to)', () => {
  it('connectOp replaces the edge already feeding the input, so the graph stays valid', () => {
    const op = connectOp(adult, { node: 'impute', port: 'data' }, { node: 'gbdt', port: 'train' });
    const next = applyPipelineOp(adult, op);
    expect(next.edges.filter((e) => e.to.node === 'gbdt')).toEqual([{ id: 'impute.data->gbdt.train', from: { node: 'impute', port: 'data' }, to: { node: 'gbdt', port: 'train' } }]);
    expect(validateGraph(next).filter((i) => i.message.includes('more than one'))).toEqual([]);
  });
});

describe('freshNodeId / autoConnection / candidateSources', () => {
  it('freshNodeId(doc, kind) slugs the label and numbers taken ids', () => {
    expect(freshNodeId(adult, 'histGradientBoosting')).toBe('gradient-boosting');
    const withSplit = { ...adult, nodes: [...adult.nodes, { ...adult.nodes[1]!, id: 'split-2' }] };
    expect(freshNodeId(withSplit, 'split')).toBe('split-3');
  });

  it('autoConnection(split, model) wires split.train into the model train input; evaluate after a model takes its model', () => {
    const split = adult.nodes.find((n) => n.id === 'split')!;
    expect(autoConnection(split, 'logisticRegression', 'lr')).toEqual({ from: { node: 'split', port: 'train' }, to: { node: 'lr', port: 'train' } });
    expect(autoConnection(adult.nodes.find((n) => n.id === 'gbdt')!, 'evaluate', 'ev')).toEqual({ from: { node: 'gbdt', port: 'model' }, to: { node: 'ev', port: 'model' } });
  });

  it('candidateSources(doc, evaluate, data) lists table outputs that make no loop', () => {
    const names = candidateSources(adult, 'evaluate', 'data').map((c) => `${c.node.id}.${c.port}`);
    expect(names).toEqual(['source.data', 'split.train', 'split.test', 'impute.data', 'onehot.data', 'scale.data']);
    expect(candidateSources(adult, 'split', 'data').map((c) => c.node.id)).toEqual(['source']);
  });
});

describe('upstreamColumns(doc, nodeId, known)', () => {
  it('upstreamColumns walks table inputs back to the nearest node with known columns', () => {
    const known = (id: string) => (id === 'source' ? ['age', 'income'] : id === 'impute' ? ['age*', 'income'] : undefined);
    expect(upstreamColumns(adult, 'gbdt', known)).toEqual(['age*', 'income']);
    expect(upstreamColumns(adult, 'impute', known)).toEqual(['age', 'income']);
    expect(upstreamColumns(adult, 'source', known)).toEqual([]);
  });
});
