import type { Locator, Page } from '@playwright/test';
import { createClient, type Client } from '../../app/protocol/rpc';
import { socketTransport } from '../../app/protocol/socket-transport';
import type { VajraContract } from '../../app/protocol/contract';
import type { Served } from '../fixtures';

/** Page object of the data feature: dataset tabs, the grid, the catalog, drops and imports. */
export class DataPage {
  constructor(readonly page: Page) {}

  grid(name: string): Locator {
    return this.page.getByRole('grid', { name: `Rows of ${name}` });
  }

  get rowCount(): Locator {
    return this.page.getByTestId('row-count');
  }

  /** The cell of result row `row` (0-based) and column `col` (0-based) of the visible grid. */
  cell(grid: Locator, row: number, col: number): Locator {
    return grid.locator(`[role="row"][aria-rowindex="${row + 2}"] [role="gridcell"]`).nth(col);
  }

  rowHeader(grid: Locator, row: number): Locator {
    return grid.locator(`[role="row"][aria-rowindex="${row + 2}"] [role="rowheader"]`);
  }

  header(grid: Locator, column: string): Locator {
    return grid.getByRole('columnheader').filter({ has: this.page.getByRole('button', { name: column, exact: true }) });
  }

  async sortBy(grid: Locator, column: string): Promise<void> {
    await this.header(grid, column).getByRole('button', { name: column, exact: true }).click();
  }

  async filter(grid: Locator, column: string, text: string): Promise<void> {
    await grid.getByLabel(`Filter ${column}`, { exact: true }).fill(text);
  }

  get catalog(): Locator {
    return this.page.getByRole('list', { name: 'Tables and views' });
  }

  get imports(): Locator {
    return this.page.getByRole('region', { name: 'Imports' });
  }

  /** Drops a file built in the page (a real DataTransfer and File) onto the window. */
  async dropFile(name: string, text: string): Promise<void> {
    await this.page.evaluate(({ name, text }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], name, { type: 'text/csv' }));
      const target = document.querySelector('.editor-area') ?? document.body;
      target.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, { name, text });
  }

  /**
   * Clicks the catalog entry `name` and measures, in the page, the ms until the first cell of
   * its grid shows `firstText` (tab opened, catalog read, first window queried and drawn).
   */
  async openFromCatalog(name: string, firstText: string): Promise<number> {
    return this.page.evaluate(async ({ name, firstText }) => {
      const button = [...document.querySelectorAll<HTMLButtonElement>('.catalog-name')].find((b) => b.textContent === name);
      if (!button) throw new Error(`no catalog entry ${name}`);
      const started = performance.now();
      button.click();
      for (;;) {
        const grid = document.querySelector(`[role="grid"][aria-label="Rows of ${name}"]`);
        const cell = grid?.querySelector('[aria-rowindex="2"] [role="gridcell"]');
        if (cell?.textContent === firstText) return performance.now() - started;
        if (performance.now() - started > 30_000) throw new Error(`${name} never showed ${firstText}`);
        await new Promise((r) => requestAnimationFrame(r));
      }
    }, { name, firstText });
  }

  /**
   * Scrolls `grid` to the bottom the way a scrollbar drag does and measures, in the page, the ms
   * until the row with header `lastLabel` is on screen.
   */
  async scrollToEnd(grid: Locator, lastLabel: string): Promise<number> {
    return grid.evaluate(async (element, label) => {
      const started = performance.now();
      element.scrollTop = element.scrollHeight;
      element.dispatchEvent(new Event('scroll'));
      for (;;) {
        const headers = [...element.querySelectorAll('[role="rowheader"]')];
        const last = headers.find((h) => h.textContent === label);
        const cells = last?.parentElement?.querySelectorAll('[role="gridcell"]:not(.loading)');
        if (cells && cells.length > 0) return performance.now() - started;
        if (performance.now() - started > 30_000) throw new Error(`row ${label} never appeared`);
        await new Promise((r) => requestAnimationFrame(r));
      }
    }, lastLabel);
  }
}

/** A protocol client of the served backend (the same contract the renderer uses), for setup and checks. */
export async function protocolClient(served: Served): Promise<{ client: Client<VajraContract>; close: () => void }> {
  const socket = new WebSocket(`${served.origin.replace('http', 'ws')}/rpc?token=${served.token}`);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('protocol socket failed')), { once: true });
  });
  return { client: createClient<VajraContract>(socketTransport(socket)), close: () => socket.close() };
}
