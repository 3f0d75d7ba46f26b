import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { expect, restart, snap, test, type Served } from './fixtures';
import { ExportPanel } from './pages/export';
import { RunsPage } from './pages/runs';

const root = resolve(import.meta.dirname, '..');
/** The adult example on its first 6,000 rows with 15 boosting rounds (a few seconds). */
const FAST = ['--set', 'source.from=sql', '--set', 'source.sql=SELECT * FROM adult LIMIT 6000', '--set', 'gbdt.maxIter=15'];

/** Trains the example pipeline with `vajra train` and returns the run's id and name. */
function trainExample(workspace: string): { id: string; name: string } {
  const vajra = (args: string[]) => spawnSync(process.execPath, [join(root, 'bin/vajra.js'), ...args], { cwd: workspace, encoding: 'utf8', timeout: 120_000 });
  const train = vajra(['train', 'adult-income.pipeline.json', ...FAST, '--json']);
  if (train.status !== 0) throw new Error(`vajra train failed (${train.status}): ${train.stderr}`);
  const { runId } = JSON.parse(train.stdout) as { runId: string };
  const show = vajra(['runs', 'show', runId, '--json']);
  return { id: runId, name: (JSON.parse(show.stdout) as { record: { name: string } }).record.name };
}

// The run is trained before the page opens, with the first backend stopped, and the backend is
// then started again on the workspace so it opens with the run in its index.
let trained: { id: string; name: string } | undefined;
const it = test.extend<{ run: { id: string; name: string } }>({
  served: async ({ served }, use) => {
    served.process.kill('SIGKILL');
    await new Promise((r) => (served.process.exitCode !== null || served.process.signalCode !== null ? r(null) : served.process.once('exit', r)));
    trained = trainExample(served.workspace);
    const again: Served = await restart(served);
    await use(again);
    again.process.kill('SIGTERM');
    await new Promise((r) => (again.process.exitCode !== null || again.process.signalCode !== null ? r(null) : again.process.once('exit', r)));
  },
  run: async ({ served }, use) => {
    if (!trained || !existsSync(join(served.workspace, 'runs', trained.id))) throw new Error('the example run was not trained');
    await use(trained);
  },
});

it.describe.configure({ timeout: 180_000 });

it('Export in the runs table writes the bundle to exports/ with a success message and a copy-curl button', async ({ app, served, run, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.origin });
  const page = new RunsPage(app);
  const panel = new ExportPanel(app);
  await page.wb.waitReady();
  await page.openTable();
  await expect(page.rows).toHaveCount(1);
  const exportButton = page.toolbarButton('Export');
  await expect(exportButton).toBeDisabled();
  await page.setSelectionTo(run.name);
  await expect(exportButton).toBeEnabled();
  await exportButton.click();
  await expect(panel.result).toContainText('Bundle exported');
  await expect(panel.copyCurl).toBeVisible();
  const dir = await panel.dir();
  expect(dir).toMatch(/^exports\//);
  const manifest = JSON.parse(await readFile(join(served.workspace, dir, 'manifest.json'), 'utf8')) as { runId?: string; run_id?: string; files?: unknown };
  expect(JSON.stringify(manifest)).toContain(run.id);
  for (const file of ['model.onnx', 'MLmodel', 'server/index.js', 'Dockerfile', 'README.md']) expect(existsSync(join(served.workspace, dir, file))).toBe(true);
  await panel.copyCurl.click();
  await expect(panel.result.getByText('Copied.').or(panel.result.getByRole('textbox', { name: 'curl command' }))).toBeVisible();
  const copied = await app.evaluate(() => navigator.clipboard.readText().catch(() => ''));
  if (copied) expect(copied).toMatch(/^curl -s http:\/\/127\.0\.0\.1:8080\/invocations .*dataframe_split/);
  await snap(app, 'export-runs-table-light');
  const verify = spawnSync(process.execPath, [join(root, 'bin/vajra.js'), 'verify', join(served.workspace, dir)], { encoding: 'utf8', timeout: 60_000 });
  expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  await page.wb.runCommand('Dark Theme');
  await expect.poll(() => page.wb.theme()).toBe('dark');
  await snap(app, 'export-runs-table-dark');
  await page.wb.runCommand('Light Theme');

  // The run view offers Export and Re-run; re-running reproduces the model bytes and metrics.
  await page.row(run.name).getByRole('button', { name: run.name, exact: true }).click();
  const actions = app.getByRole('toolbar', { name: 'Run actions' });
  await actions.getByRole('button', { name: 'Re-run', exact: true }).click();
  await expect(panel.rerun).toContainText('Re-run reproduced the run exactly', { timeout: 90_000 });
  await expect(panel.rerun).toContainText('identical bytes');
  await snap(app, 'export-run-rerun-light');
});
