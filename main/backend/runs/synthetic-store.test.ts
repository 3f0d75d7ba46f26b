import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sortRuns } from '../../../app/tracking/run-query';
import { summarizeMetrics } from '../../../app/tracking/run-summary';
import { openRunStore } from './run-store';
import { generateSyntheticStore } from './synthetic-store';

// VAJRA_SCALE_RUNS=10000 measures the scale by hand; the default keeps the test fast.
const runs = Number(process.env.VAJRA_SCALE_RUNS ?? 1000);
let ws = '';
afterAll(async () => {
  if (ws) await rm(ws, { recursive: true, force: true });
});

describe('generateSyntheticStore(workspace, spec)', () => {
  // Timing lives in bench/ (npm run bench); this test checks what the open+sort path returns.
  it(`openRunStore + sortRuns by a metric over ${runs} runs × 100 metrics lists and orders every run`, async () => {
    ws = await mkdtemp(join(tmpdir(), 'vajra-scale-'));
    const ids = await generateSyntheticStore(ws, { runs, metricsPerRun: 100, stepsPerRun: 1000, seed: 1, runsWithHistory: 1 });
    const store = await openRunStore(ws);
    const listed = store.listRuns();
    const sorted = sortRuns(listed, [{ field: { kind: 'metric', key: 'metric_57' }, descending: true }], store.readField);
    expect(listed).toHaveLength(runs);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i - 1]!.metrics.metric_57!.last).toBeGreaterThanOrEqual(sorted[i]!.metrics.metric_57!.last);
    for (const run of listed.slice(0, 50)) {
      for (const s of Object.values(run.metrics)) expect(s.min <= s.last && s.last <= s.max && s.count === 1000).toBe(true);
    }
    // The run with a real 100 × 1000-point history carries the summary of that history.
    const history = await store.readMetrics(ids[0]!);
    expect(history).toHaveLength(100_000);
    expect(store.getSummary(ids[0]!)!.metrics).toEqual(summarizeMetrics(history));
  }, 60_000);
});
