import type { FrameLocator, Locator, Page } from '@playwright/test';
import { WorkbenchPage } from './workbench';

/** Page object of the expectations view (renderer/features/validate). */
export class ValidatePage {
  readonly wb: WorkbenchPage;
  constructor(readonly page: Page) {
    this.wb = new WorkbenchPage(page);
  }

  get view(): Locator {
    return this.page.getByLabel(/^Expectation suite /);
  }

  get expectations(): Locator {
    return this.view.getByRole('list', { name: 'Expectations' }).getByRole('listitem');
  }

  get suggestions(): Locator {
    return this.view.getByRole('region', { name: 'Suggested expectations' });
  }

  get result(): Locator {
    return this.view.getByLabel('Validation result');
  }

  report(title: 'Validation report' | 'Drift report'): FrameLocator {
    return this.view.frameLocator(`iframe[title="${title}"]`);
  }

  async setTable(name: string): Promise<void> {
    await this.view.getByRole('combobox', { name: 'Table' }).fill(name);
  }

  async setReference(name: string): Promise<void> {
    await this.view.getByRole('combobox', { name: 'Reference' }).fill(name);
  }

  button(name: string | RegExp): Locator {
    return this.view.getByRole('button', { name });
  }
}
