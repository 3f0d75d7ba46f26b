import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { WorkbenchPage } from './workbench';

/** A run to log through the MLflow REST API of `vajra serve`. */
export interface LoggedRun {
  name: string;
  params: Record<string, string>;
  /** metric key → values by step (step = index). */
  metrics: Record<string, number[]>;
  artifacts?: Record<string, string>;
}

/** Logs runs the way an MLflow client does (Bearer token), returns their ids in order. */
export async function logRunsThroughMlflow(request: APIRequestContext, origin: string, token: string, experiment: string, runs: LoggedRun[]): Promise<string[]> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const post = async (path: string, data: unknown) => {
    const response = await request.post(`${origin}/api/2.0/mlflow/${path}`, { headers, data });
    if (!response.ok()) throw new Error(`${path}: ${response.status()} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const { experiment_id: experimentId } = await post('experiments/create', { name: experiment });
  const ids: string[] = [];
  let t = 1_750_000_000_000;
  for (const run of runs) {
    const created = await post('runs/create', { experiment_id: experimentId, run_name: run.name, start_time: (t += 60_000) });
    const runId = (created.run as { info: { run_id: string } }).info.run_id;
    const metrics = Object.entries(run.metrics).flatMap(([key, values]) => values.map((value, step) => ({ key, value, step, timestamp: t + step })));
    await post('runs/log-batch', { run_id: runId, params: Object.entries(run.params).map(([key, value]) => ({ key, value })), metrics });
    for (const [path, body] of Object.entries(run.artifacts ?? {})) {
      const put = await request.put(`${origin}/api/2.0/mlflow-artifacts/artifacts/${runId}/${path}`, { headers: { authorization: `Bearer ${token}` }, data: body });
      if (!put.ok()) throw new Error(`artifact ${path}: ${put.status()}`);
    }
    await post('runs/update', { run_id: runId, status: 'FINISHED', end_time: t + 5_000 });
    ids.push(runId);
  }
  return ids;
}

/** Page object of the runs feature (table, compare, registry, run detail). */
export class RunsPage {
  readonly wb: WorkbenchPage;
  constructor(readonly page: Page) {
    this.wb = new WorkbenchPage(page);
  }

  get table(): Locator {
    return this.page.getByRole('table', { name: 'Runs' });
  }

  get rows(): Locator {
    return this.table.locator('tbody tr[data-run]');
  }

  row(name: string): Locator {
    return this.rows.filter({ has: this.page.getByRole('button', { name, exact: true }) });
  }

  async openTable(): Promise<void> {
    await this.wb.runCommand('Open Runs Table');
    await this.table.waitFor();
  }

  async sortBy(column: string): Promise<void> {
    await this.table.getByRole('button', { name: column, exact: true }).click();
  }

  async runNames(): Promise<string[]> {
    return this.rows.locator('td:nth-child(2) button').allInnerTexts();
  }

  async select(name: string): Promise<void> {
    await this.page.getByRole('checkbox', { name: `Select ${name}` }).check();
  }

  /** Leaves exactly the run `name` selected. */
  async setSelectionTo(name: string): Promise<void> {
    for (const runName of await this.runNames()) await this.page.getByRole('checkbox', { name: `Select ${runName}` }).setChecked(runName === name);
  }

  toolbarButton(name: string): Locator {
    return this.page.getByRole('toolbar', { name: 'Runs' }).getByRole('button', { name, exact: true });
  }

  chart(metric: string): Locator {
    return this.page.locator(`figure[data-metric="${metric}"]`);
  }
}
