/**
 * The reference experiment of examples/text through the app's own path: the workspace LFs file
 * run in DuckDB (+ the JS sandbox) over Youtube01–04, the label model, a TF-IDF + logistic
 * regression end model trained on its labels, all evaluated on the tutorial's 250 test rows of
 * Youtube05 (split from tools/fixtures/labels/spam_split.py). Snorkel's tutorial reports
 * majority vote ≈ 84%, label model ≈ 86%, end model ≈ 94% with three more LFs (spaCy, TextBlob).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteLiteral, type Engine } from '../../../app/data/engine';
import { applyLfs } from '../../../app/labels/lf';
import { parseLfFile, toLabelingFunctions } from '../../../app/labels/text/lf-file';
import { relationSql } from '../../../app/labels/text/lf-sql';
import { combineVotes, labelRows, trainEndModel } from '../../../app/labels/text/programmatic';
import { argmaxClasses, textModelProba } from '../../../app/labels/text/text-model';
import split from '../../../app/labels/spam-split.fixture.json';
import { NativeDatabase } from '../data/native-engine';
import { runLfFile } from './lf-runner';

const root = join(import.meta.dirname, '..', '..', '..', 'examples', 'text');
const file = parseLfFile(readFileSync(join(root, 'spam.lfs.json'), 'utf8'));
const TRAIN = relationSql({ file: 'data/Youtube0[1-4]*.csv' });
const TEST = `(SELECT * FROM ${relationSql({ file: 'data/Youtube05-Shakira.csv' })} WHERE COMMENT_ID IN (${split.testIds.map(quoteLiteral).join(', ')}))`;

const accuracy = (pred: ArrayLike<number>, gold: ArrayLike<number>) => {
  let right = 0;
  for (let i = 0; i < gold.length; i++) if (pred[i] === gold[i]) right++;
  return right / gold.length;
};

describe('examples/text spam reference experiment', () => {
  let db: NativeDatabase;
  let engine: Engine;
  beforeAll(async () => {
    db = await NativeDatabase.open(':memory:', { file_search_path: root });
    engine = await db.connect();
  });
  afterAll(async () => {
    await engine.close();
    db.close();
  });

  it('runLfFile(engine, spam.lfs.json, Youtube01–04) votes exactly as the pure LF appliers do on every row', async () => {
    const run = await runLfFile(engine, file, TRAIN);
    expect(run.L.n).toBe(1586);
    const reference = applyLfs(
      toLabelingFunctions(file).map((lf) => (lf.kind === 'sql' ? { name: lf.name, kind: 'keyword', keywords: ['http'], label: 1 } : lf.kind === 'js' ? { name: lf.name, kind: 'keyword', keywords: ['song'], label: 0 } : lf)),
      run.texts,
    );
    expect([...run.L.data]).toEqual([...reference.data]);
  });

  it('label model + TF-IDF logistic regression end model reach the tutorial’s accuracy on the 250 test rows', async () => {
    const t0 = performance.now();
    const train = await runLfFile(engine, file, TRAIN);
    const test = await runLfFile(engine, file, TEST, { gold: 'CLASS', key: 'COMMENT_ID' });
    expect(test.L.n).toBe(250);
    const combined = combineVotes(train.L, 2);
    const onTest = labelRows(combined.model, test.L);
    const end = trainEndModel(train.texts, combined);
    const endPred = argmaxClasses(textModelProba(end, test.texts), 2);
    const mv = accuracy(onTest.majority, test.gold!);
    const lm = accuracy(onTest.preds, test.gold!);
    const em = accuracy(endPred, test.gold!);
    console.log(
      `spam (examples/text): majority vote ${(mv * 100).toFixed(1)}%, label model ${(lm * 100).toFixed(1)}%, end model ${(em * 100).toFixed(1)}%`,
      `(train rows kept ${combined.kept.length}/${train.L.n}, vocabulary ${end.vectorizer.vocabulary.length}, LF sql ${train.timings.sqlMs.toFixed(0)} ms, js ${train.timings.jsMs.toFixed(0)} ms, total ${(performance.now() - t0).toFixed(0)} ms)`,
    );
    expect(mv).toBeGreaterThan(0.8);
    expect(lm).toBeGreaterThan(0.8);
    expect(em).toBeGreaterThan(0.88);
  });
});
