import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, restart, snap, stop, test } from './fixtures';
import { WorkbenchPage } from './pages/workbench';

test('the shell opens on the example workspace and lists its files', async ({ app }) => {
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await expect(wb.page.locator('.sidebar-title')).toHaveText(/Tabular/);
  await expect(wb.treeItem('data/adult.csv')).toBeVisible();
  await expect(wb.treeItem('census.notebook.md')).toBeVisible();
  await wb.tab('Welcome').click();
  await expect(wb.page.getByRole('list', { name: 'Examples' })).toContainText('Time series');
  await snap(app, 'shell-welcome');
});

test('the command palette lists commands with shortcuts and runs one', async ({ app }) => {
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await app.keyboard.press('Control+Shift+P');
  const palette = app.getByRole('dialog', { name: 'Command palette' });
  await expect(palette).toBeVisible();
  await expect(palette.getByRole('option', { name: /Show All Commands/ }).first()).toContainText('Ctrl+Shift+P');
  await snap(app, 'shell-palette');
  await app.keyboard.press('Escape');
  await wb.runCommand('Dark Theme');
  await expect.poll(() => wb.theme()).toBe('dark');
  await wb.runCommand('Toggle Sidebar');
  await expect(wb.sidebar).toBeHidden();
  await app.keyboard.press('Control+B');
  await expect(wb.sidebar).toBeVisible();
});

test('the theme switches between light and dark and is remembered', async ({ app }) => {
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  const start = await wb.theme();
  await app.locator('[data-status="theme"]').click();
  const flipped = start === 'dark' ? 'light' : 'dark';
  await expect.poll(() => wb.theme()).toBe(flipped);
  await snap(app, `shell-theme-${flipped}`);
  await app.reload();
  await wb.waitReady();
  expect(await wb.theme()).toBe(flipped);
});

test('opening a file shows it in a tab; files added on disk appear without a restart', async ({ app, served }) => {
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await wb.openFile('ATTRIBUTION.md');
  await expect(wb.tab('ATTRIBUTION.md')).toHaveAttribute('aria-selected', 'true');
  await expect(app.locator('.text-view')).toContainText('UCI Adult');
  await writeFile(join(served.workspace, 'notes-from-elsewhere.md'), '# written by another program\n');
  await expect(wb.treeItem('notes-from-elsewhere.md')).toBeVisible();
  await snap(app, 'shell-file-open');
});

test('a new workspace is created from the welcome page and gets a vajra.json manifest', async ({ app, served }) => {
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await wb.tab('Welcome').click();
  await app.getByRole('button', { name: 'Open a folder…' }).click();
  const target = join(served.workspace, '..', 'fresh-workspace');
  await app.getByRole('textbox', { name: 'Folder path' }).fill(target);
  await app.getByRole('button', { name: 'Create' }).click();
  await expect(app.locator('.sidebar-title')).toHaveText('fresh-workspace');
  await expect(wb.treeItem('vajra.json')).toBeVisible();
  const manifest = JSON.parse(await readFile(join(target, 'vajra.json'), 'utf8'));
  expect(manifest).toEqual({ format: 1, name: 'fresh-workspace' });
});

test('an open page reconnects by itself when the server is killed and started again', async ({ app, served }) => {
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  served.process.kill('SIGKILL');
  const status = app.locator('[data-status="connection"]');
  await expect(status).toContainText('Disconnected');
  await snap(app, 'shell-disconnected');
  // Same port and config folder: the token is kept, so the page's cookie still opens the socket.
  const again = await restart(served, { samePort: true });
  try {
    expect(again.token).toBe(served.token);
    await expect(status).toHaveText(/Connected/, { timeout: 30_000 });
    await wb.openFile('census.notebook.md');
    await expect(wb.tab('census.notebook.md')).toBeVisible();
  } finally {
    await stop(again).catch(() => undefined);
  }
});
