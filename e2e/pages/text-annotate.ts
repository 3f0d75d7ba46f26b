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

  /** The toolbar note of the last saved version ("saved <id> · edited since" / "no saved version"). */
  get savedVersion(): Locator {
    return this.root.getByTestId('saved-version');
  }

  /** The full content id of the last saved version (the note's tooltip). */
  async savedVersionId(): Promise<string> {
    return (await this.savedVersion.getAttribute('title')) ?? '';
  }

  /** The agreement line shown after "Compare with…". */
  get agreement(): Locator {
    return this.root.getByTestId('agreement');
  }

  /** Opens "Compare with…" and picks `other`. */
  async compareWith(other: string): Promise<void> {
    await this.root.getByRole('button', { name: 'Compare with…' }).click();
    await this.root.getByLabel('Compare with set').selectOption(other);
  }

  /** Selects characters [from, to) of the document's first text segment, as a mouse drag would. */
  async selectInFirstSegment(from: number, to: number): Promise<void> {
    await this.root.getByTestId('doc-text').evaluate((host, [a, b]) => {
      const seg = host.querySelector('[data-start="0"]')!.firstChild!;
      const range = document.createRange();
      range.setStart(seg, a!);
      range.setEnd(seg, b!);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
    }, [from, to]);
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
