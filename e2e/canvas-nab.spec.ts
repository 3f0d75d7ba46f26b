import { expect, snap, test } from './fixtures';
import { CanvasPage } from './pages/canvas';
import { WorkbenchPage } from './pages/workbench';

test.use({ example: 'timeseries' });

test('the NAB example pipeline: lag/rolling → isolation forest → Evaluate scored with NAB against a label set picked in the form', async ({ app }) => {
  test.setTimeout(120_000);
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await wb.openFile('machine-temperature-anomalies.pipeline.json');
  const c = new CanvasPage(app);
  await expect(c.node('evaluate')).toBeVisible();
  await c.select('evaluate');
  const labelSet = c.field('Label set (NAB scoring)');
  await expect(labelSet).toHaveValue('machine_temperature_windows');
  await expect(labelSet.locator('option')).toContainText(['(none: no NAB scoring)', 'machine_temperature_windows']);
  await app.getByRole('button', { name: '▶ Run all' }).click();
  await expect(c.card('evaluate')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  await expect(c.output).toContainText('nab score');
  await expect(c.output).toContainText('machine_temperature_windows');
  await snap(app, 'canvas-nab-evaluate');
});
