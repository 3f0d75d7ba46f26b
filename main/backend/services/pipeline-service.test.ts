import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeIpc } from '../../../app/data/ipc';
import { Backend } from '../backend';
import { FAST_ADULT, TABULAR_EXAMPLE } from '../pipeline/pipeline.testkit';
import { pipelineHandlers } from './pipeline-service';
import { runsResource } from './runs-service';

let dir: string;
let backend: Backend;
const context = { signal: new AbortController().signal, progress: () => undefined };
const path = 'adult-income.pipeline.json';
const events: { name: string; payload: unknown }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vajra-pipeline-service-'));
  backend = new Backend({ version: 'test', shape: 'browser', configDir: join(dir, 'config'), examplesDir: join(dir, 'examples'), userWorkspacesDir: join(dir, 'home') });
  await cp(TABULAR_EXAMPLE, join(dir, 'ws'), { recursive: true });
  await backend.openWorkspace(join(dir, 'ws'));
  backend.events.subscribe((name, payload) => events.push({ name, payload }));
});
afterAll(async () => {
  await backend.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('pipelineHandlers(backend)', () => {
  it('pipeline.run re-runs only what changed, streams node events and serves node outputs', async () => {
    const h = pipelineHandlers(backend);
    const first = await h['pipeline.run']({ path, target: { mode: 'upTo', nodeId: 'scale' }, set: FAST_ADULT }, context);
    expect(first.runId).toBeNull();
    expect(first.executed).toEqual(['source', 'split', 'impute', 'onehot', 'scale']);
    const states = events.filter((e) => e.name === 'pipeline.nodeStatus').map((e) => (e.payload as { status: { nodeId: string; state: string } }).status);
    expect(states.filter((s) => s.nodeId === 'split').map((s) => s.state)).toEqual(['queued', 'running', 'done']);

    const split = await h['pipeline.output']({ path, nodeId: 'split', port: 'test', limit: 50 }, context);
    if (split.kind !== 'table') throw new Error(split.kind);
    expect(split.rows).toBe(1200);
    expect(decodeIpc(split.ipc).numRows).toBe(50);

    const all = await h['pipeline.run']({ path, target: { mode: 'all' }, set: FAST_ADULT }, context);
    expect(all.executed).toEqual(['gbdt', 'evaluate']);
    expect(all.statuses.find((s) => s.nodeId === 'scale')!.state).toBe('cached');
    expect(all.metrics['accuracy']).toBeGreaterThan(0.8);
    expect(all.runId).not.toBeNull();
    expect((await runsResource(backend)).store.getSummary(all.runId! as never)?.status).toBe('finished');
    const progress = events.filter((e) => e.name === 'pipeline.nodeProgress' && (e.payload as { nodeId: string }).nodeId === 'gbdt');
    expect(progress.length).toBeGreaterThan(0);

    const changed = await h['pipeline.run']({ path, target: { mode: 'all' }, set: { ...FAST_ADULT, 'scale.method': 'minmax' } }, context);
    expect(changed.executed).toEqual(['scale', 'gbdt', 'evaluate']);

    const model = await h['pipeline.output']({ path, nodeId: 'gbdt', limit: 0 }, context);
    if (model.kind !== 'model') throw new Error(model.kind);
    expect(model.summary.task).toBe('classification');
    expect(model.history.length).toBe(16);
    const metrics = await h['pipeline.output']({ path, nodeId: 'evaluate', port: 'metrics', limit: 0 }, context);
    if (metrics.kind !== 'metrics') throw new Error(metrics.kind);
    expect(metrics.evaluation['roc']).toBeDefined();
  });

  it('pipeline.cancel stops training at once; the run is kept as killed', async () => {
    const h = pipelineHandlers(backend);
    const running = h['pipeline.run']({ path, target: { mode: 'all' }, set: { ...FAST_ADULT, 'gbdt.maxIter': 2000, 'gbdt.earlyStopping': false } }, context);
    await new Promise<void>((resolve) => {
      const stop = backend.events.subscribe((name, payload) => {
        if (name === 'pipeline.nodeProgress' && (payload as { nodeId: string; done: number }).done >= 2) { stop(); resolve(); }
      });
    });
    const started = Date.now();
    expect((await h['pipeline.cancel']({ path }, context)).cancelled).toBe(true);
    const result = await running;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.cancelled).toBe(true);
    expect(result.statuses.find((s) => s.nodeId === 'gbdt')!.state).toBe('cancelled');
    expect(result.statuses.find((s) => s.nodeId === 'evaluate')!.state).toBe('cancelled');
    expect((await runsResource(backend)).store.getSummary(result.runId! as never)?.status).toBe('killed');
    expect((await h['pipeline.status']({ path }, context)).running).toBe(false);
  });
});
