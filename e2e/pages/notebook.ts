import type { Locator, Page } from '@playwright/test';

/** Page object of an open notebook. */
export class NotebookPage {
  constructor(readonly page: Page) {}

  get root(): Locator {
    return this.page.locator('.notebook');
  }

  /** A cell by its name (`name=` in the file). */
  cell(name: string): Locator {
    return this.root.locator(`.nb-cell[data-cell-name="${name}"]`);
  }

  /** Markdown cells in order. */
  markdown(index: number): Locator {
    return this.root.locator('.nb-cell.kind-markdown .nb-markdown').nth(index);
  }

  status(name: string): Locator {
    return this.cell(name).getByTestId('cell-status');
  }

  async run(name: string): Promise<void> {
    await this.cell(name).hover();
    await this.cell(name).getByRole('button', { name: `Run ${name}` }).click();
  }

  /** Waits until no cell is queued or running. */
  async idle(): Promise<void> {
    await this.page.waitForFunction(() => document.querySelectorAll('.nb-cell[data-status="running"], .nb-cell[data-status="queued"]').length === 0);
  }

  /** Sets a slider input to `value` as a user dragging it would (input events). */
  async setSlider(name: string, value: number): Promise<void> {
    await this.cell(name).locator('input[type="range"]').evaluate((el, v) => {
      const input = el as HTMLInputElement;
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      setter.call(input, String(v));
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, value);
  }

  /** Bars of a chart cell (Plot draws one rect per bar). */
  bars(name: string): Locator {
    return this.cell(name).locator('.nb-chart-canvas svg g[aria-label="bar"] rect');
  }
}
