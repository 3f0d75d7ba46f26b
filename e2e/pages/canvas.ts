import type { Locator, Page } from '@playwright/test';

/** Page object of an open pipeline canvas. */
export class CanvasPage {
  constructor(readonly page: Page) {}

  get root(): Locator {
    return this.page.locator('.pc-root');
  }

  get canvas(): Locator {
    return this.page.getByTestId('pipeline-canvas');
  }

  get inspector(): Locator {
    return this.page.getByRole('complementary', { name: 'Node settings' });
  }

  get output(): Locator {
    return this.root.locator('.pc-output');
  }

  get progress(): Locator {
    return this.page.getByRole('progressbar', { name: 'Run progress' });
  }

  paletteItem(label: string): Locator {
    return this.page.getByRole('complementary', { name: 'Node palette' }).getByRole('button', { name: label, exact: true });
  }

  node(id: string): Locator {
    return this.canvas.locator(`.react-flow__node[data-id="${id}"]`);
  }

  /** The node's card: `data-status` holds its state in the last run, class `has-problem` marks issues. */
  card(id: string): Locator {
    return this.node(id).locator('.pc-node');
  }

  handle(nodeId: string, side: 'source' | 'target', port: string): Locator {
    return this.node(nodeId).locator(`.react-flow__handle.${side}[data-handleid="${port}"]`);
  }

  /** Drags a palette entry onto the canvas at (x, y) relative to the canvas's top-left corner. */
  async dropNode(label: string, x: number, y: number): Promise<void> {
    await this.paletteItem(label).dragTo(this.canvas, { targetPosition: { x, y } });
  }

  /** Adds a node by clicking its palette entry: placed after the selected node and wired to it. */
  async addAfterSelected(label: string): Promise<void> {
    await this.paletteItem(label).click();
  }

  /** Connects two ports by dragging from the output handle to the input handle with the mouse. */
  async connect(from: [string, string], to: [string, string]): Promise<void> {
    const a = await this.handle(from[0], 'source', from[1]).boundingBox();
    const b = await this.handle(to[0], 'target', to[1]).boundingBox();
    if (!a || !b) throw new Error(`handles ${from.join('.')} or ${to.join('.')} not on screen`);
    await this.page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 20, { steps: 8 });
    await this.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
    await this.page.mouse.up();
  }

  async select(id: string): Promise<void> {
    await this.node(id).locator('.pc-node-title').click();
  }

  /** A settings control by its label in the inspector. */
  field(label: string): Locator {
    return this.inspector.getByLabel(label, { exact: true });
  }

  /** The quick-pick buttons and checkboxes of a columns field. */
  columns(key: string): Locator {
    return this.inspector.locator(`.pc-field[data-field="${key}"]`);
  }

  async fitView(): Promise<void> {
    await this.canvas.locator('.react-flow__controls-fitview').click();
  }
}
