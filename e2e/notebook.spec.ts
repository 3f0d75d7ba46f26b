import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, snap, test } from './fixtures';
import { NotebookPage } from './pages/notebook';
import { WorkbenchPage } from './pages/workbench';

test('the census notebook runs SQL over data/adult.csv, and moving the slider updates the chart and prose downstream', async ({ app, served }) => {
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await wb.openFile('census.notebook.md');
  const nb = new NotebookPage(app);
  await expect(nb.cell('people')).toBeVisible();
  await nb.idle();

  await nb.run('people');
  await nb.idle();
  await expect(nb.cell('people').getByTestId('table-summary')).toContainText('32,561 rows × 15 columns');
  await expect(nb.cell('people').getByRole('grid')).toContainText('State-gov');

  await expect(nb.cell('by_education').getByTestId('table-summary')).toContainText('16 rows');
  await expect(nb.bars('share_by_education')).toHaveCount(16);
  const prose = nb.markdown(1);
  await expect(prose).toContainText('at least 40 hours');
  const before = await prose.textContent();
  const barsBefore = await nb.bars('share_by_education').evaluateAll((rects) => rects.map((r) => r.getAttribute('height')).join(','));
  await snap(app, 'notebook-census-light');
  await nb.cell('min_hours').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await snap(app, 'notebook-census-chart-40');

  await nb.setSlider('min_hours', 60);
  await expect(prose).toContainText('at least 60 hours');
  await nb.idle();
  expect(await prose.textContent()).not.toBe(before);
  await expect.poll(() => nb.bars('share_by_education').evaluateAll((rects) => rects.map((r) => r.getAttribute('height')).join(','))).not.toBe(barsBefore);
  await expect(nb.status('people')).not.toContainText('running');

  await expect.poll(async () => readFile(join(served.workspace, 'census.notebook.md'), 'utf8')).toContain('value=60');
  await snap(app, 'notebook-census-chart-60');
  await wb.runCommand('Dark Theme');
  await nb.cell('share_by_education').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await snap(app, 'notebook-census-dark');
});

test('editing an upstream SQL cell and running it re-runs its dependents; a SQL error shows inline and blocks them', async ({ app }) => {
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await wb.openFile('census.notebook.md');
  const nb = new NotebookPage(app);
  await nb.idle();
  await expect(nb.bars('share_by_education')).toHaveCount(16);
  const editor = nb.cell('by_education').locator('.monaco-editor').first();
  await editor.click();
  await app.keyboard.press('Control+End');
  await app.keyboard.type(' LIMIT 5');
  await expect(nb.cell('by_education')).toHaveAttribute('data-stale', 'true');
  await app.keyboard.press('Control+Enter');
  await nb.idle();
  await expect(nb.bars('share_by_education')).toHaveCount(5);
  await expect(nb.cell('by_education').getByTestId('table-summary')).toContainText('5 rows');

  await editor.click();
  await app.keyboard.press('Control+End');
  await app.keyboard.type(' nonsense');
  await app.keyboard.press('Control+Enter');
  await nb.idle();
  await expect(nb.cell('by_education').getByTestId('cell-error')).toContainText(/syntax error|Parser Error/i);
  await expect(nb.status('share_by_education')).toHaveText('upstream error in by_education');
  await snap(app, 'notebook-error');
});

test('reopening shows cached outputs without running; a change on disk by another program reloads the notebook', async ({ app, served }) => {
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await wb.openFile('census.notebook.md');
  const nb = new NotebookPage(app);
  await nb.idle();
  await expect(nb.bars('share_by_education')).toHaveCount(16);

  await app.reload();
  await wb.waitReady();
  await wb.openFile('census.notebook.md');
  await expect(nb.bars('share_by_education')).toHaveCount(16);
  await expect(nb.status('by_education')).toContainText('cached');
  await expect(nb.status('top')).toContainText('cached');
  await expect(nb.cell('by_education').getByRole('grid')).toContainText('Preschool');

  const file = join(served.workspace, 'census.notebook.md');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace('## Age and income', '## Age and income (edited elsewhere)'));
  await expect(nb.root.locator('.nb-markdown h2', { hasText: 'Age and income (edited elsewhere)' })).toBeVisible();
  await expect(app.getByTestId('save-state')).toHaveText('Saved');
  await snap(app, 'notebook-reopened');
});

test('Jupyter keys: Esc then B inserts a cell, Shift+Enter runs it, D D deletes it, Z undoes the delete', async ({ app }) => {
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await wb.openFile('census.notebook.md');
  const nb = new NotebookPage(app);
  await nb.idle();
  const cells = nb.root.locator('.nb-cell');
  const count = await cells.count();
  await nb.cell('top').locator('.monaco-editor').first().click();
  await app.keyboard.press('Escape');
  await app.keyboard.press('b');
  await expect(cells).toHaveCount(count + 1);
  const added = cells.nth(6);
  await expect(added).toHaveClass(/editing/);
  await app.keyboard.press('Control+A');
  await app.keyboard.type('SELECT count(*) AS adults FROM people WHERE age >= $min_hours');
  await app.keyboard.press('Shift+Enter');
  await nb.idle();
  await expect(added.getByRole('grid')).toContainText(/\d/);
  await expect(added.getByTestId('cell-status')).toContainText('ms');
  await snap(app, 'notebook-keys');
  await added.click({ position: { x: 20, y: 10 } });
  await app.keyboard.press('d');
  await app.keyboard.press('d');
  await expect(cells).toHaveCount(count);
  await app.keyboard.press('z');
  await expect(cells).toHaveCount(count + 1);
});
