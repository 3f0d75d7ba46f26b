import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { charSpansToTokenSpans, detectScheme, isDocStart, parseConll, sentenceToText, serializeConll, spansToTags, tagsToSpans } from './conll';

const nerDir = join(process.cwd(), '..', 'shared', 'data', 'ner');
const files = ['wikigold/wikigold.conll.txt', 'wnut17/wnut17train.conll', 'wnut17/emerging.dev.conll', 'wnut17/emerging.test.annotated'];

describe('CoNLL codec', () => {
  for (const file of files) {
    it(`parseConll/serializeConll round-trips ${file} byte for byte, and tags → spans → tags token for token`, () => {
      const text = readFileSync(join(nerDir, file), 'utf8');
      const doc = parseConll(text);
      expect(serializeConll(doc)).toBe(text);
      const allTags = doc.sentences.flatMap((s) => s.tokens.map((t) => t.tag));
      const scheme = detectScheme(allTags);
      expect(scheme).toBe(file.startsWith('wikigold') ? 'IO' : 'BIO');
      let illFormed = 0;
      for (const s of doc.sentences) {
        const tags = s.tokens.map((t) => t.tag);
        const back = spansToTags(tagsToSpans(tags), tags.length, scheme);
        if (back.join() !== tags.join()) illFormed++;
        const { text: sentenceText, tokenOffsets, spans } = sentenceToText(s);
        expect(spans.every((sp) => sentenceText.slice(sp.start, sp.end).length > 0)).toBe(true);
        expect(spansToTags(charSpansToTokenSpans(spans, tokenOffsets), tags.length, scheme)).toEqual(back);
      }
      expect(illFormed).toBe(0);
    });
  }

  it('parseConll keeps -DOCSTART- sentences, separators and extra columns', () => {
    const text = '-DOCSTART- -X- O\n\nEU NNP B-ORG\nrejects VBZ O\n\n\nPeter NNP B-PER\n';
    const doc = parseConll(text);
    expect(doc.separator).toBe(' ');
    expect(isDocStart(doc.sentences[0]!)).toBe(true);
    expect(doc.sentences[1]!.tokens[0]).toEqual({ text: 'EU', tag: 'B-ORG', extra: ['NNP'] });
    expect(doc.sentences[1]!.blankAfter).toBe(2);
    expect(serializeConll(doc)).toBe(text);
    expect(isDocStart(parseConll('-DOCSTART- O\n').sentences[0]!)).toBe(true);
  });

  it('tagsToSpans reads IO runs as one entity and BIO B- as a boundary', () => {
    expect(tagsToSpans(['I-PER', 'I-PER', 'O', 'I-LOC'])).toEqual([{ start: 0, end: 2, label: 'PER' }, { start: 3, end: 4, label: 'LOC' }]);
    expect(tagsToSpans(['B-PER', 'B-PER', 'I-PER', 'I-LOC'])).toEqual([
      { start: 0, end: 1, label: 'PER' }, { start: 1, end: 3, label: 'PER' }, { start: 3, end: 4, label: 'LOC' },
    ]);
  });
});
