import type { Locator, Page } from '@playwright/test';

/** The export/re-run outcome panels of the runs feature. */
export class ExportPanel {
  constructor(readonly page: Page) {}

  get result(): Locator {
    return this.page.getByRole('status', { name: 'Export result' });
  }

  get rerun(): Locator {
    return this.page.getByRole('status', { name: 'Re-run result' });
  }

  get copyCurl(): Locator {
    return this.result.getByRole('button', { name: 'Copy curl command' });
  }

  /** The bundle folder shown in the success message (workspace-relative). */
  async dir(): Promise<string> {
    return (await this.result.getByTestId('export-dir').innerText()).trim();
  }
}
