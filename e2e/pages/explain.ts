import type { Locator, Page } from '@playwright/test';

/** Page object of the Explain node's panel in the canvas output. */
export class ExplainPage {
  constructor(readonly page: Page) {}

  get panel(): Locator {
    return this.page.getByTestId('explain-panel');
  }

  get beeswarm(): Locator {
    return this.panel.getByTestId('ex-beeswarm');
  }

  get waterfall(): Locator {
    return this.panel.getByTestId('ex-waterfall');
  }

  get prediction(): Locator {
    return this.panel.getByTestId('ex-prediction').locator('strong');
  }

  get row(): Locator {
    return this.panel.getByLabel('Test row');
  }

  /** The what-if input of a raw column. */
  value(column: string): Locator {
    return this.panel.getByRole('form', { name: 'What-if values' }).getByLabel(column, { exact: true });
  }

  /** The waterfall's bar labels (e.g. "+0.412"), in order. */
  async waterfallLabels(): Promise<string[]> {
    return this.waterfall.locator('svg g[aria-label="text"] text').allTextContents();
  }
}
