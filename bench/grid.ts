// Issue 3, grid: a 10M-row view opened in the data grid of `vajra serve` in Chromium — first page
// (click in the catalog → first rows drawn) and scroll to the end (Ctrl+End) — measured in the page,
// beside the bare native DuckDB time of the same window query (LIMIT/OFFSET).
import { DuckDBInstance } from '@duckdb/node-api';
import { DataPage, protocolClient } from '../e2e/pages/data';
import { WorkbenchPage } from '../e2e/pages/workbench';
import { browserUnavailable, openSession } from './browser';
import { benchMode } from './mode';
import { timeIt, type BenchRow } from './types';

const viewSql = (rows: number) =>
  `SELECT range AS i, range % 97 AS bucket, 'row ' || range AS label, DATE '2020-01-01' + CAST(range % 3650 AS INTEGER) AS day, CASE WHEN range % 11 = 0 THEN NULL ELSE range / 7 END AS ratio FROM range(${rows})`;

/** Bare DuckDB: the grid's first window and its last window of the same view, median of 5. */
async function nativeWindows(rows: number): Promise<{ first: number; middle: number; last: number }> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  await connection.run(`CREATE VIEW v AS ${viewSql(rows)}`);
  const first = await timeIt(() => connection.runAndReadAll('SELECT * FROM v LIMIT 100 OFFSET 0'), 5);
  const middle = await timeIt(() => connection.runAndReadAll(`SELECT * FROM v LIMIT 100 OFFSET ${rows / 2}`), 5);
  const last = await timeIt(() => connection.runAndReadAll(`SELECT * FROM v LIMIT 100 OFFSET ${rows - 100}`), 5);
  connection.closeSync();
  instance.closeSync();
  return { first, middle, last };
}

async function gridInBrowser(rows: number): Promise<{ firstPage: number; scrollToEnd: number; ctrlEnd: number; scrollToMiddle: number }> {
  const session = await openSession('tabular');
  try {
    const wb = new WorkbenchPage(session.page);
    const data = new DataPage(session.page);
    await wb.waitReady();
    await wb.openFile('data/penguins.json');
    const { client, close } = await protocolClient(session.served);
    await client.call('data.createView', { name: 'bench_rows', sql: viewSql(rows) });
    close();
    await wb.runCommand('Data: Show Catalog');
    await data.catalog.locator('[data-name="bench_rows"]').waitFor();
    const firstPage = await data.openFromCatalog('bench_rows', '0');
    const grid = data.grid('bench_rows');
    const last = rows.toLocaleString('en');
    await grid.focus();
    // Ctrl+End on a fresh grid (last window not cached): key event → last row's cells drawn.
    const ctrlEnd = await grid.evaluate(async (element, label) => {
      const started = performance.now();
      element.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', ctrlKey: true, bubbles: true, cancelable: true }));
      for (;;) {
        const header = [...element.querySelectorAll('[role="rowheader"]')].find((h) => h.textContent === label);
        if (header?.parentElement?.querySelector('[role="gridcell"]:not(.loading)')) return performance.now() - started;
        if (performance.now() - started > 30_000) throw new Error(`Ctrl+End never showed row ${label}`);
        await new Promise((r) => requestAnimationFrame(r));
      }
    }, last);
    await session.page.keyboard.press('Control+Home');
    await data.cell(grid, 0, 0).filter({ hasText: /^0$/ }).waitFor();
    // A scrollbar drag to the middle (a window never fetched): scroll → its rows drawn, no cell loading.
    const scrollToMiddle = await grid.evaluate(async (element, total) => {
      const started = performance.now();
      element.scrollTop = element.scrollHeight / 2;
      element.dispatchEvent(new Event('scroll'));
      for (;;) {
        const numbers = [...element.querySelectorAll('[role="rowheader"]')].map((h) => Number((h.textContent ?? '').replace(/,/g, '')));
        const loading = element.querySelector('[role="gridcell"].loading');
        if (numbers.some((n) => n > total / 4) && !loading) return performance.now() - started;
        if (performance.now() - started > 30_000) throw new Error('the middle rows never appeared');
        await new Promise((r) => requestAnimationFrame(r));
      }
    }, rows);
    const scrollToEnd = await data.scrollToEnd(grid, last);
    return { firstPage, scrollToEnd, ctrlEnd, scrollToMiddle };
  } finally {
    await session.close();
  }
}

/** The grid suite: 10M rows (1M in quick mode). */
export async function benchGrid(): Promise<BenchRow[]> {
  const rows = benchMode() === 'quick' ? 1_000_000 : 10_000_000;
  const shape = `${rows.toLocaleString('en')}-row view`;
  const native = await nativeWindows(rows);
  const unavailable = browserUnavailable();
  const renderer = process.env.VAJRA_RENDERER_DIR ? ` (renderer ${process.env.VAJRA_RENDERER_DIR})` : '';
  if (unavailable) return [{ suite: 'grid', case: `${shape} in the grid`, vajra: Number.NaN, unit: 'ms', note: `skipped: ${unavailable}` }];
  const measured = await gridInBrowser(rows);
  const anchor = (value: number, what: string) => ({ name: `native DuckDB ${what} (LIMIT 100 OFFSET)`, value });
  return [
    { suite: 'grid', case: `${shape}: first page (catalog click → rows drawn, in page)`, vajra: measured.firstPage, anchor: anchor(native.first, 'first window'), unit: 'ms', target: '< 100 ms step feel', note: `includes opening the tab and reading the catalog${renderer}` },
    { suite: 'grid', case: `${shape}: Ctrl+End (key → last row drawn, in page)`, vajra: measured.ctrlEnd, anchor: anchor(native.last, 'last window'), unit: 'ms', target: '< 100 ms step feel', note: 'first visit of the last window' },
    { suite: 'grid', case: `${shape}: scrollbar to the middle (scroll → rows drawn, in page)`, vajra: measured.scrollToMiddle, anchor: anchor(native.middle, 'middle window'), unit: 'ms', target: '< 100 ms step feel', note: 'a window never fetched before' },
    { suite: 'grid', case: `${shape}: scrollbar to end again (scroll → last row drawn, in page)`, vajra: measured.scrollToEnd, anchor: anchor(native.last, 'last window'), unit: 'ms', target: '< 100 ms step feel', note: 'the last window was fetched by Ctrl+End' },
  ];
}
