import { UserInputError, VajraError } from '../base/errors';
import { paramToMlflow, tagsToMlflow, toMlflowStatus } from './mlflow-entities';
import { LOG_BATCH_LIMITS } from './mlflow-rest';
import type { MetricPoint, RunBundle } from './run-model';

/** The part of `fetch` the client uses; the platform `fetch` satisfies it. */
export type FetchFn = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

/** What a push did on the MLflow server. */
export interface PushResult {
  experimentId: string;
  runId: string;
  /** Number of HTTP requests sent (for the UI's progress and for tests of the chunking). */
  requests: number;
}

/** One log-batch request body (without run_id). */
export interface LogBatchChunk {
  metrics: { key: string; value: number | string; timestamp: number; step: number }[];
  params: { key: string; value: string }[];
  tags: { key: string; value: string }[];
}

/**
 * Splits params, tags and metrics into log-batch requests within MLflow's limits (≤ 100 params,
 * ≤ 100 tags, ≤ 1000 metrics, ≤ 1000 in total per request), params and tags first so a partial
 * push still shows what the run was.
 */
export function chunkLogBatch(params: LogBatchChunk['params'], tags: LogBatchChunk['tags'], metrics: readonly MetricPoint[]): LogBatchChunk[] {
  const L = LOG_BATCH_LIMITS;
  const chunks: LogBatchChunk[] = [];
  let p = 0, t = 0, m = 0;
  while (p < params.length || t < tags.length || m < metrics.length) {
    const chunkParams = params.slice(p, p + L.params);
    const chunkTags = tags.slice(t, t + Math.min(L.tags, L.total - chunkParams.length));
    const room = Math.min(L.metrics, L.total - chunkParams.length - chunkTags.length);
    const chunkMetrics = metrics.slice(m, m + room).map((x) => ({ key: x.key, value: Number.isFinite(x.value) ? x.value : String(x.value), timestamp: x.timestamp, step: x.step }));
    p += chunkParams.length;
    t += chunkTags.length;
    m += chunkMetrics.length;
    chunks.push({ params: chunkParams, tags: chunkTags, metrics: chunkMetrics });
  }
  return chunks;
}

/**
 * Pushes one run to an MLflow tracking server: finds or creates its experiment by name,
 * creates the run (MLflow assigns the id), logs params/tags/metrics in limit-sized batches and
 * sets the final status and end time. Artifacts are not uploaded (MLflow's artifact proxy is
 * separate); the run's artifact list still travels as the `vajra.artifacts` tag.
 */
export async function pushRunToMlflow(bundle: RunBundle, baseUrl: string, fetchFn: FetchFn): Promise<PushResult> {
  const api = `${baseUrl.replace(/\/+$/, '')}/api/2.0/mlflow`;
  let requests = 0;
  async function call(method: 'GET' | 'POST', path: string, body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
    requests++;
    const query = method === 'GET' ? `?${Object.entries(body).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')}` : '';
    const response = await fetchFn(`${api}/${path}${query}`, { method, headers: { 'Content-Type': 'application/json' }, ...(method === 'POST' ? { body: JSON.stringify(body) } : {}) });
    const text = await response.text();
    let json: Record<string, unknown>;
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      json = { message: text };
    }
    return { status: response.status, json };
  }
  async function ok(method: 'GET' | 'POST', path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { status, json } = await call(method, path, body);
    if (status >= 400) throw new VajraError('mlflow_error', `MLflow ${path} failed (${status} ${String(json.error_code ?? '')}): ${String(json.message ?? '')}`, { status, path });
    return json;
  }

  const { record } = bundle;
  const found = await call('GET', 'experiments/get-by-name', { experiment_name: record.experiment });
  let experimentId: string;
  if (found.status === 200) experimentId = String((found.json.experiment as { experiment_id: unknown }).experiment_id);
  else if (found.json.error_code === 'RESOURCE_DOES_NOT_EXIST') experimentId = String((await ok('POST', 'experiments/create', { name: record.experiment })).experiment_id);
  else throw new VajraError('mlflow_error', `MLflow experiments/get-by-name failed (${found.status}): ${String(found.json.message ?? '')}`);

  const { 'mlflow.runName': _name, ...tags } = tagsToMlflow(record);
  if (record.artifacts.length) tags['vajra.artifacts'] = JSON.stringify(record.artifacts.map((a) => ({ path: a.path, sha256: a.sha256, kind: a.kind })));
  const created = await ok('POST', 'runs/create', { experiment_id: experimentId, run_name: record.name, start_time: record.startTime, tags: [] });
  const runId = String((created.run as { info: { run_id: unknown } }).info.run_id);
  if (!runId) throw new UserInputError('MLflow runs/create returned no run id');
  const chunks = chunkLogBatch(
    Object.entries(record.params).map(([key, value]) => ({ key, value: paramToMlflow(value) })),
    Object.entries(tags).map(([key, value]) => ({ key, value })),
    bundle.metrics,
  );
  for (const chunk of chunks) await ok('POST', 'runs/log-batch', { run_id: runId, ...chunk });
  await ok('POST', 'runs/update', { run_id: runId, status: toMlflowStatus(record.status), ...(record.endTime !== null ? { end_time: record.endTime } : {}) });
  return { experimentId, runId, requests };
}
