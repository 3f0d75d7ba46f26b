import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CellId } from '../base/ids';
import { parseNotebook, serializeNotebook } from './format';
import { applyAndRecord, createHistory, redo, undo } from './history';
import { applyNotebookOp, type NotebookOp } from './ops';
import type { NotebookDoc } from './types';

const start = parseNotebook(readFileSync(join(import.meta.dirname, 'fixtures', 'seattle-weather.notebook.md'), 'utf8'));

/** Builds a valid op for `doc` from random numbers (so every generated op applies). */
function opFor(doc: NotebookDoc, [pick, a, b, c]: number[], text: string, serial: number): NotebookOp {
  const cell = doc.cells[a! % Math.max(1, doc.cells.length)];
  const kind = pick! % 9;
  if (!cell || kind === 0) return { type: 'insertCell', index: b! % (doc.cells.length + 1), cell: { id: `new-${serial}` as CellId, kind: 'js', name: `v${serial}`, options: {}, source: text } };
  const len = cell.source.length;
  const from = b! % (len + 1);
  switch (kind) {
    case 1: return { type: 'deleteCell', id: cell.id };
    case 2: return { type: 'moveCell', id: cell.id, toIndex: c! % doc.cells.length };
    case 3: return { type: 'editSource', id: cell.id, from, to: from + (c! % (len - from + 1)), insert: text };
    case 4: return cell.kind === 'markdown' ? { type: 'setKind', id: cell.id, kind: 'sql' } : { type: 'setName', id: cell.id, name: c! % 2 ? undefined : `n${serial}` };
    case 5: return { type: 'setOptions', id: cell.id, options: { hide: 'code', [`k${c}`]: text } };
    case 6: return { type: 'setKind', id: cell.id, kind: (['markdown', 'sql', 'js', 'foreign'] as const)[c! % 4]!, language: 'python' };
    case 7: return { type: 'setMeta', key: c! % 2 ? 'title' : `key${c! % 3}`, value: c! % 5 === 0 ? undefined : text };
    default: return { type: 'batch', ops: [{ type: 'editSource', id: cell.id, from, to: from, insert: text }, { type: 'moveCell', id: cell.id, toIndex: 0 }] };
  }
}

const steps = fc.array(fc.tuple(fc.array(fc.nat(1000), { minLength: 4, maxLength: 4 }), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 25 });

describe('applyNotebookOp / history', () => {
  it('applyNotebookOp(doc, op).inverse restores the doc exactly, for random op sequences', () => {
    fc.assert(fc.property(steps, (seq) => {
      let doc = start;
      seq.forEach(([nums, text], serial) => {
        const before = doc;
        const op = opFor(doc, nums, text, serial);
        const applied = applyNotebookOp(doc, op);
        expect(applyNotebookOp(applied.doc, applied.inverse).doc).toStrictEqual(before);
        doc = applied.doc;
      });
    }), { numRuns: 200, seed: 11 });
  });

  it('undo(history, doc) walks every step back to the start and redo replays them to the end', () => {
    fc.assert(fc.property(steps, (seq) => {
      let doc = start;
      let history = createHistory();
      seq.forEach(([nums, text], serial) => ({ doc, history } = applyAndRecord(doc, history, opFor(doc, nums, text, serial), serial * 5000)));
      const end = doc;
      for (let r = undo(history, doc); r; r = undo(history, doc)) ({ doc, history } = r);
      expect(doc).toStrictEqual(start);
      for (let r = redo(history, doc); r; r = redo(history, doc)) ({ doc, history } = r);
      expect(doc).toStrictEqual(end);
    }), { numRuns: 100, seed: 12 });
  });

  it('recordOp coalesces consecutive typing and backspacing into one undo step, split by a pause or a jump', () => {
    const id = '@wettest' as CellId;
    let doc = start;
    let history = createHistory(500, 1000);
    const source = doc.cells.find((c) => c.id === id)!.source;
    let t = 0;
    const type = (op: NotebookOp, gap = 100) => ({ doc, history } = applyAndRecord(doc, history, op, (t += gap)));
    for (const [i, ch] of [...' // max'].entries()) type({ type: 'editSource', id, from: source.length + i, to: source.length + i, insert: ch });
    type({ type: 'editSource', id, from: source.length + 6, to: source.length + 7, insert: '' });
    type({ type: 'editSource', id, from: source.length + 5, to: source.length + 6, insert: '' });
    expect(history.undo).toHaveLength(2);
    type({ type: 'editSource', id, from: source.length + 5, to: source.length + 5, insert: 'x' }, 5000);
    type({ type: 'editSource', id, from: 0, to: 0, insert: 'y' });
    expect(history.undo).toHaveLength(4);
    for (let r = undo(history, doc); r; r = undo(history, doc)) ({ doc, history } = r);
    expect(serializeNotebook(doc)).toBe(serializeNotebook(start));
  });

  it('applyNotebookOp(doc, op) rejects unknown ids, duplicate ids and out-of-range edits', () => {
    expect(() => applyNotebookOp(start, { type: 'deleteCell', id: 'nope' as CellId })).toThrow(/no cell with id nope/);
    expect(() => applyNotebookOp(start, { type: 'insertCell', index: 0, cell: start.cells[1]! })).toThrow(/already exists/);
    expect(() => applyNotebookOp(start, { type: 'editSource', id: '@weather' as CellId, from: 5, to: 4, insert: '' })).toThrow(/outside the source/);
    expect(() => applyNotebookOp(start, { type: 'moveCell', id: '@weather' as CellId, toIndex: 99 })).toThrow(/cannot move/);
  });

  it('applyNotebookOp(doc, setMeta) edits one front-matter key and keeps comments and other keys', () => {
    const { doc } = applyNotebookOp(start, { type: 'setMeta', key: 'title', value: 'Rain in Seattle' });
    expect(doc.frontMatter).toContain('title: Rain in Seattle');
    expect(doc.frontMatter).toContain('# the data set is');
    expect(doc.frontMatter).toContain('tags: [ weather, time-series ]');
    expect(parseNotebook(serializeNotebook(doc))).toStrictEqual(doc);
  });
});
