import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RunId } from '../../../app/base/ids';
import { runCli } from '../../cli/main';
import { verifyBundle } from '../export/export-bundle';
import { FAST_ADULT, openTestHost, type TestHost } from '../pipeline/pipeline.testkit';
import { trainPipeline } from '../pipeline/runner';
import { bundleFolderName, exportRunToWorkspace, rerunVerdict } from './export-service';

let host: TestHost;
let runId: RunId;
beforeAll(async () => {
  host = await openTestHost();
  const doc = await host.pipeline('adult-income.pipeline.json');
  const trained = await trainPipeline(host, { doc, path: 'adult-income.pipeline.json', overrides: FAST_ADULT, store: host.store });
  runId = trained.runId!;
}, 60_000);
afterAll(async () => { await host?.close(); });

describe('exportRunToWorkspace(root, store, runId)', () => {
  it('writes exports/<run name>, then exports/<run name>-2; the bundle verifies and offers curl commands', async () => {
    const first = await exportRunToWorkspace(host.root, host.store, runId, { version: 'test' });
    const second = await exportRunToWorkspace(host.root, host.store, runId, { version: 'test', zip: true });
    const name = bundleFolderName((await host.store.getRun(runId)).name, runId);
    expect([first.dir, second.dir]).toEqual([`exports/${name}`, `exports/${name}-2`]);
    expect(second.zip).toBe(`exports/${name}-2.zip`);
    expect(existsSync(join(host.root, second.zip!))).toBe(true);
    expect((await verifyBundle(first.absoluteDir)).ok).toBe(true);
    expect(first.files).toEqual(expect.arrayContaining(['manifest.json', 'model.onnx', 'server/index.js']));
    expect(first.curl.map((c) => c.title)).toEqual(['MLflow, dataframe_split', 'MLflow, dataframe_records', 'MLflow, CSV', 'KServe v2']);
    expect(first.curl[3]!.command).toContain(`/v2/models/${first.modelName}/infer`);
    // Text inputs and imputed numbers may be missing at serving time; the rest stays required.
    const mlmodel = parse(await readFile(join(first.absoluteDir, 'MLmodel'), 'utf8')) as { signature: { inputs: string } };
    const required = new Map((JSON.parse(mlmodel.signature.inputs) as { name: string; required: boolean }[]).map((i) => [i.name, i.required]));
    expect([required.get('workclass'), required.get('age'), required.get('native_country')]).toEqual([false, false, false]);
    expect(required.size).toBeGreaterThan(10);
  });

  it('bundleFolderName(name) keeps letters, digits, . _ - and falls back to the id', () => {
    expect(bundleFolderName('Adult income (v2)/final', 'id1')).toBe('Adult-income-v2-final');
    expect(bundleFolderName('  ../..  ', 'id1')).toBe('id1');
  });
});

describe('rerunVerdict(host, store, runId) and vajra runs rerun RUN', () => {
  it('same data and seed: identical model.onnx bytes and every metric equal', async () => {
    const verdict = await rerunVerdict(host, host.store, runId);
    expect(verdict).toMatchObject({ identical: true, metricsEqual: true, changedData: [] });
    expect(verdict.rebuiltBytes).toBe(verdict.storedBytes);
    expect(verdict.metrics.map((m) => m.key)).toEqual(expect.arrayContaining(['accuracy', 'roc_auc', 'log_loss']));
    expect(verdict.metrics.map((m) => m.key)).not.toContain('train_loss');
  }, 30_000);

  it('after the data changed: the CLI reports different bytes and metrics, names the dataset, exit 1', async () => {
    const csv = await readFile(join(host.root, 'data', 'adult.csv'), 'utf8');
    await writeFile(join(host.root, 'data', 'adult.csv'), `${csv.split('\n').slice(0, 3001).join('\n')}\n`);
    let stdout = '';
    const code = await runCli(['runs', 'rerun', runId, '--workspace', host.root, '--json'], { cwd: host.root, env: {}, stdout: (t) => (stdout += t), stderr: () => undefined });
    const verdict = JSON.parse(stdout) as { identical: boolean; metricsEqual: boolean; changedData: string[]; metrics: { key: string; stored: number; rebuilt: number }[] };
    expect(code).toBe(1);
    expect(verdict).toMatchObject({ identical: false, metricsEqual: false });
    expect(verdict.changedData).toHaveLength(1);
    expect(verdict.metrics.find((m) => m.key === 'accuracy')!.rebuilt).not.toBe(verdict.metrics.find((m) => m.key === 'accuracy')!.stored);
  }, 30_000);
});
