import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { decodeIpc } from '../app/data/ipc';
import { expect, snap, test } from './fixtures';
import { DataPage, protocolClient } from './pages/data';
import { WorkbenchPage } from './pages/workbench';

test('data/adult.csv opens as a grid of 32,561 rows read in place; sort and filter run in SQL', async ({ app, served }) => {
  const wb = new WorkbenchPage(app);
  const data = new DataPage(app);
  await wb.waitReady();
  await wb.openFile('data/adult.csv');
  const grid = data.grid('adult');
  await expect(data.rowCount).toHaveText('32,561 rows');
  await expect(app.getByText('view over data/adult.csv, read in place')).toBeVisible();
  await expect(data.cell(grid, 0, 0)).toHaveText('39');
  await expect(data.cell(grid, 0, 1)).toHaveText('State-gov');
  await expect(grid.getByTestId('profile-age').locator('rect').first()).toBeAttached();
  expect(existsSync(join(served.workspace, '.vajra', 'workspace.duckdb'))).toBe(true);
  await snap(app, 'data-adult-grid');

  await data.sortBy(grid, 'age');
  await expect(data.header(grid, 'age')).toHaveAttribute('aria-sort', 'ascending');
  await expect(data.cell(grid, 0, 0)).toHaveText('17');
  await data.sortBy(grid, 'age');
  await expect(data.cell(grid, 0, 0)).toHaveText('90');

  await data.filter(grid, 'education', 'doctorate');
  await expect(data.rowCount).toHaveText('413 rows (filtered)');
  await expect(data.cell(grid, 0, 3)).toHaveText('Doctorate');
  await data.filter(grid, 'age', '>=60');
  await expect(data.rowCount).toHaveText(/^\d+ rows \(filtered\)$/);
  const { client, close } = await protocolClient(served);
  const expected = await client.call('data.query', {
    source: { kind: 'query', sql: "SELECT count(*) AS n FROM read_csv('data/adult.csv') WHERE education = 'Doctorate' AND age >= 60" },
    window: { offset: 0, limit: 1 },
  });
  close();
  const n = Number(decodeIpc(expected.ipc).get(0)!.toJSON()['n']);
  await expect(data.rowCount).toHaveText(`${n} rows (filtered)`);
  await snap(app, 'data-adult-sorted-filtered');
});

test('the catalog lists tables with columns and counts; Import as table copies the file with progress', async ({ app }) => {
  const wb = new WorkbenchPage(app);
  const data = new DataPage(app);
  await wb.waitReady();
  await wb.openFile('data/wine-quality.csv');
  await expect(data.rowCount).toHaveText('4,898 rows');
  await app.getByRole('button', { name: 'Import as table' }).click();
  await expect(app.getByText('table, imported from data/wine-quality.csv')).toBeVisible();
  await expect(data.rowCount).toHaveText('4,898 rows');
  await wb.runCommand('Data: Show Catalog');
  await expect(wb.tab('Data catalog')).toBeVisible();
  const adult = data.catalog.locator('[data-name="adult"]');
  await expect(adult).toContainText('32,561 rows');
  await expect(adult).toContainText('VARCHAR');
  await expect(data.catalog.locator('[data-name="wine_quality"]')).toContainText('table');
  await expect(data.catalog.locator('[data-name="penguins"]')).toContainText('data/penguins.json');
  await snap(app, 'data-catalog');
  await data.catalog.getByRole('button', { name: 'penguins' }).click();
  await expect(data.grid('penguins')).toBeVisible();
  await expect(data.rowCount).toHaveText(/^\d{3} rows$/);
});

test('a CSV dropped onto the window is saved in data/, imported, opened and queryable; a bad one is explained', async ({ app, served }) => {
  const wb = new WorkbenchPage(app);
  const data = new DataPage(app);
  await wb.waitReady();
  await wb.openFile('data/adult.csv');
  await expect(data.rowCount).toHaveText('32,561 rows');
  const rows = Array.from({ length: 250 }, (_, i) => `${i},${i % 2 ? 'odd' : 'even'},${(i * 0.5).toFixed(1)}`);
  await data.dropFile('dropped sales.csv', `id,parity,amount\n${rows.join('\n')}\n`);
  await expect(wb.tab('dropped_sales')).toBeVisible();
  const grid = data.grid('dropped_sales');
  await expect(data.rowCount).toHaveText('250 rows');
  await expect(data.cell(grid, 3, 1)).toHaveText('odd');
  expect(existsSync(join(served.workspace, 'data', 'dropped sales.csv'))).toBe(true);
  await expect(wb.treeItem('data/dropped sales.csv')).toBeVisible();
  await snap(app, 'data-dropped');

  const { client, close } = await protocolClient(served);
  const sum = await client.call('data.query', { source: { kind: 'query', sql: 'SELECT sum(amount) AS s, count(*) AS n FROM dropped_sales WHERE parity = \'odd\'' }, window: { offset: 0, limit: 1 } });
  close();
  expect(decodeIpc(sum.ipc).get(0)!.toJSON()).toEqual({ s: rows.filter((_, i) => i % 2).reduce((a, _, k) => a + (2 * k + 1) * 0.5, 0), n: 125n });

  await data.dropFile('broken.csv', 'a,b\n1,2\n3\n4,5\n');
  await expect(data.imports.getByRole('alert')).toContainText('broken.csv, line 3');
  await snap(app, 'data-drop-error');
  expect(existsSync(join(served.workspace, 'data', 'broken.csv'))).toBe(false);
  await expect(data.rowCount).toHaveText('250 rows');
});

test('a 10M-row view scrolls to its last row', async ({ app, served }) => {
  const wb = new WorkbenchPage(app);
  const data = new DataPage(app);
  await wb.waitReady();
  await wb.openFile('data/penguins.json');
  const { client, close } = await protocolClient(served);
  await client.call('data.createView', {
    name: 'ten_million',
    sql: "SELECT range AS i, range % 97 AS bucket, 'row ' || range AS label, DATE '2020-01-01' + CAST(range % 3650 AS INTEGER) AS day, CASE WHEN range % 11 = 0 THEN NULL ELSE range / 7 END AS ratio FROM range(10000000)",
  });
  close();
  await wb.runCommand('Data: Show Catalog');
  await expect(data.catalog.locator('[data-name="ten_million"]')).toContainText('10,000,000 rows');
  const firstPageMs = Math.round(await data.openFromCatalog('ten_million', '0'));
  const grid = data.grid('ten_million');
  await expect(data.cell(grid, 0, 2)).toHaveText('row 0');
  await expect(data.rowCount).toHaveText('10,000,000 rows');
  await expect(data.cell(grid, 0, 4)).toHaveText('null');
  await expect(data.cell(grid, 1, 3)).toHaveText('2020-01-02');
  await expect(grid.getByTestId('profile-i').locator('rect')).toHaveCount(20, { timeout: 30_000 });
  await expect(grid.getByTestId('profile-ratio')).toContainText('9.1% null', { timeout: 30_000 });
  await snap(app, 'data-10m-top');

  const scrollMs = await data.scrollToEnd(grid, '10,000,000');
  await expect(data.cell(grid, 9_999_999, 0)).toHaveText('9999999');
  await expect(data.cell(grid, 9_999_999, 2)).toHaveText('row 9999999');
  await snap(app, 'data-10m-end');

  await grid.focus();
  await app.keyboard.press('Control+Home');
  await expect(data.cell(grid, 0, 0)).toHaveText('0');
  await app.keyboard.press('Control+End');
  await expect(data.cell(grid, 9_999_999, 0)).toHaveText('9999999');
  console.log(`[data.spec] 10M rows: first page ${firstPageMs} ms (click → rows on screen), scroll to end ${Math.round(scrollMs)} ms (in page)`);
  test.info().annotations.push({ type: 'timing', description: `first page ${firstPageMs} ms; scroll to end ${Math.round(scrollMs)} ms` });
});
