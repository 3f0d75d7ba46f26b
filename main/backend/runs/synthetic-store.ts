import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { asId, newId, type RunId } from '../../../app/base/ids';
import { createRng, type Rng } from '../../../app/base/rng';
import type { MetricPoint, MetricSummary, RunRecord } from '../../../app/tracking/run-model';
import { summarizeMetrics, toRunSummary } from '../../../app/tracking/run-summary';
import { encodeMetricLines } from './metrics-log';
import { compactIndex, encodeSummaries } from './run-index';

/** Shape of a synthetic store (for benchmarks and scale tests). */
export interface SyntheticStoreSpec {
  runs: number;
  metricsPerRun: number;
  stepsPerRun: number;
  seed: number;
  /** How many runs get a real `metrics.ndjson` (metricsPerRun × stepsPerRun lines each). */
  runsWithHistory?: number;
  /** Start of the first run, ms since epoch. */
  startTime?: number;
}

/**
 * A training curve: `a·exp(-t/τ) + c` plus Gaussian noise, decreasing for losses and mirrored
 * for scores. Sampled step by step for runs with a written history; for the others the summary
 * comes from the same curve in closed form (first, last and extreme values with the noise of
 * those steps), so 10k runs × 100 metrics × 1,000 steps need not materialise 1e9 points.
 */
interface Curve { a: number; c: number; tau: number; noise: number; rising: boolean }

function curveFor(rng: Rng, key: number, steps: number): Curve {
  return { a: 0.5 + rng.next(), c: 0.05 + 0.3 * rng.next(), tau: steps * (0.05 + 0.3 * rng.next()), noise: 0.01 + 0.02 * rng.next(), rising: key % 2 === 1 };
}

function valueAt(curve: Curve, t: number, z: number): number {
  const v = curve.a * Math.exp(-t / curve.tau) + curve.c + curve.noise * z;
  return curve.rising ? 1 - v : v;
}

function closedFormSummary(curve: Curve, steps: number, start: number, rng: Rng): MetricSummary {
  const first = valueAt(curve, 0, rng.normal());
  const last = valueAt(curve, steps - 1, rng.normal());
  // Extreme noise over ~steps/10 near-flat tail steps: about 2.5σ beyond the tail's mean.
  const tail = valueAt(curve, steps - 1, 0) + (curve.rising ? 2.5 : -2.5) * curve.noise * (0.8 + 0.4 * rng.next());
  const lastTimestamp = start + steps * 100;
  return { last, min: Math.min(first, last, tail), max: Math.max(first, last, tail), lastStep: steps - 1, lastTimestamp, count: steps };
}

function historyOf(curves: Curve[], steps: number, start: number, rng: Rng): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (let t = 0; t < steps; t++) {
    curves.forEach((curve, k) => points.push({ key: `metric_${k}`, value: valueAt(curve, t, rng.normal()), step: t, timestamp: start + (t + 1) * 100 }));
  }
  return points;
}

function recordFor(index: number, id: RunId, start: number, rng: Rng): RunRecord {
  return {
    format: 1, id, experiment: `experiment-${index % 10}`, name: `trial ${index}`, status: rng.next() < 0.05 ? 'failed' : 'finished',
    startTime: start, endTime: start + 200_000,
    params: { 'model.kind': ['gbdt', 'logistic', 'forest'][index % 3]!, 'model.depth': 2 + rng.int(10), 'optim.lr': Number((10 ** (-1 - 3 * rng.next())).toPrecision(3)), seed: index },
    tags: { sweep: `sweep-${Math.floor(index / 100)}` }, artifacts: [],
    repro: { datasets: [{ name: 'train', fingerprint: 'synthetic' }], seed: index, codeSnapshots: [], versions: { vajra: 'synthetic' } },
    lineage: { labelSetVersionIds: [] },
  };
}

/**
 * Writes a synthetic run store under `<workspace>/runs/` and its index, without fsync (it is
 * throwaway data). Deterministic for a seed. Returns the run ids, oldest first.
 */
export async function generateSyntheticStore(workspace: string, spec: SyntheticStoreSpec): Promise<RunId[]> {
  const root = join(workspace, 'runs');
  await mkdir(join(root, '.trash'), { recursive: true });
  const rng = createRng(spec.seed);
  const t0 = spec.startTime ?? 1_700_000_000_000;
  const summaries = [];
  const ids: RunId[] = [];
  for (let i = 0; i < spec.runs; i++) {
    const start = t0 + i * 60_000;
    const id = asId<RunId>(newId(start, () => rng.next()));
    const record = recordFor(i, id, start, rng);
    const curves = Array.from({ length: spec.metricsPerRun }, (_, k) => curveFor(rng, k, spec.stepsPerRun));
    const dir = join(root, id);
    await mkdir(dir, { recursive: true });
    let metrics: Record<string, MetricSummary>;
    let bytes = 0;
    if (i < (spec.runsWithHistory ?? 0)) {
      const history = historyOf(curves, spec.stepsPerRun, start, rng);
      const text = encodeMetricLines(history);
      await writeFile(join(dir, 'metrics.ndjson'), text);
      bytes = Buffer.byteLength(text);
      metrics = summarizeMetrics(history);
    } else {
      metrics = {};
      curves.forEach((curve, k) => (metrics[`metric_${k}`] = closedFormSummary(curve, spec.stepsPerRun, start, rng)));
    }
    await writeFile(join(dir, 'run.json'), `${JSON.stringify(record, null, 2)}\n`);
    await writeFile(join(dir, 'summary.json'), JSON.stringify({ metricsBytes: bytes, metrics: encodeSummaries(metrics) }));
    summaries.push(toRunSummary(record, metrics));
    ids.push(id);
  }
  await compactIndex(root, summaries);
  return ids;
}
