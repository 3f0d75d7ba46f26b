import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, restart, snap, stop, test } from './fixtures';
import { AnnotatePage } from './pages/annotate';

test.use({ example: 'timeseries' });

test('label a NAB series: zoom, two mouse ranges, one keyboard range, accept a suggestion, reload and see them', async ({ app, served }) => {
  const an = new AnnotatePage(app);
  await an.wb.waitReady();
  await an.openSeries('data/nyc_taxi.csv');
  await snap(app, 'annotate-open');

  const before = await an.windowFrom();
  await an.canvas.focus();
  await app.keyboard.press('+');
  await app.keyboard.press('+');
  await expect.poll(() => an.windowFrom()).toBeGreaterThan(before);
  await an.waitDrawn();

  await an.dragRange(0.1, 0.18);
  await an.dragRange(0.3, 0.36);
  await expect.poll(() => an.labelCount()).toBe(2);

  const cursor = await an.at(0.6);
  await app.mouse.move(cursor.x, cursor.y);
  await an.canvas.focus();
  await app.keyboard.press('Escape');
  await app.keyboard.press('[');
  for (let i = 0; i < 6; i++) await app.keyboard.press('Shift+ArrowRight');
  await app.keyboard.press('2');
  await app.keyboard.press(']');
  await expect.poll(() => an.labelCount()).toBe(3);

  await app.getByRole('button', { name: 'Suggest anomalies (z-score)' }).click();
  await expect.poll(() => an.suggestionCount()).toBeGreaterThan(0);
  const suggestions = await an.suggestionCount();
  await an.canvas.focus();
  const selectedSuggestion = app.getByRole('region', { name: 'Selected suggestion' });
  for (let i = 0; i < 20 && !(await selectedSuggestion.isVisible()); i++) await app.keyboard.press('Tab');
  await expect(selectedSuggestion).toBeVisible();
  await snap(app, 'annotate-suggestion-selected');
  await app.keyboard.press('Enter');
  await expect.poll(() => an.labelCount()).toBe(4);
  expect(await an.suggestionCount()).toBe(suggestions - 1);
  await an.waitSaved();
  await snap(app, 'annotate-labelled');

  const log = await readFile(join(served.workspace, 'labels/nyc_taxi/ops.ndjson'), 'utf8');
  expect(log.trim().split('\n').map((l) => (JSON.parse(l) as { op: { op: string } }).op.op)).toEqual(['add', 'add', 'add', 'suggest', 'acceptSuggestion']);

  await app.reload();
  await an.wb.waitReady();
  await an.wb.openFile('labels/nyc_taxi');
  await an.waitDrawn();
  await expect.poll(() => an.labelCount()).toBe(4);
  await snap(app, 'annotate-after-reload');
});

test('killing the backend mid-labelling loses no acknowledged label; the panel shows the lost connection', async ({ app, served }) => {
  const an = new AnnotatePage(app);
  await an.wb.waitReady();
  await an.openSeries('data/nyc_taxi.csv');
  const start = await an.at(0.05);
  await app.mouse.move(start.x, start.y);
  await an.canvas.focus();
  for (let i = 0; i < 12; i++) {
    await app.keyboard.press('p');
    await app.keyboard.press('Escape');
    await app.keyboard.press('Shift+ArrowRight');
  }
  await expect.poll(() => an.ackedSeq()).toBeGreaterThanOrEqual(4);
  for (let i = 0; i < 20; i++) {
    await app.keyboard.press('p');
    await app.keyboard.press('Escape');
    await app.keyboard.press('Shift+ArrowRight');
  }
  served.process.kill('SIGKILL');
  await expect(an.saveState).toContainText(/Connection lost|All edits saved/);
  const acked = await an.ackedSeq();
  const made = await an.labelCount();
  expect(made).toBe(32);
  await app.keyboard.press('p');
  await expect(an.saveState).toContainText('Connection lost');
  await snap(app, 'annotate-connection-lost');

  const again = await restart(served);
  try {
    await app.goto(again.url);
    await an.wb.waitReady();
    await an.wb.openFile('labels/nyc_taxi');
    await an.waitDrawn();
    const kept = await an.labelCount();
    expect(kept).toBeGreaterThanOrEqual(acked);
    expect(acked).toBeGreaterThan(0);
    await snap(app, 'annotate-after-kill');
  } finally {
    await stop(again).catch(() => undefined);
  }
});
