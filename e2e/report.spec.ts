import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, snap, test } from './fixtures';
import { NotebookPage } from './pages/notebook';
import { logRunsThroughMlflow, RunsPage } from './pages/runs';
import { WorkbenchPage } from './pages/workbench';

const screenshots = resolve(import.meta.dirname, '..', 'test-results', 'screenshots');

/** Pixels of a binary PPM (P6) image close to `rgb`, as a fraction of all pixels. */
function shareNear(ppm: Buffer, rgb: [number, number, number], tolerance = 40): number {
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error('not a binary PPM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const data = ppm.subarray(header[0].length);
  let near = 0;
  for (let i = 0; i < width * height; i++) {
    const d = Math.abs(data[3 * i]! - rgb[0]) + Math.abs(data[3 * i + 1]! - rgb[1]) + Math.abs(data[3 * i + 2]! - rgb[2]);
    if (d <= tolerance) near++;
  }
  return near / (width * height);
}

/** Opens a report file in a fresh offline context that aborts every non-file request; returns the page and the aborted URLs. */
async function openOffline(browser: import('@playwright/test').Browser, path: string) {
  const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 900 } });
  const requested: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    requested.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  await page.goto(pathToFileURL(path).href);
  return { page, requested, close: () => context.close() };
}

test('export the census notebook as a report: the HTML opens offline with its charts, the PDF shows them', async ({ app, served, browser }) => {
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await wb.openFile('census.notebook.md');
  const nb = new NotebookPage(app);
  await nb.idle();
  await app.getByRole('button', { name: '▶ Run all' }).click();
  await nb.idle();
  await expect(nb.bars('share_by_education')).toHaveCount(16);

  await wb.runCommand('Notebook: Export Report');
  const dialog = app.getByRole('dialog', { name: 'Export report' });
  await expect(dialog.getByRole('textbox', { name: 'Report file' })).toHaveValue('reports/census.html');
  await dialog.getByRole('spinbutton', { name: 'Rows per table' }).fill('8');
  await dialog.getByRole('combobox', { name: 'Code cells' }).selectOption('show');
  await snap(app, 'report-export-dialog');
  await dialog.getByRole('button', { name: 'Export' }).click();
  await expect(app.getByText('Report saved to reports/census.html and reports/census.pdf')).toBeVisible({ timeout: 60_000 });
  await expect(dialog).toBeHidden();

  const htmlPath = join(served.workspace, 'reports/census.html');
  const html = await readFile(htmlPath, 'utf8');
  expect(html.match(/<figure class="chart"><svg|<figure class="chart"><figure/g)?.length).toBe(2);
  expect(html).toContain('32,561 rows, first 8 shown');
  expect(html).toMatch(/<pre class="code"><code>SELECT \* FROM read_csv/);
  expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/i);

  // A reader without Vajra and without a network: a fresh context, offline, every non-file request aborted.
  const { page: reader, requested, close } = await openOffline(browser, htmlPath);
  await expect(reader.getByRole('heading', { level: 2, name: 'Age and income' })).toBeVisible();
  expect(await reader.locator('figure.chart svg').count()).toBeGreaterThanOrEqual(2);
  await expect(reader.locator('figure.chart').first().locator('g[aria-label="bar"] rect')).toHaveCount(16);
  await snap(reader, 'report-html-offline');
  await reader.locator('figure.chart').first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await snap(reader, 'report-html-offline-chart');
  expect(requested).toEqual([]);
  await close();

  // The PDF: every page to PPM; the bar colour of the charts must cover part of some page.
  const pdf = await readFile(join(served.workspace, 'reports/census.pdf'));
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const pages = await mkdtemp(join(tmpdir(), 'vajra-report-pdf-'));
  execFileSync('/usr/bin/pdftoppm', ['-r', '50', join(served.workspace, 'reports/census.pdf'), join(pages, 'p')]);
  const files = (await readdir(pages)).filter((f) => f.endsWith('.ppm')).sort();
  expect(files.length).toBeGreaterThanOrEqual(1);
  const shares = await Promise.all(files.map(async (f) => shareNear(await readFile(join(pages, f)), [79, 127, 224])));
  const chartPage = shares.findIndex((s) => s > 0.01);
  expect(chartPage, `bar colour share per page: ${shares.map((s) => s.toFixed(3)).join(', ')}`).toBeGreaterThanOrEqual(0);
  execFileSync('/usr/bin/pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', join(served.workspace, 'reports/census.pdf'), join(pages, 'first')]);
  execFileSync('/usr/bin/pdftoppm', ['-png', '-r', '80', '-f', String(chartPage + 1), '-l', String(chartPage + 1), join(served.workspace, 'reports/census.pdf'), join(pages, 'chart')]);
  const png = async (prefix: string, name: string) => {
    const file = (await readdir(pages)).find((f) => f.startsWith(prefix) && f.endsWith('.png'))!;
    await copyFile(join(pages, file), join(screenshots, `${name}.png`));
    await test.info().attach(name, { path: join(screenshots, `${name}.png`), contentType: 'image/png' });
    return readFile(join(pages, file));
  };
  expect((await png('first', 'report-pdf-page1')).length).toBeGreaterThan(5000);
  await png('chart', 'report-pdf-chart-page');
});

const steps = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
const curves = (k: number) => JSON.stringify({
  roc: { x: steps(21, (i) => i / 20), y: steps(21, (i) => (i / 20) ** (1 / k)) },
  pr: { x: steps(21, (i) => i / 20), y: steps(21, (i) => 1 - 0.5 * (i / 20) ** k) },
  confusion: { labels: ['<=50K', '>50K'], counts: [[4100, 350], [600, 950]] },
});

test('export a run report and a compare-runs report: metrics, curves, ROC/PR, confusion matrix, offline', async ({ app, served, browser, request }) => {
  const ids = await logRunsThroughMlflow(request, served.origin, served.token, 'census', [
    { name: 'gbdt-a', params: { 'model.kind': 'gbdt', 'model.depth': '3' }, metrics: { loss: steps(20, (i) => 0.7 * Math.exp(-i / 6) + 0.3), accuracy: [0.84] }, artifacts: { 'evaluation/evaluate/curves.json': curves(2) } },
    { name: 'gbdt-b', params: { 'model.kind': 'gbdt', 'model.depth': '8' }, metrics: { loss: steps(20, (i) => 0.7 * Math.exp(-i / 4) + 0.2), accuracy: [0.87] }, artifacts: { 'evaluation/evaluate/curves.json': curves(4) } },
  ]);
  const runs = new RunsPage(app);
  await runs.wb.waitReady();
  await runs.wb.treeItem('runs').click();
  await runs.wb.treeItem(`runs/${ids[1]}`).click();
  await expect(app.getByLabel('Run gbdt-b')).toContainText('model.depth');
  await runs.wb.runCommand('Runs: Export Run Report');
  await expect(app.getByText(/Report saved to reports\/run-gbdt-b-[\w-]+\.html and/)).toBeVisible({ timeout: 60_000 });
  const reports = join(served.workspace, 'reports');
  const runFile = (await readdir(reports)).find((f) => /^run-gbdt-b-.*\.html$/.test(f))!;
  const html = await readFile(join(reports, runFile), 'utf8');
  for (const heading of ['Metrics', 'Parameters', 'Curves', 'Confusion matrix (evaluate)', 'ROC curve (evaluate)', 'Precision–recall curve (evaluate)', 'Provenance']) expect(html).toContain(`>${heading}</h2>`);
  const one = await openOffline(browser, join(reports, runFile));
  await expect(one.page.locator('.metric', { hasText: 'accuracy' })).toContainText('0.8700');
  expect(await one.page.locator('figure.chart svg').count()).toBeGreaterThanOrEqual(3);
  await snap(one.page, 'report-run-offline');
  await one.page.getByRole('heading', { name: 'ROC curve (evaluate)' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await snap(one.page, 'report-run-offline-roc');
  expect(one.requested).toEqual([]);
  await one.close();

  await runs.openTable();
  await runs.select('gbdt-a');
  await runs.select('gbdt-b');
  await runs.toolbarButton('Compare').click();
  const compare = app.getByLabel('Run comparison');
  await compare.getByRole('button', { name: 'Export report' }).click();
  await expect(app.getByText('Report saved to reports/compare-2-runs.html and reports/compare-2-runs.pdf')).toBeVisible({ timeout: 60_000 });
  const both = await openOffline(browser, join(reports, 'compare-2-runs.html'));
  await expect(both.page.getByRole('heading', { name: 'Params that differ' })).toBeVisible();
  await expect(both.page.locator('table.data', { hasText: 'model.depth' })).toContainText('8');
  expect(await both.page.locator('figure.chart svg').count()).toBeGreaterThanOrEqual(1);
  await snap(both.page, 'report-compare-offline');
  expect(both.requested).toEqual([]);
  await both.close();
});
