import { describe, expect, it } from 'vitest';
import { emptyLabelSet, snapSpanToTokens, suggestionList, validateLabel } from './model';
import { applyLabelOp } from './ops';

const text = { target: 'text', classes: ['spam', 'ham'], docMode: 'single', spanClasses: ['PER'], tokenSnap: true } as const;

describe('label model', () => {
  it('snapSpanToTokens(text, s, e) widens a span to the whole tokens it touches', () => {
    expect(snapSpanToTokens('Peter Parker lives here', 2, 8)).toEqual({ start: 0, end: 12 });
    expect(snapSpanToTokens('a  b', 1, 3)).toEqual({ start: 1, end: 3 });
  });

  it('validateLabel(schema, label) reports wrong target, unknown class and multi-class in single mode', () => {
    expect(validateLabel(text, { kind: 'doc', id: 'd', doc: 'x', labels: ['spam', 'ham'] })).toEqual(['more than one class in a single-class set']);
    expect(validateLabel(text, { kind: 'span', id: 's', doc: 'x', start: 0, end: 3, label: 'LOC' })).toEqual(['unknown class "LOC"']);
    expect(validateLabel(text, { kind: 'range', id: 'r', series: 's', start: 2, end: 1, label: 'spam' })).toHaveLength(2);
  });

  it('applyLabelOp rejects ops that do not fit and leaves the state untouched', () => {
    const s = emptyLabelSet('l', 'n', text);
    const withDoc = applyLabelOp(s, { op: 'add', label: { kind: 'doc', id: 'd', doc: 'x', labels: ['spam'] } });
    expect(() => applyLabelOp(withDoc, { op: 'add', label: { kind: 'doc', id: 'd', doc: 'y', labels: ['ham'] } })).toThrow(/exists/);
    expect(() => applyLabelOp(withDoc, { op: 'delete', id: 'nope' })).toThrow(/no label/);
    expect(() => applyLabelOp(withDoc, { op: 'acceptSuggestion', id: 'nope' })).toThrow(/no suggestion/);
    expect(withDoc.seq).toBe(1);
  });

  it('a rejected suggestion is not re-proposed and suggestionList sorts by score', () => {
    const prop = (id: string, score: number) => ({ id, proposal: { kind: 'doc' as const, id: `l-${id}`, doc: id, labels: ['spam'] }, source: { type: 'lf' as const, name: 'kw' }, score });
    let s = applyLabelOp(emptyLabelSet('l', 'n', text), { op: 'suggest', suggestions: [prop('a', 0.2), prop('b', 0.9)] });
    s = applyLabelOp(s, { op: 'rejectSuggestion', id: 'a' });
    s = applyLabelOp(s, { op: 'suggest', suggestions: [prop('a', 0.2), prop('c', 0.5)] });
    expect(suggestionList(s).map((x) => x.id)).toEqual(['b', 'c']);
  });
});
