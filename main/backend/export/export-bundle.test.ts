import { execFile } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../app/base/clock';
import { createRng } from '../../../app/base/rng';
import type { Cell } from '../../../app/export/types';
import { openRunStore } from '../runs/run-store';
import { classifierInput, classifierModel, classifierRows, directOutputs, writeRunnableBundle } from './bundle.testkit';
import { exportBundle, verifyBundle } from './export-bundle';

const run = promisify(execFile);
const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vajra-export-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const SUITE = { format: 'vajra.expectations', version: 1, name: 's', expectations: [{ kind: 'not_null', column: 'city' }] };

async function workspaceWithRun(withModel = true): Promise<{ ws: string; runId: string }> {
  const ws = await tempDir();
  const store = await openRunStore(ws, { clock: fixedClock(1_750_000_000_000, 1), rng: createRng(3) });
  const record = await store.createRun({ experiment: 'churn', name: 'lr', repro: { datasets: [{ name: 'customers', fingerprint: 'fp-123' }], versions: { vajra: '0.1.0' } } });
  if (withModel) {
    await store.addArtifact(record.id, 'model/model.onnx', classifierModel(), 'model');
    const example = { columns: ['age', 'income', 'city'], data: [[31, 42.5, 'Goa']] };
    await store.addArtifact(record.id, 'model/input_example.json', JSON.stringify(example), 'data');
    await store.addArtifact(record.id, 'customers.expectations.json', JSON.stringify(SUITE), 'data');
  }
  await store.finishRun(record.id, 'finished');
  await store.close();
  return { ws, runId: record.id };
}

/** Reads a ZIP's central directory and inflates every entry (enough to check our writer). */
function unzip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const body = zip.subarray(dataAt, dataAt + size);
    out.set(name, method === 8 ? inflateRawSync(body) : Buffer.from(body));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}

describe('exportBundle(workspace, runId, outDir, options)', () => {
  it('writes the bundle from the run folder (model, example, suite, fingerprints) and a matching zip', async () => {
    const { ws, runId } = await workspaceWithRun();
    const out = join(ws, 'exports', 'churn-lr');
    const result = await exportBundle(ws, runId, out, { zip: true, clock: fixedClock(Date.UTC(2026, 10, 4, 8, 0, 0)) });
    expect(result.files).toEqual(expect.arrayContaining(['model.onnx', 'MLmodel', 'server/index.js', 'batch/score.js', 'web/score.js', 'expectations.json', 'manifest.json']));
    expect(Buffer.from(classifierModel()).equals(await readFile(join(out, 'model.onnx')))).toBe(true);
    const mlmodel = parse(await readFile(join(out, 'MLmodel'), 'utf8')) as { run_id: string; utc_time_created: string; signature: { inputs: string } };
    expect(mlmodel.run_id).toBe(runId);
    expect(mlmodel.utc_time_created).toBe('2026-11-04 08:00:00.000000');
    expect(JSON.parse(mlmodel.signature.inputs)).toEqual([{ type: 'double', name: 'age', required: true }, { type: 'double', name: 'income', required: true }, { type: 'string', name: 'city', required: true }]);
    expect(JSON.parse(await readFile(join(out, 'input_example.json'), 'utf8'))).toEqual({ columns: ['age', 'income', 'city'], data: [[31, 42.5, 'Goa']] });
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as { runId: string; dataFingerprints: unknown };
    expect(manifest).toMatchObject({ runId, dataFingerprints: [{ name: 'customers', fingerprint: 'fp-123' }] });
    const zipped = unzip(await readFile(result.zipPath!));
    expect([...zipped.keys()].sort()).toEqual(result.files.map((f) => `churn-lr/${f}`).sort());
    for (const f of result.files) expect(zipped.get(`churn-lr/${f}`)!.equals(await readFile(join(out, f))), f).toBe(true);
    expect((await verifyBundle(out)).ok).toBe(true);
    expect((await readdir(join(ws, 'exports'))).sort()).toEqual(['churn-lr', 'churn-lr.zip']);
  });

  it('refuses a non-empty outDir unless overwrite, and a run without a model', async () => {
    const { ws, runId } = await workspaceWithRun();
    const out = join(ws, 'bundle');
    await mkdir(out);
    await writeFile(join(out, 'keep.txt'), 'x');
    await expect(exportBundle(ws, runId, out)).rejects.toThrow(/exists and is not empty/);
    await exportBundle(ws, runId, out, { overwrite: true });
    expect(await readdir(out)).not.toContain('keep.txt');
    const bare = await workspaceWithRun(false);
    await expect(exportBundle(bare.ws, bare.runId, join(bare.ws, 'b'))).rejects.toThrow(/has no compiled model/);
    await expect(exportBundle(bare.ws, 'nope', join(bare.ws, 'b'))).rejects.toThrow(/No run "nope"/);
  });
});

describe('verifyBundle(dir)', () => {
  it('detects one changed byte, a missing file and an extra file; ignores server/node_modules', async () => {
    const { ws, runId } = await workspaceWithRun();
    const out = join(ws, 'b');
    await exportBundle(ws, runId, out);
    await mkdir(join(out, 'server', 'node_modules', 'x'), { recursive: true });
    await writeFile(join(out, 'server', 'node_modules', 'x', 'index.js'), '');
    expect(await verifyBundle(out)).toMatchObject({ ok: true, text: expect.stringMatching(/^OK: \d+ files match/) });
    const model = await readFile(join(out, 'model.onnx'));
    model[model.length - 1] = model[model.length - 1]! ^ 1;
    await writeFile(join(out, 'model.onnx'), model);
    await rm(join(out, 'README.md'));
    await appendFile(join(out, 'notes.txt'), 'hello');
    const report = await verifyBundle(out);
    expect(report).toMatchObject({ ok: false, missing: ['README.md'], extra: ['notes.txt'], changed: [{ path: 'model.onnx' }] });
    expect(report.text).toMatch(/FAILED: 1 missing, 1 changed, 1 extra/);
    expect(report.text).toMatch(/changed {2}model\.onnx/);
    await rm(join(out, 'manifest.json'));
    expect((await verifyBundle(out)).problem).toMatch(/manifest.json is missing/);
  });
});

describe('batch/score.js', () => {
  const columns = [{ name: 'age', type: 'number' }, { name: 'income', type: 'number' }, { name: 'city', type: 'string' }] as const;
  const rows: Record<string, Cell>[] = [...classifierRows(50), { age: 33, income: 12.5, city: 'Goa, "North"' }];
  const csvCell = (v: Cell) => (v === null ? '' : typeof v === 'string' && /[",]/.test(v) ? `"${v.replaceAll('"', '""')}"` : String(v));
  const csv = `id,age,income,city\r\n${rows.map((r, i) => [i, r.age, r.income, r.city].map((v) => csvCell(v ?? null)).join(',')).join('\r\n')}\r\n`;

  async function expectParity(outRows: string[][], header: string[]): Promise<void> {
    const direct = await directOutputs(classifierInput().modelBytes, rows, columns);
    expect(header).toEqual(['id', 'age', 'income', 'city', 'label', 'probabilities_0', 'probabilities_1', 'probabilities_2']);
    expect(outRows.map((r) => r[4])).toEqual(Array.from(direct.label!.data as string[]));
    const proba = direct.probabilities!.data as Float32Array;
    outRows.forEach((r, i) => [5, 6, 7].forEach((c, k) => expect(Math.abs(Number(r[c]) - proba[i * 3 + k]!)).toBeLessThanOrEqual(1e-6)));
    expect(outRows.map((r) => r[0])).toEqual(rows.map((_, i) => String(i)));
  }

  it('IN.csv OUT.csv in chunks of 7 rows keeps every column and equals onnxruntime-node to 1e-6', async () => {
    const dir = await tempDir();
    await writeRunnableBundle(classifierInput(), join(dir, 'b'));
    await writeFile(join(dir, 'in.csv'), csv);
    const { stderr } = await run(process.execPath, [join(dir, 'b', 'batch', 'score.js'), join(dir, 'in.csv'), join(dir, 'out.csv'), '--chunk-rows', '7']);
    expect(stderr).toMatch(/100%\s+51 rows/);
    const { parseCsv } = (await import(join(dir, 'b', 'server', 'lib', 'csv.js'))) as { parseCsv: (text: string) => string[][] };
    const [header, ...outRows] = parseCsv(await readFile(join(dir, 'out.csv'), 'utf8'));
    expect(outRows[50]![3]).toBe('Goa, "North"');
    await expectParity(outRows, header!);
  });

  it('IN.parquet OUT.parquet goes through DuckDB and gives the same numbers', async () => {
    const dir = await tempDir();
    await writeRunnableBundle(classifierInput(), join(dir, 'b'));
    await writeFile(join(dir, 'in.csv'), csv);
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    await con.run(`COPY (SELECT * FROM read_csv('${join(dir, 'in.csv')}', header = true, columns = {'id': 'BIGINT', 'age': 'DOUBLE', 'income': 'DOUBLE', 'city': 'VARCHAR'})) TO '${join(dir, 'in.parquet')}' (FORMAT parquet)`);
    await run(process.execPath, [join(dir, 'b', 'batch', 'score.js'), join(dir, 'in.parquet'), join(dir, 'out.parquet'), '--quiet']);
    const reader = await con.runAndReadAll(`SELECT * FROM read_parquet('${join(dir, 'out.parquet')}') ORDER BY id`);
    const header = reader.columnNames();
    const outRows = reader.getRowObjectsJS().map((r) => header.map((h) => String(r[h])));
    con.closeSync();
    db.closeSync();
    await expectParity(outRows, header);
  });

  it('reports a missing column and a bad value with the data row number, exit code 1', async () => {
    const dir = await tempDir();
    await writeRunnableBundle(classifierInput(), join(dir, 'b'));
    await writeFile(join(dir, 'a.csv'), 'age,city\n1,Pune\n');
    await writeFile(join(dir, 'b.csv'), 'age,income,city\n1,2,Pune\n1,x,Goa\n');
    const score = (name: string) => run(process.execPath, [join(dir, 'b', 'batch', 'score.js'), join(dir, name), join(dir, 'out.csv'), '--quiet']);
    await expect(score('a.csv')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/missing column "income"/) });
    await expect(score('b.csv')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/"income", data row 2: expected a number/) });
  });
});
