import { describe, expect, it } from 'vitest';
import { emptyLabelSet, type LabelSetState } from '../../../app/labels/model';
import { applyLabelOp, type LabelOp } from '../../../app/labels/ops';
import { inverseOf } from './history';

const range = (id: string, start: number, label = 'anomaly') => ({ kind: 'range' as const, id, series: 's', start, end: start + 5, label });
const suggestion = { id: 'z:s:7', proposal: range('z:s:7', 70), source: { type: 'detector' as const, name: 'z' }, score: 4 };

function run(state: LabelSetState, ops: readonly LabelOp[]): LabelSetState {
  return ops.reduce(applyLabelOp, state);
}

describe('inverseOf(before, op)', () => {
  const start = run(emptyLabelSet('id', 'n', { target: 'timeseries', classes: [] }), [
    { op: 'add', label: range('a', 1) },
    { op: 'suggest', suggestions: [suggestion] },
  ]);
  const cases: LabelOp[] = [
    { op: 'add', label: range('b', 20) },
    { op: 'update', label: { ...range('a', 2, 'maintenance'), note: 'moved' } },
    { op: 'delete', id: 'a' },
    { op: 'acceptSuggestion', id: 'z:s:7' },
  ];
  for (const op of cases) {
    it(`inverseOf(state, ${op.op}) restores the labels and suggestions`, () => {
      const after = applyLabelOp(start, op);
      const undone = run(after, inverseOf(start, op)!);
      expect(undone.labels).toEqual(start.labels);
      expect(undone.suggestions).toEqual(start.suggestions);
    });
  }

  it('inverseOf(state, rejectSuggestion) is null: a rejection is final', () => {
    expect(inverseOf(start, { op: 'rejectSuggestion', id: 'z:s:7' })).toBeNull();
  });
});
