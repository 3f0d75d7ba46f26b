import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, snap, test } from './fixtures';
import { TextAnnotatePage } from './pages/text-annotate';
import { WorkbenchPage } from './pages/workbench';

test.use({ example: 'text' });

test('text panel: five keyboard labels, an LF with coverage and conflicts, the label model, the queue reorders after retraining', async ({ app, served }) => {
  test.setTimeout(120_000);
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await wb.openFile('labels/spam');
  const ta = new TextAnnotatePage(app);
  await ta.ready();
  await expect(ta.modelStatus).toContainText('Model trained on 0 labels');
  const before = await ta.queueRows();
  expect(before).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  await snap(app, 'text-annotate-open');

  // Label five comments by keyboard (2 = SPAM, 1 = HAM), at most three spam so both classes occur.
  let labelled = 0;
  let spam = 0;
  while (labelled < 5) {
    const gold = await ta.gold();
    if (gold === 'SPAM' && spam >= 3) {
      await ta.press('ArrowRight');
      continue;
    }
    await ta.press(gold === 'SPAM' ? '2' : '1');
    await expect(ta.doc.getByTestId('human-label')).toHaveText(`label: ${gold}`);
    if (gold === 'SPAM') spam++;
    labelled++;
    await ta.press('ArrowRight');
  }
  // Undo and redo the last label by keyboard.
  await ta.press('ArrowLeft');
  await ta.press('Control+z');
  await expect(ta.doc.getByTestId('human-label')).toHaveCount(0);
  await ta.press('Control+Shift+z');
  await expect(ta.doc.getByTestId('human-label')).toHaveCount(1);
  const log = await readFile(join(served.workspace, 'labels/spam/ops.ndjson'), 'utf8');
  expect(log.trim().split('\n').length).toBe(7);

  // Five labels trigger the background retrain; its learning-curve point appears.
  await expect(ta.modelStatus).toContainText('Model trained on 5 labels', { timeout: 60_000 });
  await expect(ta.root.getByRole('figure', { name: 'Learning curve' })).toBeVisible();
  await ta.root.getByRole('button', { name: 'Reorder queue' }).click();
  await expect(ta.modelStatus).toContainText('queue ordered by the model of 5 labels');
  const after = await ta.queueRows();
  expect(after).not.toEqual(before);
  await expect(ta.doc.locator('[data-source="model"]')).toContainText('model suggests');
  await snap(app, 'text-annotate-after-retrain');

  // Labeling functions: run the shipped ones, add one, see its coverage and conflicts.
  await ta.root.getByRole('button', { name: 'Run LFs' }).click();
  await expect(ta.lfRow('keyword_my').locator('[data-col="coverage"]')).toHaveText('19.9%');
  await ta.addLf('sql', 'sql_channel', "CONTENT ILIKE '%channel%'", 'SPAM');
  const row = ta.lfRow('sql_channel');
  await expect(row.locator('[data-col="coverage"]')).toHaveText(/^\d+\.\d%$/);
  expect(parseFloat((await row.locator('[data-col="coverage"]').textContent()) ?? '0')).toBeGreaterThan(5);
  expect(parseFloat((await row.locator('[data-col="conflicts"]').textContent()) ?? '0')).toBeGreaterThan(0);
  expect(await readFile(join(served.workspace, 'spam.lfs.json'), 'utf8')).toContain('sql_channel');
  await expect(ta.root.getByRole('figure', { name: 'Conflict matrix' })).toBeVisible();

  await ta.root.getByRole('button', { name: 'Train label model' }).click();
  await expect(ta.root.getByTestId('label-model-result')).toContainText('spam_lf_labels');
  // The table cites the set version it was written at, which is now the saved one.
  await expect(ta.root.getByTestId('label-model-result')).toContainText(/set version [0-9a-f]{12}/);
  await expect(ta.savedVersion).toContainText(/^saved [0-9a-f]{12}$/);
  await expect(ta.doc.locator('[data-source="lf"]').or(ta.doc.locator('[data-source="model"]')).first()).toBeVisible();
  await snap(app, 'text-annotate-lfs');

  // Retraining again reorders the queue under the new model.
  const beforeRetrain = await ta.queueRows();
  await ta.doc.getByTestId('doc-text').click();
  await ta.press('1');
  await expect(ta.doc.getByTestId('human-label')).toHaveText('label: HAM');
  await ta.root.getByRole('button', { name: 'Retrain now' }).click();
  await expect(ta.modelStatus).toContainText('Model trained on 6 labels', { timeout: 60_000 });
  expect(await ta.queueRows()).not.toEqual(beforeRetrain);
});

test('NER set: select text, press a label key, the span snaps to whole tokens and can be deleted', async ({ app }) => {
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await wb.openFile('labels/wikigold');
  const ta = new TextAnnotatePage(app);
  await ta.ready();
  const text = ta.root.getByTestId('doc-text');
  // Select part of the first word: from character 1 to 3 of the first segment.
  await ta.selectInFirstSegment(1, 3);
  await ta.press('2');
  const spans = ta.root.getByRole('list', { name: 'Spans' });
  await expect(spans.locator('li')).toHaveCount(1);
  const first = (await text.textContent())!.split(' ')[0]!;
  await expect(spans.locator('li')).toContainText(`ORG: “${first}”`);
  await snap(app, 'text-annotate-ner');
  await spans.getByRole('button').click();
  await expect(spans).toHaveCount(0);
});

test('Save version: Ctrl+S records the labels’ content id in versions.ndjson, an edit marks it stale, a reload shows the last one', async ({ app, served }) => {
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await wb.openFile('labels/wikigold');
  const ta = new TextAnnotatePage(app);
  await ta.ready();
  await expect(ta.savedVersion).toHaveText('no saved version');
  await ta.selectInFirstSegment(0, 2);
  await ta.press('2');
  await ta.press('Control+s');
  await expect(ta.savedVersion).toContainText(/^saved [0-9a-f]{12}$/);
  const first = await ta.savedVersionId();
  expect(first).toMatch(/^sha256:[0-9a-f]{64}$/);
  const versionsFile = join(served.workspace, 'labels/wikigold/versions.ndjson');
  expect(await readFile(versionsFile, 'utf8')).toContain(first);
  await ta.press('ArrowRight');
  await ta.selectInFirstSegment(0, 2);
  await ta.press('2');
  await expect(ta.savedVersion).toContainText('edited since');
  await snap(app, 'text-annotate-version-edited');
  await ta.root.getByRole('button', { name: 'Save version' }).click();
  await expect(ta.savedVersion).not.toContainText('edited since');
  const second = await ta.savedVersionId();
  expect(second).not.toBe(first);
  expect((await readFile(versionsFile, 'utf8')).trim().split('\n')).toHaveLength(2);
  await app.reload();
  await wb.waitReady();
  await wb.openFile('labels/wikigold');
  await ta.ready();
  await expect(ta.savedVersion).toHaveText(`saved ${second.slice(7, 19)}`);
  await snap(app, 'text-annotate-version-saved');
});

test('Compare with…: a second annotator’s set over the same sentences gives span F1 and kappa in the panel', async ({ app, served }) => {
  // Annotator B (written as a set folder, as `vajra labels import` would) marked the first token of sentence 0 as ORG.
  const meta = JSON.parse(await readFile(join(served.workspace, 'labels/wikigold/textset.json'), 'utf8')) as Record<string, unknown>;
  await mkdir(join(served.workspace, 'labels/wikigold-b'));
  await writeFile(join(served.workspace, 'labels/wikigold-b/textset.json'), JSON.stringify({ ...meta, id: 'wikigold-b', name: 'wikigold-b' }));
  await writeFile(join(served.workspace, 'labels/wikigold-b/ops.ndjson'), `${JSON.stringify({ seq: 1, op: { op: 'add', label: { kind: 'span', id: 'b1', doc: 's:0', start: 0, end: 3, label: 'ORG' } } })}\n`);
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await wb.openFile('labels/wikigold');
  const ta = new TextAnnotatePage(app);
  await ta.ready();
  await ta.compareWith('wikigold-b');
  await expect(ta.agreement).toContainText('span F1 exact 0.000');
  await expect(ta.agreement).toContainText('0/1 spans');
  // Annotator A marks the same token (select inside "010", press 2 = ORG): now they agree.
  await ta.selectInFirstSegment(1, 3);
  await ta.press('2');
  await expect(ta.root.getByRole('list', { name: 'Spans' }).locator('li')).toHaveCount(1);
  await ta.compareWith('wikigold-b');
  await expect(ta.agreement).toContainText('span F1 exact 1.000 (P 100.0%, R 100.0%) · overlap 1.000');
  await expect(ta.agreement).toContainText('document κ n/a');
  await snap(app, 'text-annotate-compare');
});

/** A text pipeline (first 400 comments → split → vectorizer → model) as a workspace file. */
function textPipeline(id: string, sql: string, vectorizer: Record<string, unknown>, model: string, target: string): string {
  const node = (nid: string, kind: string, params: Record<string, unknown>, x: number) => ({ id: nid, kind, params, position: { x, y: 0 } });
  const edge = (from: string, port: string, to: string, toPort: string) => ({ id: `${from}.${port}->${to}.${toPort}`, from: { node: from, port }, to: { node: to, port: toPort } });
  return JSON.stringify({
    version: 1, id, name: id,
    nodes: [node('source', 'source', { from: 'sql', sql }, 0), node('split', 'split', { method: 'random', testFraction: 0.2, seed: 1 }, 200), node('vec', 'textVectorizer', vectorizer, 400), node('model', model, { target }, 600)],
    edges: [edge('source', 'data', 'split', 'data'), edge('split', 'train', 'vec', 'data'), edge('vec', 'data', 'model', 'train')],
  });
}

test('vote-entropy committee of two tracked runs (trained with vajra train) reorders the queue', async ({ app, served }) => {
  test.setTimeout(120_000);
  const csv = "read_csv('data/Youtube0[1-4]*.csv')";
  await writeFile(join(served.workspace, 'hash.pipeline.json'), textPipeline('hash-logistic', `SELECT CONTENT AS text, CASE WHEN CLASS = 1 THEN 'spam' ELSE 'ham' END AS label FROM ${csv} LIMIT 400`, { column: 'text', mode: 'hashing', nFeatures: 256 }, 'logisticRegression', 'label'));
  await writeFile(join(served.workspace, 'bayes.pipeline.json'), textPipeline('tfidf-bayes', `SELECT CONTENT, CLASS FROM ${csv} LIMIT 400`, { column: 'CONTENT', mode: 'tfidf', maxFeatures: 200 }, 'naiveBayes', 'CLASS'));
  for (const file of ['hash.pipeline.json', 'bayes.pipeline.json']) {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, '../bin/vajra.js'), 'train', file, '--workspace', served.workspace, '--json'], { cwd: served.workspace, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  }
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await wb.openFile('labels/spam');
  const ta = new TextAnnotatePage(app);
  await ta.ready();
  const before = await ta.queueRows();
  await ta.root.getByLabel('Queue strategy').selectOption('voteEntropy');
  const committee = ta.root.getByRole('group', { name: 'Committee' });
  await committee.getByRole('checkbox').first().check();
  await committee.getByRole('checkbox').nth(1).check();
  await committee.getByRole('button', { name: 'Use 2 runs as committee' }).click();
  await expect(committee.getByTestId('committee-status')).toContainText(/2 runs agree on \d+\.\d% of 1,586 rows/);
  await expect(committee).toContainText('Committee: 2 tracked runs');
  await expect(ta.modelStatus).toContainText('queue ordered by the votes of 2 tracked runs');
  await expect.poll(() => ta.queueRows()).not.toEqual(before);
  const meta = JSON.parse(await readFile(join(served.workspace, 'labels/spam/textset.json'), 'utf8')) as { committeeRuns?: string[] };
  expect(meta.committeeRuns).toHaveLength(2);
  await snap(app, 'text-annotate-committee');
});

test('a CoNLL file imported with vajra labels import opens in the text panel with its entities as human spans', async ({ app, served }) => {
  const conll = join(import.meta.dirname, '../../shared/data/ner/wnut17/emerging.dev.conll');
  const r = spawnSync(process.execPath, [join(import.meta.dirname, '../bin/vajra.js'), 'labels', 'import', conll, '--set', 'wnut-dev', '--format', 'conll', '--workspace', served.workspace], { cwd: served.workspace, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await wb.openFile('labels/wnut-dev');
  const ta = new TextAnnotatePage(app);
  await ta.ready();
  await expect(ta.root).toContainText(/1,009 documents · \d{3} labelled/);
  // The first sentences have no entity: step to the first one that has.
  const spans = ta.root.getByRole('list', { name: 'Spans' });
  for (let i = 0; i < 20 && (await spans.count()) === 0; i++) await ta.press('ArrowRight');
  await expect(spans.locator('li').first()).toContainText(/^(person|location|corporation|group|product|creative-work): “.+”/);
  await snap(app, 'text-annotate-conll-import');
});
