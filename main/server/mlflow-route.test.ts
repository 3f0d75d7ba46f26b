import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../backend/backend';
import { runsHandlers, runsResource } from '../backend/services/runs-service';
import { mlflowRoute } from './mlflow-route';
import { startServer, type RunningServer } from './server';

let dir: string;
let backend: Backend;
let server: RunningServer;
const events: { ids: string[] }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vajra-mlflow-route-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html>');
  backend = new Backend({ version: 'test', shape: 'browser', configDir: join(dir, 'config'), examplesDir: join(dir, 'examples'), userWorkspacesDir: join(dir, 'home') });
  await backend.openWorkspace(join(dir));
  backend.events.subscribe((event, payload) => {
    if (event === 'runs.changed') events.push(payload as { ids: string[] });
  });
  server = await startServer({ host: '127.0.0.1', port: 0, rendererDir: dir, routes: [mlflowRoute(() => runsResource(backend))], onConnection: () => () => undefined });
});

afterAll(async () => {
  await server.close();
  await backend.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function api(path: string, body?: unknown, init: { method?: string; token?: string | null; raw?: string } = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const token = init.token === undefined ? server.token : init.token;
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`, {
    method: init.method ?? (body === undefined && init.raw === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(init.raw !== undefined ? { body: init.raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : { text } };
}

describe('mlflowRoute() on a real HTTP server', () => {
  it('POST runs/create … runs/search follow MLflow REST shapes and the run shows up in runs.list', async () => {
    const created = await api('/api/2.0/mlflow/experiments/create', { name: 'churn' });
    expect(created.status).toBe(200);
    const experimentId = String(created.json.experiment_id);
    const byName = await api(`/api/2.0/mlflow/experiments/get-by-name?experiment_name=churn`);
    expect((byName.json.experiment as { experiment_id: string; name: string })).toMatchObject({ experiment_id: experimentId, name: 'churn', lifecycle_stage: 'active' });

    const run = await api('/api/2.0/mlflow/runs/create', { experiment_id: experimentId, run_name: 'gbdt-a', start_time: 1_700_000_000_000, tags: [{ key: 'team', value: 'risk' }] });
    expect(run.status).toBe(200);
    const info = (run.json.run as { info: { run_id: string; status: string; experiment_id: string } }).info;
    expect(info).toMatchObject({ status: 'RUNNING', experiment_id: experimentId });
    const runId = info.run_id;

    const batch = await api('/api/2.0/mlflow/runs/log-batch', {
      run_id: runId,
      params: [{ key: 'model.depth', value: '6' }, { key: 'optim.lr', value: '0.1' }],
      metrics: [0, 1, 2].map((step) => ({ key: 'loss', value: 1 / (step + 1), timestamp: 1_700_000_000_100 + step, step })),
      tags: [{ key: 'stage', value: 'dev' }],
    });
    expect(batch).toEqual({ status: 200, json: {} });
    expect((await api('/api/2.0/mlflow/runs/log-metric', { run_id: runId, key: 'auc', value: 0.91, timestamp: 1_700_000_000_200, step: 3 })).status).toBe(200);
    expect((await api('/api/2.0/mlflow/runs/set-tag', { run_id: runId, key: 'note', value: 'best so far' })).status).toBe(200);
    const updated = await api('/api/2.0/mlflow/runs/update', { run_id: runId, status: 'FINISHED', end_time: 1_700_000_001_000 });
    expect((updated.json.run_info as { status: string; end_time: number })).toMatchObject({ status: 'FINISHED', end_time: 1_700_000_001_000 });

    const got = await api(`/api/2.0/mlflow/runs/get?run_id=${runId}`);
    const data = (got.json.run as { data: { metrics: { key: string; value: number; step: number }[]; params: { key: string; value: string }[]; tags: { key: string; value: string }[] } }).data;
    expect(data.metrics.find((m) => m.key === 'loss')).toMatchObject({ value: 1 / 3, step: 2 });
    expect(data.params).toContainEqual({ key: 'model.depth', value: '6' });
    expect(data.tags).toContainEqual({ key: 'note', value: 'best so far' });

    const search = await api('/api/2.0/mlflow/runs/search', { experiment_ids: [experimentId], filter: "metrics.auc > 0.9 and params.`model.depth` = '6'", order_by: ['metrics.loss ASC'] });
    expect((search.json.runs as { info: { run_id: string } }[]).map((r) => r.info.run_id)).toEqual([runId]);
    expect((await api('/ajax-api/2.0/mlflow/runs/search', { experiment_ids: [experimentId], filter: 'metrics.auc < 0.5' })).json).toEqual({ runs: [] });

    const handlers = runsHandlers(backend);
    const context = { signal: new AbortController().signal, progress: () => undefined };
    const list = await handlers['runs.list']({ columns: [{ kind: 'metric', key: 'loss', agg: 'min' }, { kind: 'param', key: 'model.depth' }], filter: [], search: 'gbdt', sort: [], groupBy: null, offset: 0, limit: 10 }, context);
    expect(list.rows).toHaveLength(1);
    expect(list.rows[0]).toMatchObject({ id: runId, name: 'gbdt-a', status: 'finished', values: [1 / 3, '6'] });
    await expect.poll(() => events.some((e) => e.ids.includes(runId))).toBe(true);
  });

  it('PUT mlflow-artifacts uploads a file the run lists as an artifact, GET returns its bytes', async () => {
    const run = await api('/api/2.0/mlflow/runs/create', { experiment_id: '0', run_name: 'with-model' });
    const runId = (run.json.run as { info: { run_id: string } }).info.run_id;
    const put = await fetch(`http://127.0.0.1:${server.port}/api/2.0/mlflow-artifacts/artifacts/${runId}/model/model.onnx`, { method: 'PUT', headers: { authorization: `Bearer ${server.token}` }, body: new Uint8Array([1, 2, 3]) });
    expect(put.status).toBe(200);
    const record = await (await runsResource(backend)).store.getRun(runId as never);
    expect(record.artifacts).toMatchObject([{ path: 'model/model.onnx', size: 3, kind: 'model' }]);
    const get = await fetch(`http://127.0.0.1:${server.port}/api/2.0/mlflow-artifacts/artifacts/${runId}/model/model.onnx`, { headers: { authorization: `Bearer ${server.token}` } });
    expect([...new Uint8Array(await get.arrayBuffer())]).toEqual([1, 2, 3]);
    const escape = await api(`/api/2.0/mlflow-artifacts/artifacts/${runId}/..%2F..%2Fvajra.json`);
    expect(escape.status).toBe(400);
  });

  it('answers MLflow-style errors: bad JSON 400, unknown run 404, no token 401', async () => {
    const bad = await api('/api/2.0/mlflow/runs/create', undefined, { raw: '{"experiment_id": ' });
    expect(bad.status).toBe(400);
    expect(bad.json.error_code).toBe('MALFORMED_REQUEST');
    const missing = await api('/api/2.0/mlflow/runs/get?run_id=nope');
    expect(missing).toMatchObject({ status: 404, json: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    const limits = await api('/api/2.0/mlflow/runs/log-batch', { run_id: 'x', params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: '1' })) });
    expect(limits).toMatchObject({ status: 400, json: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect((await api('/api/2.0/mlflow/experiments/search?max_results=10', undefined, { token: null })).status).toBe(401);
    expect((await api('/api/2.0/mlflow/experiments/search?max_results=10', undefined, { token: 'wrong' })).status).toBe(401);
  });
});
