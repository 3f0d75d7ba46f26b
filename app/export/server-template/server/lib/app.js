// The request handler: routes, content types, body limits and JSON errors. Scoring itself is
// `scorer.score`; parsing is protocols.js; nothing here throws past `handle` (every failure
// becomes a JSON error response, unexpected ones a 500).

import { Buffer } from 'node:buffer';
import { createExplainRuntime } from './explain.js';
import { validateRows } from './expectations.js';
import { parseJson, parseMlflowCsv, parseMlflowJson, parseV2Infer, v2Metadata, v2Outputs } from './protocols.js';
import { encodeColumns, RequestError, requestSpec, toRecords } from './schema.js';

const V2_MODEL = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/;

function mediaType(req) {
  const value = req.headers['content-type'];
  return typeof value === 'string' ? value.split(';')[0].trim().toLowerCase() : '';
}

/** Reads the body as UTF-8, refusing more than `limit` bytes with a 413 before buffering it. */
function readBody(req, limit) {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks, size).toString('utf8'));
    });
    req.on('error', (error) => {
      if (!failed) reject(error);
    });
  });
}

function tooLarge(limit) {
  return new RequestError(413, 'REQUEST_TOO_LARGE', `The request body is larger than the limit of ${limit} bytes (start the server with --max-body-bytes to change it).`);
}

function send(res, status, body, type = 'application/json') {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res, error, isV2) {
  const status = error instanceof RequestError ? error.status : 500;
  const code = error instanceof RequestError ? error.code : 'INTERNAL_ERROR';
  const message = error instanceof RequestError ? error.message : `The model failed on this request: ${error?.message ?? error}`;
  send(res, status, isV2 ? { error: message, error_code: code, message } : { error_code: code, message });
}

/**
 * Creates the request handler. `state.closing` makes readiness fail and closes connections after
 * each response (graceful shutdown). `opts.maxBodyBytes` caps request bodies. With a `deriver`
 * (derived.js; the model has lag/rolling inputs) requests carry the raw columns and every route
 * turns them into the graph's inputs first.
 */
export function createHandler({ spec, scorer, deriver, suite, explainer, openapi, versions, opts, state }) {
  const request = requestSpec(spec);
  const encode = (n, get) => encodeColumns(request, n, get, false);
  const toGraph = (buffers, n) => (deriver ? deriver.derive(buffers, n) : buffers);

  async function readInput(req, allowCsv) {
    const type = mediaType(req);
    if (type !== 'application/json' && !(allowCsv && type === 'text/csv')) {
      throw new RequestError(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type "${type || '(none)'}" is not supported; send application/json${allowCsv ? ' or text/csv' : ''}.`);
    }
    const text = await readBody(req, opts.maxBodyBytes);
    const buffers = type === 'text/csv' ? parseMlflowCsv(request, text) : parseMlflowJson(request, parseJson(text));
    return toGraph(buffers, buffers[0].length);
  }

  async function invocations(req, res) {
    const buffers = await readInput(req, true);
    const n = buffers[0].length;
    const results = await scorer.score(buffers, n);
    send(res, 200, { predictions: toRecords(spec, results, n) });
  }

  async function v2Infer(req, res) {
    const type = mediaType(req);
    if (type !== 'application/json' && type !== '') throw new RequestError(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type "${type}" is not supported; send application/json.`);
    const infer = parseV2Infer(request, parseJson(await readBody(req, opts.maxBodyBytes)), encode);
    const results = await scorer.score(await toGraph(infer.buffers, infer.n), infer.n);
    send(res, 200, { model_name: spec.modelName, model_version: spec.modelVersion, ...(infer.id !== undefined ? { id: infer.id } : {}), outputs: v2Outputs(spec, results, infer.outputs) });
  }

  async function validate(req, res) {
    if (!suite) throw new RequestError(404, 'NOT_FOUND', 'This bundle carries no expectations suite, so there is nothing to validate against. Export a run that has one.');
    const buffers = await readInput(req, true);
    send(res, 200, validateRows(suite, spec, buffers, buffers[0].length));
  }

  let explainRuntime;
  async function explain(req, res) {
    if (!explainer) throw new RequestError(404, 'NOT_FOUND', 'This bundle carries no explainer: the run was exported without explanations.');
    const buffers = await readInput(req, true);
    explainRuntime ??= createExplainRuntime(explainer, spec);
    send(res, 200, { explanations: await (await explainRuntime).explain(buffers, buffers[0].length) });
  }

  function v2Model(req, res, match) {
    const [, name, version, action] = match;
    if (decodeURIComponent(name) !== spec.modelName || (version !== undefined && decodeURIComponent(version) !== spec.modelVersion)) {
      throw new RequestError(404, 'NOT_FOUND', `Unknown model "${decodeURIComponent(name)}"${version ? ` version "${version}"` : ''}; this server serves "${spec.modelName}" version "${spec.modelVersion}".`);
    }
    if (action === '/infer') return expect(req, 'POST', () => v2Infer(req, res));
    if (action === '/ready') return expect(req, 'GET', () => send(res, state.closing ? 503 : 200, { name: spec.modelName, ready: !state.closing }));
    return expect(req, 'GET', () => send(res, 200, v2Metadata(request)));
  }

  function expect(req, method, fn) {
    if (req.method !== method && !(method === 'GET' && req.method === 'HEAD')) throw new RequestError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here; use ${method}.`);
    return fn();
  }

  function route(req, res, path) {
    switch (path) {
      case '/ping':
      case '/health': return expect(req, 'GET', () => send(res, state.closing ? 503 : 200, '\n'));
      case '/version': return expect(req, 'GET', () => send(res, 200, versions));
      case '/invocations': return expect(req, 'POST', () => invocations(req, res));
      case '/validate': return expect(req, 'POST', () => validate(req, res));
      case '/explain': return expect(req, 'POST', () => explain(req, res));
      case '/openapi.yaml': return expect(req, 'GET', () => send(res, 200, openapi, 'application/yaml'));
      case '/v2': return expect(req, 'GET', () => send(res, 200, { name: 'vajra-bundle', version: versions.vajra ?? 'unknown', extensions: [] }));
      case '/v2/health/live': return expect(req, 'GET', () => send(res, 200, { live: true }));
      case '/v2/health/ready': return expect(req, 'GET', () => send(res, state.closing ? 503 : 200, { ready: !state.closing }));
      default: {
        const match = V2_MODEL.exec(path);
        if (match) return v2Model(req, res, match);
        throw new RequestError(404, 'NOT_FOUND', `No route ${req.method} ${path}. See /openapi.yaml for the routes.`);
      }
    }
  }

  return async function handle(req, res) {
    state.inFlight++;
    if (state.closing) res.setHeader('Connection', 'close');
    const path = (req.url ?? '/').split('?')[0];
    try {
      await route(req, res, path);
    } catch (error) {
      if (!(error instanceof RequestError)) opts.log?.(`error on ${req.method} ${path}: ${error?.stack ?? error}`);
      if (!res.headersSent) sendError(res, error, path.startsWith('/v2'));
      else res.destroy();
      if (error instanceof RequestError && error.status === 413) req.resume();
    } finally {
      state.inFlight--;
      state.onIdle?.();
    }
  };
}
