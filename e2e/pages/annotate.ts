import { expect, type Locator, type Page } from '@playwright/test';
import { WorkbenchPage } from './workbench';

/** Page object of the time-series annotator (renderer/features/annotate). */
export class AnnotatePage {
  readonly wb: WorkbenchPage;

  constructor(readonly page: Page) {
    this.wb = new WorkbenchPage(page);
  }

  get canvas(): Locator {
    return this.page.getByTestId('series-canvas');
  }

  get saveState(): Locator {
    return this.page.getByTestId('save-state');
  }

  /** "Annotate: Open Series…" from the palette, then the data file. */
  async openSeries(file: string): Promise<void> {
    await this.wb.runCommand('Open Series');
    const dialog = this.page.getByRole('dialog', { name: 'Open series to annotate' });
    await dialog.getByRole('button', { name: file }).click();
    await this.waitDrawn();
  }

  /** Waits until the canvas shows a fetched window. */
  async waitDrawn(timeout?: number): Promise<void> {
    await expect(this.canvas).toHaveAttribute('data-buckets', /^[1-9]/, timeout ? { timeout } : {});
  }

  async windowFrom(): Promise<number> {
    return Number(await this.canvas.getAttribute('data-window-from'));
  }

  /** Client coordinates of a fraction (0..1) across the plot area, at mid height. */
  async at(fraction: number): Promise<{ x: number; y: number }> {
    const box = (await this.canvas.boundingBox())!;
    const left = 58;
    const width = box.width - left - 10;
    return { x: box.x + left + width * fraction, y: box.y + box.height / 2 };
  }

  /** Drags a range from one fraction of the plot to another with the mouse. */
  async dragRange(from: number, to: number): Promise<void> {
    const a = await this.at(from);
    const b = await this.at(to);
    await this.page.mouse.move(a.x, a.y);
    await this.page.mouse.down();
    await this.page.mouse.move((a.x + b.x) / 2, a.y, { steps: 4 });
    await this.page.mouse.move(b.x, b.y, { steps: 4 });
    await this.page.mouse.up();
  }

  /** Picks a detector in the Suggestions panel (by its option text, e.g. "isolation forest") and runs it. */
  async suggestWith(detector: string): Promise<void> {
    await this.page.getByRole('combobox', { name: 'Suggestion detector' }).selectOption({ label: detector });
    await this.page.getByRole('button', { name: `Suggest anomalies (${detector})` }).click();
  }

  async labelCount(): Promise<number> {
    return Number(await this.saveState.getAttribute('data-labels'));
  }

  async suggestionCount(): Promise<number> {
    return Number(await this.saveState.getAttribute('data-suggestions'));
  }

  async ackedSeq(): Promise<number> {
    return Number(await this.saveState.getAttribute('data-acked-seq'));
  }

  async waitSaved(): Promise<void> {
    await expect(this.saveState).toHaveText('All edits saved');
  }
}
