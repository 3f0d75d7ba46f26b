import { describe, expect, it } from 'vitest';
import type { Label } from '../model';
import { conllFromDocuments, conllFromTextSet, conllToTextSet, labelStudioToTextSet, textLabelsFromCsv, textLabelsToCsv } from './text-io';

const bio = '-DOCSTART- -X- O\n\nEU NNP B-ORG\nrejects VBZ O\nGerman JJ B-MISC\ncall NN O\n\nPeter NNP B-PER\nBlackburn NNP I-PER\nand CC O\nAnn NNP B-PER\n';
const io = 'The I-ORG\nMad I-ORG\nCapsule I-ORG\nplays O\n\n\nin O\nTokyo I-LOC\n';

describe('text set I/O', () => {
  it('conllToTextSet(bio) makes one document per sentence with character spans, and conllFromTextSet writes the file back', () => {
    const set = conllToTextSet(bio);
    expect(set.scheme).toBe('BIO');
    expect(set.documents).toBe(2);
    expect(set.spanClasses).toEqual(['ORG', 'MISC', 'PER']);
    expect(set.labels.map((l) => [l.doc, l.start, l.end, l.label])).toEqual([
      ['s:1', 0, 2, 'ORG'], ['s:1', 11, 17, 'MISC'], ['s:2', 0, 15, 'PER'], ['s:2', 20, 23, 'PER'],
    ]);
    expect(set.source).toBe(bio.replace(/[BI]-\w+/g, 'O'));
    expect(conllFromTextSet(set.source, set.labels, set.scheme)).toBe(bio);
  });

  it('conllFromTextSet keeps IO as IO and reflects edited spans', () => {
    const set = conllToTextSet(io);
    expect(set.scheme).toBe('IO');
    expect(conllFromTextSet(set.source, set.labels, 'IO')).toBe(io);
    const edited: Label[] = [...set.labels.slice(1), { kind: 'span', id: 'new', doc: 's:0', start: 4, end: 15, label: 'MISC' }];
    expect(conllFromTextSet(set.source, edited, 'IO')).toBe('The O\nMad I-MISC\nCapsule I-MISC\nplays O\n\n\nin O\nTokyo I-LOC\n');
    expect(conllFromTextSet(set.source, set.labels, 'BIO')).toBe(io.replace('The I-ORG', 'The B-ORG').replace('Tokyo I-LOC', 'Tokyo B-LOC'));
  });

  it('conllToTextSet(text) names the line of a malformed tag or a line without a tag', () => {
    expect(() => conllToTextSet('a O\nb X-PER\n')).toThrow(/line 2: tag "X-PER"/);
    expect(() => conllToTextSet('a O\n\nlonely\n')).toThrow(/line 3 has no tag column/);
  });

  it('conllFromDocuments(docs, labels, scheme) tokenises table documents on whitespace', () => {
    const labels: Label[] = [{ kind: 'span', id: 'x', doc: 'r1', start: 4, end: 13, label: 'LOC' }];
    expect(conllFromDocuments([{ id: 'r1', text: 'Hi  New York!' }, { id: 'r2', text: '  ' }], labels, 'BIO')).toBe('Hi\tO\nNew\tB-LOC\nYork!\tI-LOC\n\n');
  });

  it('textLabelsFromCsv(textLabelsToCsv(l)) round-trips doc and span labels; a bad row names its line', () => {
    const labels: Label[] = [
      { kind: 'doc', id: 'd1', doc: 'row:1', labels: ['spam', 'ads'], note: 'has "a, b"\nnewline' },
      { kind: 'span', id: 's1', doc: 'row:2', start: 3, end: 9, label: 'PER' },
    ];
    expect(textLabelsFromCsv(textLabelsToCsv(labels))).toEqual(labels);
    expect(() => textLabelsFromCsv('kind,id,doc,start,end,label,note\nspan,x,row:1,5,2,PER,\n')).toThrow(/CSV line 2/);
  });

  it('labelStudioToTextSet(tasks) makes a document per task with its choices and spans; a task without text is named', () => {
    const tasks = [
      { id: 7, data: { text: 'Ann likes Rome' }, annotations: [{ result: [{ id: 'a', from_name: 'label', to_name: 'text', type: 'labels', value: { start: 0, end: 3, labels: ['PER'] } }, { id: 'b', from_name: 's', to_name: 'text', type: 'choices', value: { choices: ['pos', 'travel'] } }] }] },
      { data: { text: 'meh', doc: 'row:2' }, annotations: [{ result: [{ id: 'c', from_name: 's', to_name: 'text', type: 'choices', value: { choices: ['neg'] } }] }] },
    ];
    const set = labelStudioToTextSet(tasks);
    expect(set.docs).toEqual([{ id: 'task:7', text: 'Ann likes Rome' }, { id: 'row:2', text: 'meh' }]);
    expect(set.labels.map((l) => l.id)).toEqual(['task:7/a', 'task:7/b', 'row:2/c']);
    expect([set.classes, set.spanClasses, set.multi]).toEqual([['pos', 'travel', 'neg'], ['PER'], true]);
    expect(() => labelStudioToTextSet([{ id: 1, data: { txt: 'x' } }])).toThrow(/task 1 has no data.text/);
  });
});
