import { describe, expect, it } from 'vitest';
import { emptyLabelSet, type LabelSetState } from '../model';
import { applyLabelOp, type LabelOp } from '../ops';
import { goldCodes, parseLfFile, toLabelingFunctions } from './lf-file';
import { lfVotesSql } from './lf-sql';
import { committeeScores, crossValidatedAccuracy, goldAccuracy, orderQueue, uncertaintyScores } from './queue';
import { addSpanOps, inverseOp, setDocClassOp, snapSelection, wordTokens } from './spans';
import { argmaxClasses, fitTextModel, textModelProba } from './text-model';

const file = parseLfFile(JSON.stringify({
  format: 1, classes: ['ham', 'spam'], text: 'CONTENT',
  lfs: [
    { name: 'kw', kind: 'keyword', keywords: ['Subscribe'], label: 'spam' },
    { name: 'short', kind: 'length', unit: 'words', lessThan: 5, label: 'ham' },
    { name: 'sql_link', kind: 'sql', where: "CONTENT LIKE '%http%'", label: 'spam' },
    { name: 'js_long', kind: 'js', code: "return row.CONTENT.length > 100 ? 'spam' : null" },
  ],
}));

const set = (): LabelSetState => emptyLabelSet('s', 's', { target: 'text', classes: ['ham', 'spam'], docMode: 'single', spanClasses: ['PER', 'ORG'], tokenSnap: true });
const run = (state: LabelSetState, ops: readonly LabelOp[]) => ops.reduce(applyLabelOp, state);

describe('LF file', () => {
  it('parseLfFile(text) maps class names to indices and keeps sql/js LFs external', () => {
    const lfs = toLabelingFunctions(file);
    expect(lfs.map((l) => l.kind)).toEqual(['keyword', 'length', 'sql', 'js']);
    expect(lfs[0]).toMatchObject({ label: 1, keywords: ['Subscribe'] });
    expect(lfs[1]).toMatchObject({ label: 0, lessThan: 5 });
  });

  it('parseLfFile(text) names the path of an unknown class and of a duplicate LF name', () => {
    const bad = (lfs: unknown[]) => () => parseLfFile(JSON.stringify({ format: 1, classes: ['a', 'b'], text: 't', lfs }));
    expect(bad([{ name: 'x', kind: 'keyword', keywords: ['k'], label: 'c' }])).toThrow(/lfs\.0\.label/);
    expect(bad([{ name: 'x', kind: 'regex', pattern: 'a', label: 'a' }, { name: 'x', kind: 'regex', pattern: 'b', label: 'b' }])).toThrow(/duplicate/);
    expect(bad([{ name: 'x', kind: 'regex', pattern: '(', label: 'a' }])).toThrow(/pattern/);
  });

  it('goldCodes(classes, values) accepts class names and integer codes, −1 otherwise', () => {
    expect([...goldCodes(['ham', 'spam'], ['spam', 0, '1', null, 7, 'x', 1n])]).toEqual([1, 0, 1, -1, -1, -1, 1]);
  });

  it('lfVotesSql(file, relation) selects a vote column per non-JS LF with lower-cased keywords', () => {
    const sql = lfVotesSql(file, 'spam');
    expect(sql).toContain("contains(lower(__t), 'subscribe')");
    expect(sql).toContain('AS __lf_0');
    expect(sql).toContain('AS __lf_2');
    expect(sql).not.toContain('__lf_3');
  });
});

describe('spans', () => {
  const text = 'Barack Obama, of Hawaii.';
  it('wordTokens(text) splits punctuation from words', () => {
    expect(wordTokens(text).map(([a, b]) => text.slice(a, b))).toEqual(['Barack', 'Obama', ',', 'of', 'Hawaii', '.']);
  });

  it('snapSelection(text, s, e, mode) widens to whole tokens or trims whitespace at char level', () => {
    expect(snapSelection(text, 9, 14, 'token')).toEqual({ start: 7, end: 13 }); // "ama, " → "Obama,"
    expect(snapSelection(text, 2, 9, 'token')).toEqual({ start: 0, end: 12 });
    expect(snapSelection(text, 6, 7, 'token')).toBeNull();
    expect(snapSelection(text, 6, 10, 'char')).toEqual({ start: 7, end: 10 });
  });

  it('addSpanOps(state, span, allowOverlap) replaces overlapped spans only when overlap is off', () => {
    const base = run(set(), [{ op: 'add', label: { kind: 'span', id: 'a', doc: 'd', start: 0, end: 12, label: 'PER' } }]);
    const span = { kind: 'span' as const, id: 'b', doc: 'd', start: 7, end: 12, label: 'ORG' };
    expect(addSpanOps(base, span, false)).toEqual([{ op: 'delete', id: 'a' }, { op: 'add', label: span }]);
    expect(addSpanOps(base, span, true)).toEqual([{ op: 'add', label: span }]);
    expect(addSpanOps(base, { ...span, id: 'c', start: 0, label: 'PER' }, true)).toEqual([]);
  });

  it('setDocClassOp(state, doc, cls, mode) sets one class in single mode and toggles in multi mode; inverseOp undoes it', () => {
    let s = set();
    const add = setDocClassOp(s, 'd', 'spam', 'single', 'l1')!;
    s = applyLabelOp(s, add);
    expect(setDocClassOp(s, 'd', 'spam', 'single', 'l2')).toBeNull();
    const change = setDocClassOp(s, 'd', 'ham', 'single', 'l2')!;
    const after = applyLabelOp(s, change);
    expect(after.labels['l1']).toMatchObject({ labels: ['ham'] });
    expect(applyLabelOp(after, inverseOp(s, change)!).labels['l1']).toMatchObject({ labels: ['spam'] });
    const multi = applyLabelOp(s, setDocClassOp(s, 'd', 'ham', 'multi', 'x')!);
    expect(multi.labels['l1']).toMatchObject({ labels: ['spam', 'ham'] });
    expect(setDocClassOp(applyLabelOp(s, setDocClassOp(s, 'd', 'ham', 'single', 'x')!), 'd', 'ham', 'multi', 'x')).toEqual({ op: 'delete', id: 'l1' });
  });
});

describe('queue and text model', () => {
  const P = Float64Array.from([0.9, 0.1, 0.55, 0.45, 0.7, 0.3, 0.5, 0.5]);
  it('orderQueue(scores, candidates, limit) puts the most uncertain candidate first', () => {
    const scores = uncertaintyScores(P, 2, 'leastConfident');
    expect(orderQueue(scores, [0, 1, 2, 3], 3).map((e) => e.row)).toEqual([3, 1, 2]);
    expect(orderQueue(scores, [0, 2], 5).map((e) => e.row)).toEqual([2, 0]);
    expect(orderQueue(uncertaintyScores(P, 2, 'margin'), [0, 1, 2, 3], 4).map((e) => e.row)).toEqual([3, 1, 2, 0]);
  });

  it('committeeScores(members, k) is zero where members agree and ln 2 where two split evenly', () => {
    const s = committeeScores([Float64Array.from([0.9, 0.1, 0.9, 0.1]), Float64Array.from([0.8, 0.2, 0.1, 0.9])], 2);
    expect(s[0]).toBe(0);
    expect(s[1]).toBeCloseTo(Math.log(2), 12);
  });

  const spam = ['check out my channel', 'subscribe to my channel please', 'free money click http link', 'visit my site for free', 'win free gift cards now', 'follow me and subscribe'];
  const ham = ['love this song', 'this song is great', 'best video ever', 'her voice is amazing', 'i love the beat', 'great song love it'];
  const texts = [...spam, ...ham];
  const y = [...spam.map(() => 1), ...ham.map(() => 0)];

  it('fitTextModel(texts, y, k) separates two vocabularies and textModelProba gives k columns', () => {
    const model = fitTextModel(texts, y, 3);
    const P2 = textModelProba(model, ['subscribe to my free channel', 'love this great song']);
    expect(P2.length).toBe(6);
    expect(P2[2]).toBe(0);
    expect([...argmaxClasses(P2, 3)]).toEqual([1, 0]);
    const nb = fitTextModel(texts, y, 2, { model: 'naiveBayes' });
    expect([...argmaxClasses(textModelProba(nb, ['free channel subscribe', 'song love']), 2)]).toEqual([1, 0]);
  });

  it('fitTextModel refuses labels of one class; crossValidatedAccuracy and goldAccuracy count right rows', () => {
    expect(() => fitTextModel(texts, y.map(() => 1), 2)).toThrow(/two classes/);
    const cv = crossValidatedAccuracy([...texts, ...texts], [...y, ...y], 2, {}, 3);
    expect(cv).toBeGreaterThan(0.8);
    expect(crossValidatedAccuracy(texts.slice(0, 3), y.slice(0, 3), 2, {}, 3)).toBeNull();
    expect(goldAccuracy([1, 0, 1], [1, 1, -1])).toBe(0.5);
    expect(goldAccuracy([1, 0, 1], [1, 1, -1], (r) => r !== 1)).toBe(1);
  });
});
