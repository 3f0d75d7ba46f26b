#!/usr/bin/env node
// The bundle's model server: `node server/index.js [--port N] [--host H] [--max-body-bytes B]
// [--timeout-ms T] [--threads K]` (or env PORT, HOST, MAX_BODY_BYTES, TIMEOUT_MS, THREADS).
// Serves the MLflow scoring protocol and KServe Open Inference Protocol v2 for ../model.onnx.
// A model with lag/rolling inputs (serving.json `derived`) takes raw rows and needs DuckDB.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createHandler } from './lib/app.js';
import { createDeriver } from './lib/derived.js';
import { createScorer } from './lib/scorer.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = 'usage: node server/index.js [--port N] [--host H] [--max-body-bytes B] [--timeout-ms T] [--threads K] [--grace-ms G]';

function readOptions() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' }, host: { type: 'string' }, 'max-body-bytes': { type: 'string' },
      'timeout-ms': { type: 'string' }, threads: { type: 'string' }, 'grace-ms': { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const env = process.env;
  const int = (name, value, fallback, min) => {
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got "${value}"`);
    return n;
  };
  return {
    port: int('port', values.port ?? env.PORT, 8080, 0),
    host: values.host ?? env.HOST ?? '127.0.0.1',
    maxBodyBytes: int('max-body-bytes', values['max-body-bytes'] ?? env.MAX_BODY_BYTES, 10 * 1024 * 1024, 1),
    timeoutMs: int('timeout-ms', values['timeout-ms'] ?? env.TIMEOUT_MS, 30_000, 1),
    threads: int('threads', values.threads ?? env.THREADS, 1, 1),
    graceMs: int('grace-ms', values['grace-ms'] ?? env.GRACE_MS, 10_000, 0),
  };
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
}

async function main() {
  let opts;
  try {
    opts = readOptions();
  } catch (error) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  const spec = readJson(join(root, 'serving.json'));
  const scorer = await createScorer(spec, join(root, 'model.onnx'), opts.threads);
  const deriver = await createDeriver(spec);
  const state = { inFlight: 0, closing: false, onIdle: undefined };
  const log = (line) => process.stderr.write(`${line}\n`);
  const handle = createHandler({
    spec,
    scorer,
    deriver,
    suite: spec.expectations ? readJson(join(root, spec.expectations)) : undefined,
    explainer: spec.explainer ? readJson(join(root, spec.explainer)) : undefined,
    openapi: readFileSync(join(root, 'openapi.yaml'), 'utf8'),
    versions: { ...spec.versions, model: spec.modelName, model_version: spec.modelVersion, run_id: spec.runId, 'onnxruntime-node': scorer.version },
    opts: { maxBodyBytes: opts.maxBodyBytes, log },
    state,
  });
  const server = createServer({ requestTimeout: opts.timeoutMs, headersTimeout: Math.min(opts.timeoutMs, 60_000), keepAliveTimeout: 5_000 }, handle);
  server.on('clientError', (error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: application/json\r\n\r\n{"error_code":"BAD_REQUEST","message":"Malformed HTTP request."}');
    else socket.destroy(error);
  });
  server.listen(opts.port, opts.host, () => {
    const address = server.address();
    process.stdout.write(`${JSON.stringify({ event: 'listening', url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${address.port}`, port: address.port, model: spec.modelName })}\n`);
  });

  // Graceful shutdown: stop accepting, let in-flight requests finish (their connections close
  // after the response), then exit 0. After --grace-ms the remaining connections are cut.
  const shutdown = (signal) => {
    if (state.closing) return;
    state.closing = true;
    log(`${signal}: finishing ${state.inFlight} request(s), then exiting`);
    server.close(() => {
      deriver?.close();
      scorer.release().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
    state.onIdle = () => {
      if (state.inFlight === 0) server.closeIdleConnections();
    };
    setTimeout(() => server.closeAllConnections(), opts.graceMs).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  process.stderr.write(`The model server could not start: ${error?.stack ?? error}\n`);
  process.exit(1);
});
