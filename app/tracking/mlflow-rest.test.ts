import { describe, expect, it } from 'vitest';
import { fixedClock } from '../base/clock';
import { createRng } from '../base/rng';
import { chunkLogBatch, pushRunToMlflow, type FetchFn } from './mlflow-client';
import { handleMlflowRequest, type MlflowResponse } from './mlflow-rest';
import { runRecordSchema, type MetricPoint } from './run-model';
import { createMemoryTrackingStore, type TrackingStore } from './tracking-store';

const newStore = () => createMemoryTrackingStore(fixedClock(1_700_000_000_000, 1), createRng(1));
const post = (store: TrackingStore, endpoint: string, body: unknown) => handleMlflowRequest({ method: 'POST', path: `/api/2.0/mlflow/${endpoint}`, body }, store);
const get = (store: TrackingStore, endpoint: string, query: Record<string, string>) => handleMlflowRequest({ method: 'GET', path: `/api/2.0/mlflow/${endpoint}`, query }, store);
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const body = (r: MlflowResponse) => r.body as Json;

/** A fetch that answers from the real handlers in process (no network, same request/response). */
function inProcessFetch(store: TrackingStore, log: { path: string; body: Json }[]): FetchFn {
  return async (url, init) => {
    const u = new URL(url);
    const parsed = init.body ? (JSON.parse(init.body) as Json) : undefined;
    log.push({ path: u.pathname, body: parsed ?? {} });
    const res = await handleMlflowRequest({ method: init.method, path: u.pathname, query: Object.fromEntries(u.searchParams), body: parsed }, store);
    return { ok: res.status < 400, status: res.status, text: async () => JSON.stringify(res.body) };
  };
}

describe('MLflow REST handlers', () => {
  it('experiments/create then get, get-by-name and search; a duplicate name is RESOURCE_ALREADY_EXISTS 400', async () => {
    const store = newStore();
    const created = await post(store, 'experiments/create', { name: 'churn', tags: [{ key: 'team', value: 'a' }] });
    expect(created.status).toBe(200);
    const id = body(created).experiment_id;
    expect(body(await get(store, 'experiments/get', { experiment_id: id })).experiment).toMatchObject({ name: 'churn', lifecycle_stage: 'active', tags: [{ key: 'team', value: 'a' }] });
    expect(body(await get(store, 'experiments/get-by-name', { experiment_name: 'churn' })).experiment.experiment_id).toBe(id);
    expect(await post(store, 'experiments/create', { name: 'churn' })).toMatchObject({ status: 400, body: { error_code: 'RESOURCE_ALREADY_EXISTS' } });
    expect(await get(store, 'experiments/get-by-name', { experiment_name: 'nope' })).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    expect(body(await post(store, 'experiments/search', { filter: "name LIKE 'ch%'" })).experiments.map((e: Json) => e.name)).toEqual(['churn']);
  });

  it('runs/create, log-metric, log-parameter, set-tag, log-batch, update, get round-trip a run', async () => {
    const store = newStore();
    const run = body(await post(store, 'runs/create', { experiment_id: '0', run_name: 'r1', start_time: '1700000000123', user_id: 'ana', tags: [{ key: 'k', value: 'v' }] })).run;
    expect(run.info).toMatchObject({ run_name: 'r1', status: 'RUNNING', start_time: 1700000000123, experiment_id: '0', user_id: 'ana' });
    const run_id = run.info.run_id;
    expect((await post(store, 'runs/log-metric', { run_id, key: 'loss', value: 0.5, timestamp: 10, step: 1 })).status).toBe(200);
    expect((await post(store, 'runs/log-metric', { run_id, key: 'loss', value: 'NaN', timestamp: 11, step: 2 })).status).toBe(200);
    expect((await post(store, 'runs/log-parameter', { run_id, key: 'lr', value: '0.1' })).status).toBe(200);
    expect(await post(store, 'runs/log-parameter', { run_id, key: 'lr', value: '0.2' })).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect((await post(store, 'runs/set-tag', { run_id, key: 'mlflow.runName', value: 'renamed' })).status).toBe(200);
    expect((await post(store, 'runs/log-batch', { run_id, metrics: [{ key: 'acc', value: 0.9, timestamp: 12, step: 0 }], params: [{ key: 'depth', value: '6' }], tags: [{ key: 't2', value: 'x' }] })).status).toBe(200);
    expect(body(await post(store, 'runs/update', { run_id, status: 'FINISHED', end_time: 99 })).run_info).toMatchObject({ status: 'FINISHED', end_time: 99, run_name: 'renamed' });
    const got = body(await get(store, 'runs/get', { run_id })).run;
    expect(got.data.metrics).toEqual([{ key: 'loss', value: 'NaN', timestamp: 11, step: 2 }, { key: 'acc', value: 0.9, timestamp: 12, step: 0 }]);
    expect(got.data.params).toEqual([{ key: 'lr', value: '0.1' }, { key: 'depth', value: '6' }]);
    expect(got.data.tags).toEqual(expect.arrayContaining([{ key: 'k', value: 'v' }, { key: 't2', value: 'x' }, { key: 'mlflow.runName', value: 'renamed' }, { key: 'mlflow.user', value: 'ana' }]));
    expect((await post(store, 'runs/delete', { run_id })).status).toBe(200);
    expect(await get(store, 'runs/get', { run_id })).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
  });

  it('runs/log-batch over the limits, a missing run_id, bad values and unknown endpoints get MLflow errors', async () => {
    const store = newStore();
    const run_id = body(await post(store, 'runs/create', { experiment_id: '0' })).run.info.run_id;
    const metrics = Array.from({ length: 1001 }, (_, i) => ({ key: 'm', value: i, timestamp: i, step: i }));
    expect(await post(store, 'runs/log-batch', { run_id, metrics })).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: 'x' }));
    expect(body(await post(store, 'runs/log-batch', { run_id, params })).message).toMatch(/at most 100 params/);
    expect(body(await post(store, 'runs/log-batch', { run_id, metrics: metrics.slice(0, 950), tags: params.slice(0, 60) })).message).toMatch(/in total/);
    expect(await post(store, 'runs/get', {})).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(await post(store, 'runs/log-metric', { run_id, key: 'x', value: 'abc', timestamp: 1 })).toMatchObject({ status: 400 });
    expect(await post(store, 'runs/create', { experiment_id: '42' })).toMatchObject({ status: 404 });
    expect(await post(store, 'runs/nope', {})).toMatchObject({ status: 404, body: { error_code: 'ENDPOINT_NOT_FOUND' } });
  });

  it('runs/search filters, orders and pages like MLflow', async () => {
    const store = newStore();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const run_id = body(await post(store, 'runs/create', { experiment_id: '0', run_name: `r${i}` })).run.info.run_id;
      ids.push(run_id);
      await post(store, 'runs/log-batch', { run_id, metrics: [{ key: 'acc', value: i / 10, timestamp: 1, step: 0 }], params: [{ key: 'model', value: i % 2 ? 'gbdt' : 'linear' }] });
      if (i === 4) await post(store, 'runs/update', { run_id, status: 'FAILED' });
    }
    const search = (b: Json) => post(store, 'runs/search', { experiment_ids: ['0'], ...b }).then((r) => body(r));
    expect((await search({ filter: "metrics.acc > 0.15 AND params.model = 'linear'" })).runs.map((r: Json) => r.info.run_name)).toEqual(['r4', 'r2']);
    expect((await search({ filter: "attributes.status = 'FAILED'" })).runs.map((r: Json) => r.info.run_name)).toEqual(['r4']);
    const first = await search({ order_by: ['metrics.acc ASC'], max_results: 2 });
    expect(first.runs.map((r: Json) => r.info.run_name)).toEqual(['r0', 'r1']);
    const second = await search({ order_by: ['metrics.acc ASC'], max_results: 2, page_token: first.next_page_token });
    expect(second.runs.map((r: Json) => r.info.run_name)).toEqual(['r2', 'r3']);
    expect(await post(store, 'runs/search', { experiment_ids: ['0'], filter: 'metrics.acc >' })).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
  });
});

describe('pushRunToMlflow(run, baseUrl, fetch)', () => {
  it('chunkLogBatch keeps every request within 100 params, 100 tags, 1000 metrics, 1000 total', () => {
    const params = Array.from({ length: 250 }, (_, i) => ({ key: `p${i}`, value: '1' }));
    const tags = Array.from({ length: 130 }, (_, i) => ({ key: `t${i}`, value: '1' }));
    const metrics: MetricPoint[] = Array.from({ length: 2500 }, (_, i) => ({ key: 'm', value: i, step: i, timestamp: i }));
    const chunks = chunkLogBatch(params, tags, metrics);
    for (const c of chunks) {
      expect(c.params.length).toBeLessThanOrEqual(100);
      expect(c.tags.length).toBeLessThanOrEqual(100);
      expect(c.params.length + c.tags.length + c.metrics.length).toBeLessThanOrEqual(1000);
    }
    expect(chunks.flatMap((c) => c.params)).toEqual(params);
    expect(chunks.flatMap((c) => c.tags)).toEqual(tags);
    expect(chunks.flatMap((c) => c.metrics).map((m) => m.value)).toEqual(metrics.map((m) => m.value));
    expect(chunks).toHaveLength(3); // 2,880 items need at least 3 requests of ≤ 1,000
  });

  it('creates the experiment once, the run, batches within limits, and ends with the run status', async () => {
    const store = newStore();
    const record = runRecordSchema.parse({
      format: 1, id: 'local1', experiment: 'sweeps', name: 'trial 7', status: 'finished', startTime: 5, endTime: 9,
      params: Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`p${i}`, i])), tags: { team: 'a' }, artifacts: [],
      repro: { gitCommit: 'abc' }, lineage: {},
    });
    const metrics: MetricPoint[] = Array.from({ length: 2100 }, (_, i) => ({ key: `m${i % 3}`, value: i === 5 ? Number.NaN : i, step: i, timestamp: 100 + i }));
    const log: { path: string; body: Json }[] = [];
    const first = await pushRunToMlflow({ record, metrics }, 'http://mlflow.local:5000/', inProcessFetch(store, log));
    const second = await pushRunToMlflow({ record, metrics }, 'http://mlflow.local:5000', inProcessFetch(store, log));
    expect(second.experimentId).toBe(first.experimentId);
    expect(log.filter((l) => l.path.endsWith('experiments/create'))).toHaveLength(1);
    const run = body(await get(store, 'runs/get', { run_id: first.runId })).run;
    expect(run.info).toMatchObject({ run_name: 'trial 7', status: 'FINISHED', start_time: 5, end_time: 9, experiment_id: first.experimentId });
    expect(run.data.params).toHaveLength(150);
    expect(run.data.metrics).toEqual(expect.arrayContaining([{ key: 'm2', value: 2099, step: 2099, timestamp: 2199 }]));
    expect(run.data.tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'a' }, { key: 'mlflow.source.git.commit', value: 'abc' }]));
    const summary = await store.getSummary(run.info.run_id);
    expect(summary!.metrics.m2!.count).toBe(700);
    // get-by-name, experiments/create, runs/create, 3 batches (150 params + 3 tags + 2,100 metrics), runs/update
    expect(first.requests).toBe(1 + 1 + 1 + 3 + 1);
  });
});
