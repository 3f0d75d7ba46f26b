import type { Locator, Page } from '@playwright/test';

/** Page object of the workbench shell. */
export class WorkbenchPage {
  constructor(readonly page: Page) {}

  get sidebar(): Locator {
    return this.page.getByRole('navigation', { name: 'Workspace' });
  }

  get tree(): Locator {
    return this.page.getByRole('tree', { name: 'Workspace files' });
  }

  treeItem(path: string): Locator {
    return this.tree.locator(`[data-path="${path}"]`);
  }

  get statusBar(): Locator {
    return this.page.getByRole('status').filter({ has: this.page.locator('[data-status="connection"]') });
  }

  tab(title: string): Locator {
    return this.page.getByRole('tab', { name: title });
  }

  async waitReady(): Promise<void> {
    await this.page.locator('[data-status="connection"]', { hasText: 'Connected' }).waitFor();
    await this.tree.waitFor();
  }

  async openFile(path: string): Promise<void> {
    await this.treeItem(path).click();
  }

  /** Opens the palette with its shortcut and runs the command titled `title`. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('Control+Shift+P');
    const input = this.page.getByRole('textbox', { name: 'Command' });
    await input.fill(title);
    await this.page.getByRole('option', { name: new RegExp(title) }).first().waitFor();
    await input.press('Enter');
  }

  async theme(): Promise<string | null> {
    return this.page.evaluate(() => document.documentElement.dataset.theme ?? null);
  }
}
