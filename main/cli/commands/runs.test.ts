import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Backend } from '../../backend/backend';
import { openRunStore } from '../../backend/runs/run-store';
import { runsResource } from '../../backend/services/runs-service';
import { mlflowRoute } from '../../server/mlflow-route';
import { startServer } from '../../server/server';
import { runCli } from '../main';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vajra-runs-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '', stderr = '';
  const code = await runCli(args, { cwd: dir, env, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

async function workspace(name: string): Promise<string> {
  const root = join(dir, name);
  const store = await openRunStore(root);
  const run = await store.createRun({ experiment: 'churn', name: 'gbdt-a', params: { 'model.depth': 6, 'optim.lr': 0.1 } });
  await store.logMetrics(run.id, [0, 1, 2].map((step) => ({ key: 'loss', value: 1 / (step + 1), step, timestamp: 1_700_000_000_000 + step })));
  await store.addArtifact(run.id, 'plots/roc.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>', 'plot');
  await store.finishRun(run.id, 'finished');
  await store.close();
  await writeFile(join(root, 'vajra.json'), '{"format":1,"name":"t"}\n');
  return root;
}

describe('vajra runs', () => {
  it('runs list --json and runs show RUN print the workspace runs', async () => {
    const root = await workspace('a');
    const list = await cli(['runs', 'list', '--json', '--workspace', root]);
    expect(list.code).toBe(0);
    const [run] = JSON.parse(list.stdout) as { id: string; name: string; metrics: { loss: { last: number; min: number } } }[];
    expect(run).toMatchObject({ name: 'gbdt-a', metrics: { loss: { last: 1 / 3, min: 1 / 3 } } });
    expect((await cli(['runs', 'list', '--workspace', root])).stdout).toMatch(/gbdt-a\s+churn\s+finished/);
    const show = await cli(['runs', 'show', 'gbdt-a', '--workspace', root]);
    expect(show.stdout).toContain('model.depth = 6');
    expect(show.stdout).toContain('plots/roc.svg');
    expect(JSON.parse((await cli(['runs', 'show', run!.id.slice(0, 12), '--json', '--workspace', root])).stdout).record.id).toBe(run!.id);
    expect((await cli(['runs', 'show', 'nope', '--workspace', root])).code).toBe(2);
  });

  it('runs export-mlflow DIR then import-mlflow DIR into another workspace keeps params, metrics and artifacts', async () => {
    const root = await workspace('a');
    const exported = await cli(['runs', 'export-mlflow', join(dir, 'mlruns'), '--workspace', root]);
    expect(exported.code).toBe(0);
    const other = join(dir, 'b');
    await workspace('b');
    const imported = await cli(['runs', 'import-mlflow', join(dir, 'mlruns'), '--workspace', other]);
    expect(imported.stdout).toMatch(/Imported 1 run/);
    const [original] = JSON.parse((await cli(['runs', 'list', '--json', '--workspace', root])).stdout) as { id: string }[];
    const store = await openRunStore(other);
    expect(store.listRuns()).toHaveLength(2);
    const copy = store.getSummary(original!.id as never)!;
    expect(copy.params).toEqual({ 'model.depth': 6, 'optim.lr': 0.1 });
    expect((await store.readMetrics(copy.id)).map((p) => p.value)).toEqual([1, 0.5, 1 / 3]);
    expect((await store.readArtifact(copy.id, 'plots/roc.svg')).toString()).toContain('<svg');
    await store.close();
    const again = await cli(['runs', 'import-mlflow', join(dir, 'mlruns'), '--workspace', other]);
    expect(again.stderr).toMatch(/already in this workspace/);
  });

  it('runs push-mlflow URL logs the run into an MLflow tracking server (here: vajra serve) with the bearer token', async () => {
    const root = await workspace('a');
    const target = join(dir, 'server-ws');
    const backend = new Backend({ version: 't', shape: 'browser', configDir: join(dir, 'cfg'), examplesDir: dir, userWorkspacesDir: dir });
    await workspace('server-ws');
    await backend.openWorkspace(target);
    const server = await startServer({ host: '127.0.0.1', port: 0, rendererDir: dir, routes: [mlflowRoute(() => runsResource(backend))], onConnection: () => () => undefined });
    try {
      const url = `http://127.0.0.1:${server.port}`;
      expect((await cli(['runs', 'push-mlflow', url, '--workspace', root])).code).toBe(1);
      const pushed = await cli(['runs', 'push-mlflow', url, '--experiment', 'pushed', '--workspace', root], { MLFLOW_TRACKING_TOKEN: server.token });
      expect(pushed.code).toBe(0);
      const runs = (await runsResource(backend)).store.listRuns().filter((r) => r.experiment === 'pushed');
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ name: 'gbdt-a', status: 'finished', params: { 'model.depth': '6' } });
      expect(runs[0]!.metrics.loss!.min).toBeCloseTo(1 / 3);
    } finally {
      await server.close();
      await backend.dispose();
    }
  });

  it('runs rerun of a run without a pipeline snapshot cannot run (exit 3); a bad action is a usage error', async () => {
    const root = await workspace('a');
    const rerun = await cli(['runs', 'rerun', 'gbdt-a', '--workspace', root]);
    expect(rerun.code).toBe(3);
    expect(rerun.stderr).toMatch(/no pipeline snapshot/);
    expect((await cli(['runs', 'frobnicate'])).code).toBe(2);
    expect((await cli(['runs', 'list', '--workspace', join(dir, 'nowhere')])).code).toBe(3);
    expect(await readFile(join(root, 'vajra.json'), 'utf8')).toContain('format');
  });
});
