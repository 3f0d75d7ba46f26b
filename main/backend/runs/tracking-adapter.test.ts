import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { handleMlflowRequest } from '../../../app/tracking/mlflow-rest';
import { exportToMlflow, importFromMlflow } from '../../../app/tracking/mlflow-file';
import { openRunStore } from './run-store';
import { createDiskTrackingStore } from './tracking-adapter';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('createDiskTrackingStore(runStore)', () => {
  it('serves the MLflow REST API from the workspace store, and what it logged survives a reopen', async () => {
    const ws = await mkdtemp(join(tmpdir(), 'vajra-rest-'));
    dirs.push(ws);
    const store = await openRunStore(ws);
    const local = await store.createRun({ experiment: 'made-in-vajra', params: { lr: 0.1 } });
    const tracking = await createDiskTrackingStore(store);
    const call = async (endpoint: string, body: Record<string, unknown>) => (await handleMlflowRequest({ method: 'POST', path: `/api/2.0/mlflow/${endpoint}`, body }, tracking)).body as Record<string, unknown>;
    const { experiment_id } = await call('experiments/create', { name: 'remote' });
    const run = await call('runs/create', { experiment_id, run_name: 'from-python', start_time: 1000 });
    const runId = (run.run as { info: { run_id: string } }).info.run_id;
    await call('runs/log-batch', { run_id: runId, metrics: [{ key: 'loss', value: 0.3, timestamp: 1001, step: 0 }, { key: 'loss', value: 0.2, timestamp: 1002, step: 1 }], params: [{ key: 'depth', value: '4' }] });
    await call('runs/update', { run_id: runId, status: 'FINISHED', end_time: 2000 });
    // A Vajra param re-logged over REST as text is the same value, not a change.
    expect(await call('runs/log-parameter', { run_id: local.id, key: 'lr', value: '0.1' })).toEqual({});
    await store.close();

    const reopened = await openRunStore(ws);
    const summary = reopened.getSummary(runId as never)!;
    expect(summary).toMatchObject({ experiment: 'remote', name: 'from-python', status: 'finished', params: { depth: '4' }, endTime: 2000 });
    expect(summary.metrics.loss).toMatchObject({ last: 0.2, count: 2 });
    const again = await createDiskTrackingStore(reopened);
    const names = (await again.listExperiments()).map((e) => [e.id, e.name]);
    expect(names).toEqual([['0', 'Default'], ['1', 'made-in-vajra'], ['2', 'remote']]);
    const found = (await handleMlflowRequest({ method: 'POST', path: '/api/2.0/mlflow/runs/search', body: { experiment_ids: ['1', '2'], filter: 'metrics.loss < 0.25' } }, again)).body as { runs: { info: { run_id: string } }[] };
    expect(found.runs.map((r) => r.info.run_id)).toEqual([runId]);
  });

  it('a run exported to the MLflow layout and imported into another workspace is the same run', async () => {
    const [a, b] = [await mkdtemp(join(tmpdir(), 'vajra-a-')), await mkdtemp(join(tmpdir(), 'vajra-b-'))];
    dirs.push(a, b);
    const source = await openRunStore(a);
    const run = await source.createRun({ experiment: 'exp', params: { lr: 0.05, deep: true }, repro: { seed: 3 } });
    await source.logMetrics(run.id, [{ key: 'acc', value: 0.75, step: 0, timestamp: 5 }]);
    await source.addArtifact(run.id, 'plots/roc.svg', '<svg/>', 'plot');
    await source.finishRun(run.id, 'finished');
    const files = exportToMlflow([await source.getBundle(run.id, true)], { rootUri: 'file:///x/mlruns' });
    const target = await openRunStore(b);
    const [bundle] = importFromMlflow(files).bundles;
    await target.importRun(bundle!);
    expect(await target.getRun(run.id)).toEqual(await source.getRun(run.id));
    expect(await target.readMetrics(run.id)).toEqual(await source.readMetrics(run.id));
    expect((await target.readArtifact(run.id, 'plots/roc.svg')).toString()).toBe('<svg/>');
  });
});
