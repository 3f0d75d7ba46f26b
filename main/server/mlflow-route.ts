import type { IncomingMessage, ServerResponse } from 'node:http';
import { asId, type RunId } from '../../app/base/ids';
import { VajraError } from '../../app/base/errors';
import { handleMlflowRequest, type MlflowResponse } from '../../app/tracking/mlflow-rest';
import type { ArtifactKind } from '../../app/tracking/run-model';
import { mediaTypeOf, type RunsResource } from '../backend/services/runs-service';
import type { Route } from './server';

/** Largest request body the tracking API reads (MLflow's own server caps log-batch far lower). */
export const MAX_MLFLOW_BODY_BYTES = 16 * 1024 * 1024;
/** Largest artifact one PUT may upload. */
export const MAX_ARTIFACT_BYTES = 512 * 1024 * 1024;

const API = /^\/(?:ajax-)?api\/2\.0\/mlflow\//;
const ARTIFACTS = /^\/(?:ajax-)?api\/2\.0\/mlflow-artifacts\/artifacts\/([A-Za-z0-9][A-Za-z0-9_-]{0,63})\/(.+)$/;

class BodyTooLarge extends Error {}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.destroy();
        reject(new BodyTooLarge());
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, { status, body }: MlflowResponse): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

function queryOf(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    out[key] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

function runIdOf(body: unknown, result: unknown): string | undefined {
  const fromBody = body && typeof body === 'object' ? ((body as Record<string, unknown>).run_id ?? (body as Record<string, unknown>).run_uuid) : undefined;
  if (typeof fromBody === 'string') return fromBody;
  const run = result && typeof result === 'object' ? (result as { run?: { info?: { run_id?: unknown } } }).run : undefined;
  return typeof run?.info?.run_id === 'string' ? run.info.run_id : undefined;
}

/** What an uploaded artifact is, from its extension (the UI shows `plot`s, the registry wants `model`s). */
export function artifactKindOf(path: string): ArtifactKind {
  const lower = path.toLowerCase();
  if (/\.(onnx|pkl|joblib|pt|h5)$/.test(lower) || lower.split('/').includes('MLmodel'.toLowerCase())) return 'model';
  if (/\.(png|jpe?g|gif|svg|webp)$/.test(lower)) return 'plot';
  if (/\.(csv|json|parquet|ndjson|arrow)$/.test(lower)) return 'data';
  if (/\.(html|md|pdf)$/.test(lower)) return 'report';
  if (/\.(py|ts|js|ipynb|yaml|yml)$/.test(lower)) return 'code';
  return 'other';
}

async function handleApi(request: IncomingMessage, response: ServerResponse, url: URL, tracker: RunsResource): Promise<void> {
  let body: unknown;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    let raw: Buffer;
    try {
      raw = await readBody(request, MAX_MLFLOW_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLarge) return sendJson(response, { status: 413, body: { error_code: 'INVALID_PARAMETER_VALUE', message: `Request body larger than ${MAX_MLFLOW_BODY_BYTES} bytes` } });
      throw error;
    }
    const text = raw.toString('utf8').trim();
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch (error) {
      return sendJson(response, { status: 400, body: { error_code: 'MALFORMED_REQUEST', message: `Malformed JSON body: ${(error as Error).message}` } });
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return sendJson(response, { status: 400, body: { error_code: 'MALFORMED_REQUEST', message: 'The request body must be a JSON object' } });
    }
  }
  const result = await handleMlflowRequest({ method: request.method ?? 'GET', path: url.pathname, query: queryOf(url), body }, tracker.tracking);
  if (result.status === 200 && request.method === 'POST') {
    const id = runIdOf(body, result.body);
    tracker.changed(id ? [id] : []);
  }
  sendJson(response, result);
}

async function handleArtifact(request: IncomingMessage, response: ServerResponse, target: { runId: RunId; path: string; kind: string | null }, tracker: RunsResource): Promise<void> {
  const { runId, path, kind } = target;
  try {
    if (request.method === 'PUT') {
      const bytes = await readBody(request, MAX_ARTIFACT_BYTES);
      await tracker.store.addArtifact(runId, path, bytes, isKind(kind) ? kind : artifactKindOf(path));
      tracker.changed([runId]);
      return sendJson(response, { status: 200, body: {} });
    }
    if (request.method === 'GET') {
      const bytes = await tracker.store.readArtifact(runId, path);
      response.writeHead(200, { 'content-type': mediaTypeOf(path), 'content-length': bytes.length, 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" }).end(bytes);
      return;
    }
    sendJson(response, { status: 405, body: { error_code: 'BAD_REQUEST', message: `${request.method} is not supported on artifacts` } });
  } catch (error) {
    if (error instanceof BodyTooLarge) return sendJson(response, { status: 413, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Artifact too large' } });
    const missing = (error instanceof VajraError && error.code === 'not_found') || (error instanceof Error && 'code' in error && error.code === 'ENOENT');
    const bad = error instanceof VajraError || (error instanceof Error && error.name === 'ZodError');
    sendJson(response, { status: missing ? 404 : bad ? 400 : 500, body: { error_code: missing ? 'RESOURCE_DOES_NOT_EXIST' : bad ? 'INVALID_PARAMETER_VALUE' : 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error) } });
  }
}

const KINDS = new Set<string>(['model', 'plot', 'data', 'report', 'code', 'other']);
function isKind(value: string | null | undefined): value is ArtifactKind {
  return typeof value === 'string' && KINDS.has(value);
}

/**
 * The MLflow tracking REST API of `vajra serve`: `/api/2.0/mlflow/*` (and MLflow UI's
 * `/ajax-api/2.0/mlflow/*`) answered by `handleMlflowRequest` over the workspace run store, and
 * `/api/2.0/mlflow-artifacts/artifacts/<run_id>/<path>` (PUT to upload, GET to download) in the
 * shape of MLflow's artifact proxy. The server authorises first: API clients send the workspace
 * token as `Authorization: Bearer TOKEN` (MLFLOW_TRACKING_TOKEN). Every successful write is
 * announced as `runs.changed`.
 */
export function mlflowRoute(tracker: () => Promise<RunsResource>): Route {
  return async (request, response, url) => {
    const artifact = ARTIFACTS.exec(url.pathname);
    if (!artifact && !API.test(url.pathname)) return false;
    let opened: RunsResource;
    try {
      opened = await tracker();
    } catch (error) {
      sendJson(response, { status: 503, body: { error_code: 'TEMPORARILY_UNAVAILABLE', message: error instanceof Error ? error.message : String(error) } });
      return true;
    }
    if (artifact) await handleArtifact(request, response, { runId: asId<RunId>(artifact[1]!), path: decodeURIComponent(artifact[2]!), kind: url.searchParams.get('kind') }, opened);
    else await handleApi(request, response, url, opened);
    return true;
  };
}
