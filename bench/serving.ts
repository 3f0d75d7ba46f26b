// Serving benchmark: the exported bundle's Node server vs a FastAPI + uvicorn server with the
// same scikit-learn logistic regression (20 floats), one JSON row per request (dataframe_split),
// `wrk -t2 -c32 -d15s`. Run alone: `npx tsx bench/serving.ts` (BENCH_SECONDS to shorten).
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { createRng } from '../app/base/rng';
import { buildBundle } from '../app/export/bundle';
import { compilePipeline } from '../app/pipeline/compile';
import { writeBundle } from '../main/backend/export/export-bundle';

/** One server's result. Latencies in milliseconds. */
export interface Row {
  server: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  requests: number;
}

const FEATURES = 20;
const here = fileURLToPath(new URL('.', import.meta.url));
const run = promisify(execFile);

// wrk prints its own report; done() adds one JSON line with the numbers we keep.
const LUA = (body: string) => `wrk.method = "POST"
wrk.body = ${JSON.stringify(body)}
wrk.headers["Content-Type"] = "application/json"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH {"requests": %d, "seconds": %f, "p50": %f, "p99": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
`;

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (address && typeof address === 'object' ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

async function waitFor(url: string, child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`${url}: server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up in ${timeoutMs} ms`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function wrk(url: string, script: string, seconds: number): Promise<Omit<Row, 'server'>> {
  const { stdout } = await run('wrk', ['-t2', '-c32', `-d${seconds}s`, '-s', script, url], { maxBuffer: 1 << 20 });
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH '));
  if (!line) throw new Error(`wrk printed no summary:\n${stdout}`);
  const r = JSON.parse(line.slice(6)) as { requests: number; seconds: number; p50: number; p99: number; errors: number };
  return { requestsPerSec: Math.round(r.requests / r.seconds), p50Ms: r.p50, p99Ms: r.p99, errors: r.errors, requests: r.requests };
}

async function writeModel(dir: string): Promise<{ body: string }> {
  const rng = createRng(2024);
  const coef = Float64Array.from({ length: FEATURES }, () => rng.normal() * 0.5);
  const intercept = Float64Array.from([0.1]);
  const columns = Array.from({ length: FEATURES }, (_, i) => `f${i}`);
  const modelBytes = compilePipeline({
    pipelineId: 'bench-logistic',
    columns: columns.map((name) => ({ name, type: 'number' })),
    steps: [],
    model: { kind: 'logisticRegression', coef, intercept, nFeatures: FEATURES, classes: [0, 1], multinomial: false },
  });
  const row = columns.map(() => Math.fround(rng.normal()));
  const files = buildBundle({
    runId: 'bench', modelBytes,
    signature: { inputs: columns.map((name) => ({ name, type: 'double' })), outputs: [{ name: 'label', type: 'long' }, { name: 'probabilities', type: 'float', shape: [-1, 2] }] },
    inputExample: [Object.fromEntries(columns.map((c, i) => [c, row[i]!]))],
    dataFingerprints: [], versions: {}, createdAtMs: 0,
  });
  await writeBundle(files, join(dir, 'bundle'));
  // No network for `npm ci` here: link the workspace's onnxruntime-node into the bundle's server.
  await mkdir(join(dir, 'bundle', 'server', 'node_modules'), { recursive: true });
  await symlink(resolve(here, '..', 'node_modules', 'onnxruntime-node'), join(dir, 'bundle', 'server', 'node_modules', 'onnxruntime-node'), 'dir');
  await writeFile(join(dir, 'params.json'), JSON.stringify({ coef: Array.from(coef), intercept: Array.from(intercept), classes: [0, 1], columns }));
  return { body: JSON.stringify({ dataframe_split: { columns, data: [row] } }) };
}

async function measure(name: string, command: string, args: string[], port: number, script: string, seconds: number): Promise<Row> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitFor(`http://127.0.0.1:${port}/ping`, child);
    return { server: name, ...(await wrk(`http://127.0.0.1:${port}/invocations`, script, seconds)) };
  } finally {
    await stop(child);
  }
}

/** Runs the three servers one after another and returns their rows (bundle first). */
export async function benchServing(seconds = Number(process.env.BENCH_SECONDS ?? 15)): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'vajra-bench-serving-'));
  try {
    const { body } = await writeModel(dir);
    const script = join(dir, 'post.lua');
    await writeFile(script, LUA(body));
    const fastapi = join(here, 'fastapi_server.py');
    const rows: Row[] = [];
    let port = await freePort();
    rows.push(await measure('vajra bundle (node, onnxruntime-node)', process.execPath, [join(dir, 'bundle', 'server', 'index.js'), '--port', String(port)], port, script, seconds));
    for (const workers of [1, 2]) {
      port = await freePort();
      rows.push(await measure(`fastapi + uvicorn, ${workers} worker${workers > 1 ? 's' : ''} (sklearn)`, '/usr/bin/python3', [fastapi, '--port', String(port), '--workers', String(workers), '--params', join(dir, 'params.json')], port, script, seconds));
    }
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The rows as a text table with the bundle's speed-up over each other server. */
export function formatServing(rows: readonly Row[]): string {
  const base = rows[0]!;
  const lines = ['server                                      req/s    p50 ms   p99 ms  errors  bundle speed-up'];
  for (const r of rows) {
    const speedup = r === base ? '' : `${(base.requestsPerSec / r.requestsPerSec).toFixed(1)}×`;
    lines.push(`${r.server.padEnd(42)} ${String(r.requestsPerSec).padStart(7)} ${r.p50Ms.toFixed(2).padStart(8)} ${r.p99Ms.toFixed(2).padStart(8)} ${String(r.errors).padStart(7)}  ${speedup}`);
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  benchServing().then((rows) => console.log(formatServing(rows)), (error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
