import { describe, expect, it } from 'vitest';
import { parsePipeline, serializePipeline } from '../../../app/pipeline/serialize';
import adultText from '../../../examples/tabular/adult-income.pipeline.json?raw';
import { applyRecorded, emptyHistory, redoStep, undoStep } from './pipeline-history';

const adult = parsePipeline(adultText);

describe('applyRecorded / undoStep / redoStep', () => {
  it('applyRecorded(setParam) within a second joins one step; undo restores the file byte for byte, redo re-applies', () => {
    let state = { doc: adult, history: emptyHistory() };
    for (const [value, at] of [[0, 0], [0.0, 200], [0.05, 400]] as const) state = applyRecorded(state.doc, state.history, { type: 'setParam', nodeId: 'gbdt', key: 'learningRate', value }, at);
    expect(state.history.undo).toHaveLength(1);
    const undone = undoStep(state.doc, state.history)!;
    expect(serializePipeline(undone.doc)).toBe(adultText);
    expect(redoStep(undone.doc, undone.history)!.doc.nodes.find((n) => n.id === 'gbdt')!.params['learningRate']).toBe(0.05);
  });

  it('applyRecorded(removeNode) is one undo step that brings the node back with its edges in order', () => {
    const removed = applyRecorded(adult, emptyHistory(), { type: 'removeNode', nodeId: 'split' }, 0);
    expect(removed.doc.edges).toHaveLength(4);
    const later = applyRecorded(removed.doc, removed.history, { type: 'setParam', nodeId: 'gbdt', key: 'maxIter', value: 5 }, 5000);
    expect(later.history.undo).toHaveLength(2);
    const once = undoStep(later.doc, later.history)!;
    const back = undoStep(once.doc, once.history)!;
    expect(serializePipeline(back.doc)).toBe(adultText);
    expect(undoStep(back.doc, back.history)).toBeUndefined();
  });
});
