import { z } from 'zod';
import { assertNever } from '../base/assert';
import { VajraError } from '../base/errors';
import { asId, type RunId } from '../base/ids';
import { fromMlflowStatus, paramToMlflow, tagsFromMlflow, tagsToMlflow, toMlflowStatus } from './mlflow-entities';
import { parseOrderBy, parseSearchFilter } from './mlflow-search';
import type { MetricPoint, RunRecord, RunSummary } from './run-model';
import { filterRuns, sortRuns } from './run-query';
import { runNotFound, type TrackingExperiment, type TrackingStore } from './tracking-store';

/**
 * MLflow tracking REST API (2.0) as pure request → response functions over a `TrackingStore`.
 * Shapes follow MLflow's REST docs; errors are `{ error_code, message }` with MLflow's HTTP
 * statuses (RESOURCE_DOES_NOT_EXIST 404, INVALID_PARAMETER_VALUE and RESOURCE_ALREADY_EXISTS 400,
 * ENDPOINT_NOT_FOUND 404, INTERNAL_ERROR 500). int64 fields are accepted as numbers or strings
 * and returned as numbers; non-finite metric values travel as "NaN"/"Infinity"/"-Infinity".
 */
export interface MlflowRequest {
  method: string;
  /** e.g. `/api/2.0/mlflow/runs/create` (the `/ajax-api/` prefix is accepted too). */
  path: string;
  query?: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/** A JSON response to send back as is. */
export interface MlflowResponse {
  status: number;
  body: unknown;
}

/** MLflow's batch limits (mlflow/utils/validation.py). */
export const LOG_BATCH_LIMITS = { metrics: 1000, params: 100, tags: 100, total: 1000 } as const;

class MlflowError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const httpStatus: Record<string, number> = { RESOURCE_DOES_NOT_EXIST: 404, ENDPOINT_NOT_FOUND: 404, INVALID_PARAMETER_VALUE: 400, RESOURCE_ALREADY_EXISTS: 400, BAD_REQUEST: 400, INTERNAL_ERROR: 500 };

const int64 = z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)]);
const double = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity']).transform(Number), z.string().regex(/^-?\d+(\.\d*)?([eE][+-]?\d+)?$/).transform(Number)]);
const keyValue = z.object({ key: z.string().min(1).max(250), value: z.string().max(8000).default('') });
const metric = z.object({ key: z.string().min(1).max(250), value: double, timestamp: int64, step: int64.default(0) });
const runId = z.object({ run_id: z.string().min(1).optional(), run_uuid: z.string().min(1).optional() }).refine((r) => r.run_id ?? r.run_uuid, "Missing value for required parameter 'run_id'");

const schemas = {
  'experiments/create': z.object({ name: z.string().min(1), artifact_location: z.string().optional(), tags: z.array(keyValue).default([]) }),
  'experiments/get': z.object({ experiment_id: z.string().min(1) }),
  'experiments/get-by-name': z.object({ experiment_name: z.string().min(1) }),
  'experiments/search': z.object({ max_results: int64.default(1000), page_token: z.string().optional(), filter: z.string().optional(), view_type: z.string().optional() }),
  'runs/create': z.object({ experiment_id: z.string().default('0'), user_id: z.string().optional(), run_name: z.string().optional(), start_time: int64.optional(), tags: z.array(keyValue).default([]) }),
  'runs/get': runId,
  'runs/update': z.object({ run_id: z.string().optional(), run_uuid: z.string().optional(), status: z.enum(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']).optional(), end_time: int64.optional(), run_name: z.string().optional() }),
  'runs/log-batch': z.object({ run_id: z.string().min(1), metrics: z.array(metric).default([]), params: z.array(keyValue).default([]), tags: z.array(keyValue).default([]) }),
  'runs/log-metric': z.intersection(runId, metric),
  'runs/log-parameter': z.intersection(runId, keyValue),
  'runs/set-tag': z.intersection(runId, keyValue),
  'runs/search': z.object({ experiment_ids: z.array(z.string()).default([]), filter: z.string().optional(), run_view_type: z.enum(['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL']).default('ACTIVE_ONLY'), max_results: int64.default(1000), order_by: z.array(z.string()).default([]), page_token: z.string().optional() }),
  'runs/delete': runId,
};
type Endpoint = keyof typeof schemas;

function experimentJson(e: TrackingExperiment) {
  return { experiment_id: e.id, name: e.name, artifact_location: e.artifactLocation, lifecycle_stage: e.lifecycleStage, creation_time: e.creationTime, last_update_time: e.lastUpdateTime, tags: Object.entries(e.tags).map(([key, value]) => ({ key, value })) };
}

const jsonNumber = (v: number): number | string => (Number.isFinite(v) ? v : String(v));

function runInfoJson(record: RunRecord, experimentId: string) {
  const { tags } = tagsFromMlflow(record.tags);
  return {
    run_id: record.id, run_uuid: record.id, run_name: record.name, experiment_id: experimentId, user_id: tags['mlflow.user'] ?? '',
    status: toMlflowStatus(record.status), start_time: record.startTime, ...(record.endTime !== null ? { end_time: record.endTime } : {}),
    artifact_uri: `vajra:/runs/${record.id}/artifacts`, lifecycle_stage: 'active',
  };
}

function runJson(record: RunRecord, summary: RunSummary | undefined, experimentId: string) {
  const metrics = Object.entries(summary?.metrics ?? {}).map(([key, s]) => ({ key, value: jsonNumber(s.last), timestamp: s.lastTimestamp, step: s.lastStep }));
  return {
    info: runInfoJson(record, experimentId),
    data: { metrics, params: Object.entries(record.params).map(([key, value]) => ({ key, value: paramToMlflow(value) })), tags: Object.entries(tagsToMlflow(record)).map(([key, value]) => ({ key, value })) },
    inputs: {},
  };
}

function parse<E extends Endpoint>(endpoint: E, input: unknown): z.infer<(typeof schemas)[E]> {
  const result = schemas[endpoint].safeParse(input);
  if (!result.success) throw new MlflowError('INVALID_PARAMETER_VALUE', result.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '));
  return result.data as z.infer<(typeof schemas)[E]>;
}

/** Handles one MLflow REST request; never throws (errors become MLflow error responses). */
export async function handleMlflowRequest(request: MlflowRequest, store: TrackingStore): Promise<MlflowResponse> {
  const match = /^\/(?:ajax-)?api\/2\.0\/mlflow\/(.+?)\/?$/.exec(request.path);
  const endpoint = match?.[1];
  if (!endpoint || !Object.hasOwn(schemas, endpoint)) return error('ENDPOINT_NOT_FOUND', `No handler for ${request.method} ${request.path}`);
  const input = { ...flattenQuery(request.query), ...(request.body && typeof request.body === 'object' ? request.body : {}) };
  try {
    return { status: 200, body: await dispatch(endpoint as Endpoint, input, store) };
  } catch (caught) {
    if (caught instanceof MlflowError) return error(caught.code, caught.message);
    if (caught instanceof VajraError) {
      const code = caught.code === 'not_found' ? 'RESOURCE_DOES_NOT_EXIST' : caught.code === 'already_exists' ? 'RESOURCE_ALREADY_EXISTS' : caught.code === 'bad_input' ? 'INVALID_PARAMETER_VALUE' : 'INTERNAL_ERROR';
      return error(code, caught.message);
    }
    return error('INTERNAL_ERROR', caught instanceof Error ? caught.message : String(caught));
  }
}

function error(code: string, message: string): MlflowResponse {
  return { status: httpStatus[code] ?? 500, body: { error_code: code, message } };
}

function flattenQuery(query: MlflowRequest['query']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    // Repeated query keys (experiment_ids=1&experiment_ids=2) and order_by stay lists.
    out[key] = Array.isArray(value) || key === 'experiment_ids' || key === 'order_by' ? [value].flat() : value;
  }
  return out;
}

async function experimentByName(store: TrackingStore, name: string): Promise<TrackingExperiment | undefined> {
  return (await store.listExperiments()).find((e) => e.name === name);
}

async function experimentOf(store: TrackingStore, record: RunRecord): Promise<string> {
  return (await experimentByName(store, record.experiment))?.id ?? '0';
}

async function requireRun(store: TrackingStore, input: { run_id?: string | undefined; run_uuid?: string | undefined }): Promise<RunRecord> {
  const id = input.run_id ?? input.run_uuid ?? '';
  const record = await store.getRun(asId<RunId>(id));
  if (!record) throw runNotFound(id);
  return record;
}

function points(metrics: readonly { key: string; value: number; timestamp: number; step: number }[]): MetricPoint[] {
  return metrics.map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp, step: m.step }));
}

async function dispatch(endpoint: Endpoint, input: unknown, store: TrackingStore): Promise<unknown> {
  switch (endpoint) {
    case 'experiments/create': {
      const req = parse(endpoint, input);
      if (await experimentByName(store, req.name)) throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Experiment '${req.name}' already exists.`);
      const created = await store.createExperiment(req.name, req.artifact_location, Object.fromEntries(req.tags.map((t) => [t.key, t.value])));
      return { experiment_id: created.id };
    }
    case 'experiments/get': {
      const req = parse(endpoint, input);
      const found = (await store.listExperiments()).find((e) => e.id === req.experiment_id);
      if (!found) throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `Could not find experiment with ID ${req.experiment_id}`);
      return { experiment: experimentJson(found) };
    }
    case 'experiments/get-by-name': {
      const req = parse(endpoint, input);
      const found = await experimentByName(store, req.experiment_name);
      if (!found) throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `Could not find experiment with name '${req.experiment_name}'`);
      return { experiment: experimentJson(found) };
    }
    case 'experiments/search': {
      const req = parse(endpoint, input);
      const clauses = (req.filter ?? '').trim() === '' ? [] : parseExperimentFilter(req.filter!);
      const all = (await store.listExperiments()).filter((e) => clauses.every((c) => c(e))).sort((a, b) => b.creationTime - a.creationTime || (a.id < b.id ? -1 : 1));
      const { items, next } = page(all.map(experimentJson), req.max_results, req.page_token);
      return { experiments: items, ...next };
    }
    case 'runs/create': {
      const req = parse(endpoint, input);
      const experiment = (await store.listExperiments()).find((e) => e.id === req.experiment_id);
      if (!experiment) throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `Could not create run under experiment with ID ${req.experiment_id} - no such experiment exists.`);
      const raw = Object.fromEntries(req.tags.map((t) => [t.key, t.value]));
      if (req.user_id) raw['mlflow.user'] = req.user_id;
      const system = tagsFromMlflow(raw);
      const name = req.run_name ?? system.name;
      // The writer is a remote client: it is never presumed dead, only ended by runs/update.
      const record = await store.createRun({ experiment: experiment.name, ...(name ? { name } : {}), tags: system.tags, writer: { pid: 0, host: 'mlflow-rest-client' }, ...(req.start_time !== undefined ? { startTime: req.start_time } : {}), lineage: system.parentRunId ? { parentRunId: system.parentRunId } : {}, repro: system.gitCommit ? { gitCommit: system.gitCommit } : {} });
      return { run: runJson(record, undefined, experiment.id) };
    }
    case 'runs/get': {
      const record = await requireRun(store, parse(endpoint, input));
      return { run: runJson(record, await store.getSummary(record.id), await experimentOf(store, record)) };
    }
    case 'runs/update': {
      const req = parse(endpoint, input);
      const record = await requireRun(store, req);
      const status = req.status ? fromMlflowStatus(req.status) : undefined;
      const updated = await store.updateRun(record.id, { ...(status ? { status } : {}), ...(req.end_time !== undefined ? { endTime: req.end_time } : {}), ...(req.run_name ? { name: req.run_name } : {}) });
      return { run_info: runInfoJson(updated, await experimentOf(store, updated)) };
    }
    case 'runs/log-batch': {
      const req = parse(endpoint, input);
      checkBatchLimits(req.metrics.length, req.params.length, req.tags.length);
      const record = await requireRun(store, req);
      if (req.params.length) await store.logParams(record.id, Object.fromEntries(req.params.map((p) => [p.key, p.value])));
      if (req.metrics.length) await store.logMetrics(record.id, points(req.metrics));
      if (req.tags.length) await applyTags(store, record, req.tags);
      return {};
    }
    case 'runs/log-metric': {
      const req = parse(endpoint, input);
      await store.logMetrics((await requireRun(store, req)).id, points([req]));
      return {};
    }
    case 'runs/log-parameter': {
      const req = parse(endpoint, input);
      await store.logParams((await requireRun(store, req)).id, { [req.key]: req.value });
      return {};
    }
    case 'runs/set-tag': {
      const req = parse(endpoint, input);
      await applyTags(store, await requireRun(store, req), [req]);
      return {};
    }
    case 'runs/search':
      return searchRuns(parse(endpoint, input), store);
    case 'runs/delete': {
      await store.deleteRun((await requireRun(store, parse(endpoint, input))).id);
      return {};
    }
    default:
      return assertNever(endpoint, 'endpoint');
  }
}

async function applyTags(store: TrackingStore, record: RunRecord, tags: readonly { key: string; value: string }[]): Promise<void> {
  const system = tagsFromMlflow(Object.fromEntries(tags.map((t) => [t.key, t.value])));
  const current = (await store.getRun(record.id)) ?? record;
  const patch = {
    ...(system.name !== undefined ? { name: system.name } : {}),
    ...(system.gitCommit !== undefined ? { repro: { ...current.repro, gitCommit: system.gitCommit } } : {}),
    ...(system.parentRunId !== undefined ? { lineage: { ...current.lineage, parentRunId: system.parentRunId } } : {}),
  };
  if (Object.keys(patch).length) await store.updateRun(record.id, patch);
  if (Object.keys(system.tags).length) await store.setTags(record.id, system.tags);
}

/** Throws INVALID_PARAMETER_VALUE when a log-batch request exceeds MLflow's limits. */
export function checkBatchLimits(metrics: number, params: number, tags: number): void {
  const L = LOG_BATCH_LIMITS;
  if (metrics > L.metrics) throw new MlflowError('INVALID_PARAMETER_VALUE', `A batch logging request can contain at most ${L.metrics} metrics. Got ${metrics} metrics.`);
  if (params > L.params) throw new MlflowError('INVALID_PARAMETER_VALUE', `A batch logging request can contain at most ${L.params} params. Got ${params} params.`);
  if (tags > L.tags) throw new MlflowError('INVALID_PARAMETER_VALUE', `A batch logging request can contain at most ${L.tags} tags. Got ${tags} tags.`);
  if (metrics + params + tags > L.total) throw new MlflowError('INVALID_PARAMETER_VALUE', `A batch logging request can contain at most ${L.total} metrics, params and tags in total. Got ${metrics + params + tags}.`);
}

function page<T>(items: readonly T[], maxResults: number, token: string | undefined): { items: T[]; next?: { next_page_token: string } } {
  if (maxResults < 1 || maxResults > 50000) throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid value for max_results: ${maxResults}`);
  const offset = token ? Number(token) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid page token ${token}`);
  return { items: items.slice(offset, offset + maxResults), ...(offset + maxResults < items.length ? { next: { next_page_token: String(offset + maxResults) } } : {}) };
}

function parseExperimentFilter(filter: string): ((e: TrackingExperiment) => boolean)[] {
  return filter.split(/\s+AND\s+/i).map((part) => {
    const m = /^\s*(?:attributes\.)?name\s*(=|!=|LIKE|ILIKE)\s*'((?:[^']|'')*)'\s*$/i.exec(part);
    if (!m) throw new MlflowError('INVALID_PARAMETER_VALUE', `Unsupported experiment filter "${part}" (only name comparisons)`);
    const [, op, raw] = m;
    const value = raw!.replaceAll("''", "'");
    const like = new RegExp(`^${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('%', '.*').replaceAll('_', '.')}$`, op!.toUpperCase() === 'ILIKE' ? 'i' : '');
    return (e: TrackingExperiment) => (op === '=' ? e.name === value : op === '!=' ? e.name !== value : like.test(e.name));
  });
}

async function searchRuns(req: z.infer<(typeof schemas)['runs/search']>, store: TrackingStore) {
  const experiments = await store.listExperiments();
  const names = new Set(experiments.filter((e) => req.experiment_ids.includes(e.id)).map((e) => e.name));
  const idOf = new Map(experiments.map((e) => [e.name, e.id]));
  // Vajra keeps deleted runs in the trash, outside search: DELETED_ONLY finds nothing.
  const candidates = req.run_view_type === 'DELETED_ONLY' ? [] : (await store.listRuns()).filter((r) => names.has(r.experiment));
  let clauses;
  let order;
  try {
    clauses = parseSearchFilter(req.filter);
    order = parseOrderBy(req.order_by);
  } catch (caught) {
    throw new MlflowError('INVALID_PARAMETER_VALUE', caught instanceof Error ? caught.message : String(caught));
  }
  const sorted = sortRuns(filterRuns(candidates, clauses), order);
  const { items, next } = page(sorted, req.max_results, req.page_token);
  const runs = [];
  for (const summary of items) {
    const record = await store.getRun(summary.id);
    if (record) runs.push(runJson(record, summary, idOf.get(record.experiment) ?? '0'));
  }
  return { runs, ...next };
}
