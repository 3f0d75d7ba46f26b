/**
 * Reference experiment: Snorkel's intro spam tutorial with the LFs that need no third-party model
 * (keyword, regex, length). Train = Youtube01–04 (labels unused), test = the tutorial's 250 rows
 * of Youtube05 (split computed by tools/fixtures/labels/spam_split.py with pandas/sklearn).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../base/rng';
import { parseCsvRecords } from './csv';
import { fitLabelModel, labelledRows, majorityVote, predictProba, probsToPreds } from './label-model';
import { applyLfs, lfAnalysis, type LabelingFunction } from './lf';
import split from './spam-split.fixture.json';

const HAM = 0;
const SPAM = 1;
const spamDir = join(process.cwd(), '..', 'shared', 'data', 'spam');
const read = (f: string) => parseCsvRecords(readFileSync(join(spamDir, f), 'utf8'));

/** The tutorial's LFs minus has_person (spaCy) and the two TextBlob LFs. */
const lfs: LabelingFunction[] = [
  { name: 'keyword_my', kind: 'keyword', keywords: ['my'], label: SPAM },
  { name: 'keyword_subscribe', kind: 'keyword', keywords: ['subscribe'], label: SPAM },
  { name: 'keyword_http', kind: 'keyword', keywords: ['http'], label: SPAM },
  { name: 'keyword_please', kind: 'keyword', keywords: ['please', 'plz'], label: SPAM },
  { name: 'keyword_song', kind: 'keyword', keywords: ['song'], label: HAM },
  { name: 'regex_check_out', kind: 'regex', pattern: 'check.*out', flags: 'i', label: SPAM },
  { name: 'short_comment', kind: 'length', unit: 'words', lessThan: 5, label: HAM },
];

const accuracy = (pred: Int32Array, gold: number[]) => pred.reduce((s, p, i) => s + (p === gold[i] ? 1 : 0), 0) / gold.length;

describe('spam reference experiment', () => {
  const train = ['Youtube01-Psy.csv', 'Youtube02-KatyPerry.csv', 'Youtube03-LMFAO.csv', 'Youtube04-Eminem.csv'].flatMap(read);
  const byId = new Map(read('Youtube05-Shakira.csv').map((r) => [r.COMMENT_ID!, r]));
  const test = split.testIds.map((id) => byId.get(id)!);
  const yTest = test.map((r) => Number(r.CLASS));

  it('the test split has the tutorial’s 250 rows of Youtube05', () => {
    expect(train.length).toBe(1586);
    expect(test.every(Boolean)).toBe(true);
    expect(test.length).toBe(250);
  });

  it('majority vote and the label model label the test rows about as well as Snorkel’s tutorial reports', () => {
    const Ltrain = applyLfs(lfs, train.map((r) => r.CONTENT!));
    const Ltest = applyLfs(lfs, test.map((r) => r.CONTENT!));
    // Snorkel's LabelModel default: uniform class balance, held fixed.
    const model = fitLabelModel(Ltrain, { k: 2 });
    const mvAcc = accuracy(majorityVote(Ltest, 2, { policy: 'random', rng: createRng(123) }), yTest);
    const lmAcc = accuracy(probsToPreds(predictProba(model, Ltest), 2, { policy: 'random', rng: createRng(123) }), yTest);
    const kept = labelledRows(Ltrain).length;
    const analysis = lfAnalysis(Ltest, yTest);
    console.log(
      `spam: majority vote ${(mvAcc * 100).toFixed(1)}%, label model ${(lmAcc * 100).toFixed(1)}% on 250 test rows;`,
      `train rows with ≥1 vote ${kept}/${Ltrain.n}; learned accuracies`,
      lfs.map((lf, j) => `${lf.name}=${model.accuracies[j]!.toFixed(3)} (test emp ${analysis.empiricalAccuracy![j]!.toFixed(3)})`).join(', '),
    );
    expect(mvAcc).toBeGreaterThan(0.8);
    expect(lmAcc).toBeGreaterThan(0.8);
  });
});
