import { describe, expect, it } from 'vitest';
import { createRng } from '../base/rng';
import { labelMatrix, type LabelMatrix } from './lf';
import { fitLabelModel, majorityProba, majorityVote, predictProba, probsToPreds } from './label-model';

function synthetic(n: number, accuracies: number[], propensities: number[], balance: number[], seed: number): { L: LabelMatrix; y: Int32Array } {
  const rng = createRng(seed);
  const k = balance.length;
  const m = accuracies.length;
  const y = new Int32Array(n);
  const data = new Int32Array(n * m);
  for (let i = 0; i < n; i++) {
    let u = rng.next();
    let c = 0;
    while (c < k - 1 && u >= balance[c]!) u -= balance[c++]!;
    y[i] = c;
    for (let j = 0; j < m; j++) {
      if (rng.next() >= propensities[j]!) data[i * m + j] = -1;
      else if (rng.next() < accuracies[j]!) data[i * m + j] = c;
      else data[i * m + j] = (c + 1 + rng.int(k - 1)) % k;
    }
  }
  return { L: { n, m, data }, y };
}

describe('label model', () => {
  it('majorityProba(L, k) shares probability among tied classes and is uniform on all-abstain rows', () => {
    const P = majorityProba(labelMatrix([[0, 0, 1], [1, 0, -1], [-1, -1, -1]]), 2);
    expect([...P]).toEqual([1, 0, 0.5, 0.5, 0.5, 0.5]);
  });

  it('majorityVote(L, k, abstain) returns −1 on ties; random tie-break is seeded and picks a tied class', () => {
    const L = labelMatrix([[0, 0, 1], [1, 0, -1], [2, 1, -1], [-1, -1, -1]]);
    expect([...majorityVote(L, 3, { policy: 'abstain' })]).toEqual([0, -1, -1, -1]);
    const a = majorityVote(L, 3, { policy: 'random', rng: createRng(7) });
    const b = majorityVote(L, 3, { policy: 'random', rng: createRng(7) });
    expect([...a]).toEqual([...b]);
    expect([0, 1]).toContain(a[1]);
    expect([1, 2]).toContain(a[2]);
  });

  it('probsToPreds(P) takes the argmax', () => {
    expect([...probsToPreds(Float64Array.from([0.2, 0.8, 0.9, 0.1]), 2, { policy: 'abstain' })]).toEqual([1, 0]);
  });

  it('fitLabelModel(L) recovers known LF accuracies within 0.03 on synthetic binary data without gold', () => {
    const acc = [0.9, 0.8, 0.75, 0.7, 0.65, 0.85, 0.6];
    const { L, y } = synthetic(20000, acc, [0.6, 0.5, 0.4, 0.7, 0.8, 0.3, 0.5], [0.3, 0.7], 11);
    const model = fitLabelModel(L, { k: 2, learnClassBalance: true });
    expect(model.converged).toBe(true);
    acc.forEach((a, j) => expect(Math.abs(model.accuracies[j]! - a), `LF ${j}`).toBeLessThan(0.03));
    expect(model.classBalance[1]).toBeCloseTo(0.7, 1);
    const preds = probsToPreds(predictProba(model, L), 2, { policy: 'abstain' });
    const mv = majorityVote(L, 2, { policy: 'abstain' });
    const accOf = (p: Int32Array) => p.reduce((s, v, i) => s + (v === y[i] ? 1 : 0), 0) / y.length;
    expect(accOf(preds)).toBeGreaterThan(accOf(mv));
  });

  it('fitLabelModel(L) recovers accuracies within 0.03 with three classes', () => {
    const acc = [0.8, 0.7, 0.6, 0.9, 0.75];
    const { L } = synthetic(20000, acc, [0.7, 0.6, 0.8, 0.4, 0.5], [0.2, 0.5, 0.3], 5);
    const model = fitLabelModel(L, { k: 3, learnClassBalance: true });
    acc.forEach((a, j) => expect(Math.abs(model.accuracies[j]! - a), `LF ${j}`).toBeLessThan(0.03));
  });
});
