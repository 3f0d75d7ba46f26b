import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cell } from '../../../app/export/types';
import { classifierInput, classifierRows, directOutputs, regressorInput, regressorRows, startServer, writeRunnableBundle, type RunningServer } from './bundle.testkit';
import { MALFORMED_MLFLOW, MALFORMED_V2, type BadRequest } from './malformed.testkit';

let dir = '';
let clf: RunningServer;
let reg: RunningServer;
const CLF_COLUMNS = [{ name: 'age', type: 'number' }, { name: 'income', type: 'number' }, { name: 'city', type: 'string' }] as const;
const REG_COLUMNS = [{ name: 'x1', type: 'number' }, { name: 'x2', type: 'number' }] as const;
const SUITE = {
  format: 'vajra.expectations', version: 1, name: 'customers',
  expectations: [
    { kind: 'range', column: 'income', min: 0, max: 100 },
    { kind: 'in_set', column: 'city', values: ['Pune', 'Delhi', 'Goa'], severity: 'warn' },
    { kind: 'not_null', column: 'age' },
    { kind: 'unique', column: 'city' },
  ],
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vajra-bundle-'));
  await writeRunnableBundle(classifierInput({ expectations: SUITE }), join(dir, 'clf'));
  await writeRunnableBundle(regressorInput(), join(dir, 'reg'));
  [clf, reg] = await Promise.all([startServer(join(dir, 'clf')), startServer(join(dir, 'reg'))]);
});

afterAll(async () => {
  for (const s of [clf, reg]) if (s && s.child.exitCode === null) s.child.kill('SIGTERM');
  await Promise.all([clf?.exit, reg?.exit]);
  await rm(dir, { recursive: true, force: true });
});

interface Reply { status: number; json: unknown; text: string }

async function post(base: string, path: string, body: string | Uint8Array<ArrayBuffer>, type?: string): Promise<Reply> {
  const res = await fetch(`${base}${path}`, { method: 'POST', body, headers: type ? { 'Content-Type': type } : {} });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

type Predictions = { predictions: Record<string, Cell | number[]>[] };

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(Number(actual[i]) - Number(expected[i]))).toBeLessThanOrEqual(1e-6);
}

function expectClassifierParity(predictions: Predictions['predictions'], direct: Record<string, ort.Tensor>): void {
  expect(predictions.map((p) => p.label)).toEqual(Array.from(direct.label!.data as string[]));
  expectClose(predictions.flatMap((p) => p.probabilities as number[]), direct.probabilities!.data as Float32Array);
}

const toCsv = (rows: Record<string, Cell>[], columns: readonly string[]) => `${columns.join(',')}\n${rows.map((r) => columns.map((c) => (r[c] === null ? '' : String(r[c]))).join(',')).join('\n')}\n`;

describe('bundle server, MLflow scoring protocol', () => {
  const rows = classifierRows(60);
  const columns = CLF_COLUMNS.map((c) => c.name);
  const bodies: [string, string, string][] = [
    ['dataframe_split', JSON.stringify({ dataframe_split: { columns, data: rows.map((r) => columns.map((c) => r[c])) } }), 'application/json'],
    ['dataframe_split with index', JSON.stringify({ dataframe_split: { index: rows.map((_, i) => i), columns: [...columns].reverse(), data: rows.map((r) => [...columns].reverse().map((c) => r[c])) } }), 'application/json'],
    ['dataframe_records', JSON.stringify({ dataframe_records: rows }), 'application/json; charset=utf-8'],
    ['instances', JSON.stringify({ instances: rows }), 'application/json'],
    ['inputs (columnar)', JSON.stringify({ inputs: Object.fromEntries(columns.map((c) => [c, rows.map((r) => r[c])])) }), 'application/json'],
    ['inputs (records) + params', JSON.stringify({ inputs: rows, params: {} }), 'application/json'],
    ['text/csv', toCsv(rows, columns), 'text/csv'],
  ];
  it.each(bodies)('POST /invocations (%s) equals onnxruntime-node on the same rows to 1e-6', async (_name, body, type) => {
    const direct = await directOutputs(classifierInput().modelBytes, rows, CLF_COLUMNS);
    const reply = await post(clf.url, '/invocations', body, type);
    expect(reply.status, reply.text).toBe(200);
    expectClassifierParity((reply.json as Predictions).predictions, direct);
  });

  it('POST /invocations (regressor, one row and 40 rows) returns {variable} per row equal to onnxruntime-node', async () => {
    for (const n of [1, 40]) {
      const data = regressorRows(n);
      const direct = await directOutputs(regressorInput().modelBytes, data, REG_COLUMNS);
      const reply = await post(reg.url, '/invocations', JSON.stringify({ dataframe_records: data }), 'application/json');
      expect(reply.status, reply.text).toBe(200);
      expectClose((reply.json as Predictions).predictions.map((p) => p.variable as number), direct.variable!.data as Float32Array);
    }
  });

  it('POST /invocations from 40 concurrent clients (batched into shared runs) gives each client its own rows', async () => {
    const all = classifierRows(120);
    const direct = await directOutputs(classifierInput().modelBytes, all, CLF_COLUMNS);
    const sizes = Array.from({ length: 40 }, (_, i) => (i % 5 === 0 ? 7 : 1));
    let from = 0;
    const slices = sizes.map((n) => [from, (from += n)] as const);
    const replies = await Promise.all(slices.map(([a, b]) => post(clf.url, '/invocations', JSON.stringify({ dataframe_records: all.slice(a, b) }), 'application/json')));
    replies.forEach((reply, k) => {
      const [a, b] = slices[k]!;
      const got = (reply.json as Predictions).predictions;
      expect(got.map((p) => p.label)).toEqual(Array.from(direct.label!.data as string[]).slice(a, b));
      expectClose(got.flatMap((p) => p.probabilities as number[]), (direct.probabilities!.data as Float32Array).slice(a * 3, b * 3));
    });
  });

  it('GET /ping, /health, /version answer; /openapi.yaml lists /invocations', async () => {
    for (const path of ['/ping', '/health']) expect((await fetch(`${clf.url}${path}`)).status).toBe(200);
    expect(await (await fetch(`${clf.url}/version`)).json()).toMatchObject({ run_id: 'run-clf-1', model: 'vajra-run-clf-1', vajra: '0.1.0' });
    expect(await (await fetch(`${clf.url}/openapi.yaml`)).text()).toContain('/invocations:');
  });
});

describe('bundle server, KServe Open Inference Protocol v2', () => {
  const rows = classifierRows(25);
  const tensor = (name: string, datatype: string, data: unknown[], shape: number[]) => ({ name, datatype, shape, data });
  const inputsOf = (r: Record<string, Cell>[], nested: boolean) => [
    tensor('age', 'FP32', nested ? r.map((x) => [x.age]) : r.map((x) => x.age), [r.length, 1]),
    tensor('income', 'FP64', r.map((x) => x.income), nested ? [r.length, 1] : [r.length]),
    tensor('city', 'BYTES', r.map((x) => x.city), [r.length, 1]),
  ];

  it('POST /v2/models/{name}/infer (flat and nested data, [N] and [N, 1]) equals onnxruntime-node to 1e-6', async () => {
    const direct = await directOutputs(classifierInput().modelBytes, rows, CLF_COLUMNS);
    for (const nested of [false, true]) {
      const reply = await post(clf.url, '/v2/models/vajra-run-clf-1/infer', JSON.stringify({ id: 'r1', inputs: inputsOf(rows, nested) }), 'application/json');
      expect(reply.status, reply.text).toBe(200);
      const body = reply.json as { model_name: string; id: string; outputs: { name: string; datatype: string; shape: number[]; data: unknown[] }[] };
      expect(body).toMatchObject({ model_name: 'vajra-run-clf-1', model_version: '1', id: 'r1' });
      const label = body.outputs.find((o) => o.name === 'label')!;
      const proba = body.outputs.find((o) => o.name === 'probabilities')!;
      expect(label).toMatchObject({ datatype: 'BYTES', shape: [25] });
      expect(label.data).toEqual(Array.from(direct.label!.data as string[]));
      expect(proba).toMatchObject({ datatype: 'FP32', shape: [25, 3] });
      expectClose(proba.data as number[], direct.probabilities!.data as Float32Array);
    }
  });

  it('POST /v2/models/{name}/versions/1/infer with outputs=[probabilities] returns only that tensor', async () => {
    const reply = await post(clf.url, '/v2/models/vajra-run-clf-1/versions/1/infer', JSON.stringify({ inputs: inputsOf(rows.slice(0, 2), false), outputs: [{ name: 'probabilities' }] }), 'application/json');
    expect(reply.status, reply.text).toBe(200);
    expect((reply.json as { outputs: { name: string }[] }).outputs.map((o) => o.name)).toEqual(['probabilities']);
  });

  it('GET /v2/health/live|ready, /v2/models/{name}, /v2/models/{name}/ready describe the model', async () => {
    expect(await (await fetch(`${clf.url}/v2/health/live`)).json()).toEqual({ live: true });
    expect(await (await fetch(`${clf.url}/v2/health/ready`)).json()).toEqual({ ready: true });
    expect(await (await fetch(`${clf.url}/v2/models/vajra-run-clf-1/ready`)).json()).toEqual({ name: 'vajra-run-clf-1', ready: true });
    expect(await (await fetch(`${clf.url}/v2/models/vajra-run-clf-1`)).json()).toEqual({
      name: 'vajra-run-clf-1', versions: ['1'], platform: 'onnxruntime_onnx',
      inputs: [{ name: 'age', datatype: 'FP32', shape: [-1, 1] }, { name: 'income', datatype: 'FP32', shape: [-1, 1] }, { name: 'city', datatype: 'BYTES', shape: [-1, 1] }],
      outputs: [{ name: 'label', datatype: 'BYTES', shape: [-1] }, { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] }],
    });
  });
});

async function runTable(server: () => RunningServer, cases: readonly BadRequest[]): Promise<void> {
  for (const c of cases) {
    const res = await fetch(`${server().url}${c.path}`, { method: c.method ?? 'POST', ...(c.body !== undefined ? { body: c.body } : {}), headers: c.type ? { 'Content-Type': c.type } : {} });
    const body = (await res.json()) as { error_code: string; message: string };
    expect([c.name, res.status]).toEqual([c.name, c.status]);
    expect(body.message, c.name).toMatch(c.message);
    expect(typeof body.error_code).toBe('string');
  }
  expect((await fetch(`${server().url}/ping`)).status).toBe(200);
  const ok = await post(server().url, '/invocations', JSON.stringify({ dataframe_records: classifierRows(1) }), 'application/json');
  expect(ok.status).toBe(200);
}

describe('bundle server, malformed requests', () => {
  it(`answers ${MALFORMED_MLFLOW.length} malformed MLflow requests with the right status and message, then still scores`, async () => {
    expect(MALFORMED_MLFLOW.length).toBeGreaterThanOrEqual(30);
    await runTable(() => clf, MALFORMED_MLFLOW);
  });

  it(`answers ${MALFORMED_V2.length} malformed KServe v2 requests with the right status and message, then still scores`, async () => {
    expect(MALFORMED_V2.length).toBeGreaterThanOrEqual(30);
    await runTable(() => clf, MALFORMED_V2);
  });
});

describe('bundle server, /validate and /explain', () => {
  it("POST /validate applies the suite's row-level expectations and skips table-level ones", async () => {
    const rows = [{ age: 30, income: 50, city: 'Pune' }, { age: null, income: 150, city: 'Mumbai' }];
    const reply = await post(clf.url, '/validate', JSON.stringify({ dataframe_records: rows }), 'application/json');
    expect(reply.status, reply.text).toBe(200);
    expect(reply.json).toEqual({
      success: false, rows: 2,
      results: [
        { kind: 'range', severity: 'error', column: 'income', success: false, failures: 1, failedRows: [1] },
        { kind: 'in_set', severity: 'warn', column: 'city', success: false, failures: 1, failedRows: [1] },
        { kind: 'not_null', severity: 'error', column: 'age', success: false, failures: 1, failedRows: [1] },
        { kind: 'unique', severity: 'error', column: 'city', skipped: 'needs the whole data set, not single rows' },
      ],
    });
  });

  it('POST /validate and /explain answer 404 with a clear message when the bundle lacks them', async () => {
    const body = JSON.stringify({ dataframe_records: regressorRows(1) });
    expect(await post(reg.url, '/validate', body, 'application/json')).toMatchObject({ status: 404, json: { error_code: 'NOT_FOUND', message: expect.stringMatching(/no expectations suite/) } });
    expect(await post(reg.url, '/explain', body, 'application/json')).toMatchObject({ status: 404, json: { error_code: 'NOT_FOUND', message: expect.stringMatching(/no explainer/) } });
  });
});

describe('bundle server, shutdown', () => {
  it('SIGTERM during a request finishes it, then exits 0', async () => {
    const server = await startServer(join(dir, 'reg'));
    const body = JSON.stringify({ dataframe_records: regressorRows(3) });
    const url = new URL('/invocations', server.url);
    const reply = new Promise<{ status: number; text: string }>((done, fail) => {
      const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => done({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', fail);
      req.write(body.slice(0, 10)); // the request is now in flight
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 150);
      }, 150);
    });
    const done = await reply;
    expect(done.status, done.text).toBe(200);
    expect((JSON.parse(done.text) as Predictions).predictions).toHaveLength(3);
    expect(await server.exit).toBe(0);
    expect(server.stderr()).toMatch(/SIGTERM: finishing 1 request/);
  });
});
