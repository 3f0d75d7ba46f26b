import type { Locator, Page } from '@playwright/test';

/** Page object of the text annotation panel (a text label set opened from `labels/<name>`). */
export class TextAnnotatePage {
  constructor(readonly page: Page) {}

  get root(): Locator {
    return this.page.getByTestId('text-annotator');
  }

  get doc(): Locator {
    return this.root.locator('article.ta-doc');
  }

  get queue(): Locator {
    return this.root.getByRole('navigation', { name: 'Queue' });
  }

  get modelStatus(): Locator {
    return this.root.getByTestId('model-status');
  }

  get lfTable(): Locator {
    return this.root.getByTestId('lf-table');
  }

  lfRow(name: string): Locator {
    return this.lfTable.locator(`tr[data-lf="${name}"]`);
  }

  async ready(): Promise<void> {
    await this.doc.waitFor();
    await this.root.focus();
  }

  /** Row numbers of the first `n` queue entries, in order. */
  async queueRows(n = 10): Promise<number[]> {
    const rows = await this.queue.locator('li').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-row'))));
    return rows.slice(0, n);
  }

  /** The gold class shown under the document (the example has a gold column). */
  async gold(): Promise<string> {
    const text = await this.doc.getByText(/^gold: /).textContent();
    return (text ?? '').replace('gold: ', '').trim();
  }

  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  async addLf(kind: 'keyword' | 'regex' | 'sql' | 'js', name: string, body: string, label?: string): Promise<void> {
    await this.root.getByLabel('LF kind').selectOption(kind);
    await this.root.getByLabel('LF name').fill(name);
    await this.root.getByLabel('LF body').fill(body);
    if (label) await this.root.getByLabel('LF label').selectOption(label);
    await this.root.getByRole('button', { name: 'Add LF' }).click();
  }
}
