import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, snap, test } from './fixtures';
import { CanvasPage } from './pages/canvas';
import { ValidatePage } from './pages/validate';

test.setTimeout(120_000);

/** wine-quality.csv with alcohol shifted by +1.5 % vol and one pH set to an impossible 9.5. */
async function writeDrifted(workspace: string): Promise<void> {
  const lines = (await readFile(join(workspace, 'data/wine-quality.csv'), 'utf8')).trimEnd().split('\n');
  const head = lines[0]!.split(',');
  const alcohol = head.indexOf('"alcohol"'), ph = head.indexOf('"pH"');
  const body = lines.slice(1).map((line, i) => {
    const cells = line.split(',');
    cells[alcohol] = (Number(cells[alcohol]) + 1.5).toFixed(2);
    if (i === 7) cells[ph] = '9.5';
    return cells.join(',');
  });
  await writeFile(join(workspace, 'data/wine-drifted.csv'), `${[lines[0], ...body].join('\n')}\n`);
}

test('suggest a suite for wine_quality, accept it, and see drifted data fail with a clear report', async ({ app, served }) => {
  const page = new ValidatePage(app);
  await page.wb.waitReady();
  // A new, empty suite file (as "New file" would make it).
  await writeFile(join(served.workspace, 'wine.expectations.json'), '{"format":"vajra.expectations","version":1,"name":"wine","expectations":[]}\n');
  await page.wb.treeItem('wine.expectations.json').waitFor();
  await page.wb.openFile('wine.expectations.json');
  await expect(page.view).toContainText('No expectations yet');

  await page.setTable('wine_quality');
  await page.button('Suggest from table…').click();
  await expect(page.suggestions).toContainText('suggested from wine_quality');
  await snap(app, 'validate-suggest');
  await page.suggestions.getByRole('button', { name: /^Accept \d+/ }).click();
  await expect(page.suggestions).toHaveCount(0);
  await expect.poll(async () => JSON.parse(await readFile(join(served.workspace, 'wine.expectations.json'), 'utf8')).expectations.length).toBeGreaterThan(10);
  const saved = JSON.parse(await readFile(join(served.workspace, 'wine.expectations.json'), 'utf8')) as { expectations: { kind: string; column?: string }[] };
  expect(saved.expectations.some((e) => e.kind === 'range' && e.column === 'alcohol')).toBe(true);
  expect(saved.expectations.some((e) => e.kind === 'ks' && e.column === 'alcohol')).toBe(true);
  await expect(page.expectations).toHaveCount(saved.expectations.length);

  // The training table passes its own suite.
  await page.setReference('wine_quality');
  await page.button('Run').click();
  await expect(page.result).toContainText('Passed');

  // Drift: a new data file appears in data/ and becomes the view wine_drifted.
  await writeDrifted(served.workspace);
  await page.wb.treeItem('data/wine-drifted.csv').waitFor();
  await page.setTable('wine_drifted');
  await expect(async () => {
    await page.button('Run').click();
    await expect(page.result).toContainText('Failed', { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  const report = page.report('Validation report');
  await expect(report.locator('h1')).toContainText('failed');
  await expect(report.locator('tr', { hasText: 'pH' }).filter({ hasText: 'offending' }).first()).toContainText('9.5');
  await expect(report.locator('tr', { hasText: 'alcohol' }).locator('svg').first()).toBeVisible();
  await snap(app, 'validate-report-failed');

  await page.button('Drift').click();
  const drift = page.report('Drift report');
  await expect(drift.locator('h2')).toContainText('wine_drifted');
  await expect(drift.locator('tr', { hasText: 'alcohol' }).locator('svg rect').first()).toBeAttached();
  await snap(app, 'validate-drift');

  // The same suite in a Validate node between the Source and the Split stops the pipeline.
  const pipeline = JSON.parse(await readFile(join(served.workspace, 'wine-quality.pipeline.json'), 'utf8')) as {
    name?: string; nodes: { id: string; kind: string; params: Record<string, unknown>; position: { x: number; y: number } }[]; edges: { id: string; from: { node: string; port: string }; to: { node: string; port: string } }[];
  };
  const source = pipeline.nodes.find((n) => n.kind === 'source')!;
  source.params = { ...source.params, dataset: 'wine_drifted' };
  pipeline.nodes.push({ id: 'check', kind: 'validate', params: { suite: 'wine.expectations.json', failOnError: true }, position: { x: source.position.x + 120, y: source.position.y + 140 } });
  const intoSplit = pipeline.edges.find((e) => e.from.node === source.id)!;
  pipeline.edges = [...pipeline.edges.filter((e) => e !== intoSplit),
    { id: `${source.id}.data->check.data`, from: { node: source.id, port: 'data' }, to: { node: 'check', port: 'data' } },
    { id: `check.data->${intoSplit.to.node}.data`, from: { node: 'check', port: 'data' }, to: intoSplit.to }];
  await writeFile(join(served.workspace, 'drift-check.pipeline.json'), `${JSON.stringify(pipeline, null, 2)}\n`);
  await page.wb.treeItem('drift-check.pipeline.json').waitFor();
  await page.wb.openFile('drift-check.pipeline.json');
  const canvas = new CanvasPage(app);
  await canvas.card('check').waitFor();
  await app.getByRole('button', { name: '▶ Run all' }).click();
  await expect(canvas.card('check')).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
  await expect(canvas.card(intoSplit.to.node)).not.toHaveAttribute('data-status', 'done');
  await canvas.select('check');
  await expect(canvas.root).toContainText('Validation failed');
  await expect(canvas.root).toContainText('range pH');
  await snap(app, 'validate-node-failed');
});
