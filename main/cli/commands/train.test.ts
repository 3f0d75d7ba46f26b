import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRunStore } from '../../backend/runs/run-store';
import { TABULAR_EXAMPLE } from '../../backend/pipeline/pipeline.testkit';
import { runCli } from '../main';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vajra-train-cli-'));
  await cp(TABULAR_EXAMPLE, root, { recursive: true });
});
afterAll(async () => { await rm(root, { recursive: true, force: true }); });

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await runCli(args, { cwd: root, env: {}, stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { code, out, err };
}

const fast = ['--set', 'source.from=sql', '--set', 'source.sql=SELECT * FROM adult LIMIT 4000', '--set', 'gbdt.maxIter=8'];

describe('vajra train', () => {
  it('vajra train PIPELINE --set … --json trains, prints the run id and metrics, progress on stderr', async () => {
    const { code, out, err } = await cli('train', 'adult-income.pipeline.json', '--workspace', root, ...fast, '--json');
    expect(code).toBe(0);
    const result = JSON.parse(out) as { runId: string; status: string; metrics: Record<string, number> };
    expect(result.status).toBe('finished');
    expect(result.metrics['accuracy']).toBeGreaterThan(0.8);
    expect(err).toMatch(/^done {6}gbdt \(Gradient boosting\)/m);
    const store = await openRunStore(root);
    expect((await store.getRun(result.runId as never)).artifacts.some((a) => a.path === 'model.onnx')).toBe(true);
    await store.close();
  });

  it('vajra train exits 1 naming the failing node, 2 for a --set naming no node', async () => {
    const failed = await cli('train', 'adult-income.pipeline.json', ...fast, '--set', 'scale.columns=["age","income"]');
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('vajra train: node "scale" failed: Column "income" holds text; this step needs numbers.');
    expect(failed.out.trim()).toMatch(/^[0-9a-z]+$/);
    const usage = await cli('train', 'adult-income.pipeline.json', '--set', 'nope.maxIter=3');
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('this pipeline has no node "nope"');
  });
});

describe('vajra train on the time-series example', () => {
  it('machine-temperature-anomalies.pipeline.json: lag/rolling → isolation forest → NAB scoring against the shipped NAB windows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vajra-train-nab-'));
    try {
      await cp(join(import.meta.dirname, '../../../examples/timeseries'), dir, { recursive: true });
      let out = '';
      const code = await runCli(['train', 'machine-temperature-anomalies.pipeline.json', '--json', '--set', 'iforest.nTrees=30'], { cwd: dir, env: {}, stdout: (t) => { out += t; }, stderr: () => undefined });
      expect(code).toBe(0);
      const { metrics } = JSON.parse(out) as { metrics: Record<string, number> };
      expect(metrics['nab_windows']).toBe(4);
      // NAB does not count its probationary period: min(15% of the rows, 750) = 750 of 22,695.
      expect(metrics['nab_tp']! + metrics['nab_fp']! + metrics['nab_fn']! + metrics['nab_tn']!).toBe(22695 - 750);
      // The in-sample best threshold fires inside at least one window.
      expect(metrics['nab_detected_windows']).toBeGreaterThan(0);
      expect(metrics['nab_score']).toBeGreaterThan(-4);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
