import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../app/data/engine';
import { parseNabTimestamp } from '../../../app/labels/nab';
import { createGraphBuilder } from '../../../app/onnx/builder';
import { NativeDatabase } from '../data/native-engine';
import { createOnnxScorer } from '../pipeline/onnx-scorer';
import { isolationForestSuggestions, onnxSuggestions } from './model-suggest';
import { zscoreSuggestions, type ResolvedSeries } from './series-sql';

const example = (p: string) => fileURLToPath(new URL(`../../../examples/timeseries/${p}`, import.meta.url));
const taxi: ResolvedSeries = { relation: `read_csv('${example('data/nyc_taxi.csv')}')`, timeColumn: 'timestamp', timeKind: 'timestamp', valueColumns: ['value'] };
const windows = (JSON.parse(readFileSync(example('nab/combined_windows.json'), 'utf8')) as Record<string, string[][]>)['realKnownCause/nyc_taxi.csv']!.map(([a, b]) => ({ start: parseNabTimestamp(a!), end: parseNabTimestamp(b!) }));
const base = { series: 'nyc_taxi', channel: 'value', window: 48, maxGap: 4, label: 'anomaly' };

let db: NativeDatabase;
let engine: Engine;
beforeAll(async () => {
  db = await NativeDatabase.open();
  engine = await db.connect();
});
afterAll(async () => {
  await engine.close();
  db.close();
});

/** A score model: |value − rolling_mean| / rolling_std, i.e. the rolling z-score as an ONNX graph. */
function zscoreModel(): Uint8Array {
  const g = createGraphBuilder();
  const v = g.addInput('value', 'double', ['N', 1]);
  const mean = g.addInput('rolling_mean', 'double', ['N', 1]);
  const sd = g.addInput('rolling_std', 'double', ['N', 1]);
  g.addOutput(g.op('Abs', [g.op('Div', [g.op('Sub', [v, mean]), sd])]), 'score', 'double', ['N', 1]);
  return g.build({ graphName: 'zscore' });
}

describe('model suggestions over a series', () => {
  it('isolationForestSuggestions(nyc_taxi, lag/window features) proposes ranges inside NAB’s labelled anomaly windows among its top five', async () => {
    const progress: number[] = [];
    const found = await isolationForestSuggestions(engine, taxi, createOnnxScorer(), { ...base, quantile: 0.995, seed: 3, progress: (p) => progress.push(p.done) });
    expect(found.length).toBeGreaterThan(2);
    expect(progress).toEqual([10_320]); // one chunk of 50,000 rows
    expect(found[0]!.source).toEqual({ type: 'detector', name: 'isolation-forest' });
    const inWindow = found.slice(0, 5).filter((s) => s.proposal.kind === 'range' && windows.some((w) => s.proposal.kind === 'range' && s.proposal.end >= w.start && s.proposal.start <= w.end));
    expect(inWindow.length).toBeGreaterThan(0);
  }, 30_000);

  it('onnxSuggestions(z-score ONNX model, chunks of 2000 rows) scores every row as the DuckDB z-score detector does, with progress per chunk', async () => {
    const progress: number[] = [];
    const model = { bytes: zscoreModel(), name: 'zscore.onnx' };
    const found = await onnxSuggestions(engine, taxi, model, createOnnxScorer(), { ...base, quantile: 0.999, chunkRows: 2000, progress: (p) => progress.push(p.done) });
    expect(progress).toEqual([2000, 4000, 6000, 8000, 10_000, 10_320]);
    const reference = await zscoreSuggestions(engine, taxi, { ...base, threshold: 3, sourceName: 'z' });
    expect(found[0]!.score).toBeCloseTo(reference[0]!.score, 9);
    expect(found[0]!.source).toEqual({ type: 'model', name: 'model:zscore.onnx' });
    const top = found[0]!.proposal;
    const ref = reference[0]!.proposal;
    expect(top.kind === 'range' && ref.kind === 'range' && top.start <= ref.start && top.end >= ref.start).toBe(true);
  });

  it('onnxSuggestions refuses a model that needs a column the series lacks, and stops when cancelled', async () => {
    const g = createGraphBuilder();
    g.addOutput(g.addInput('temperature', 'double', ['N', 1]), 'score', 'double', ['N', 1]);
    const missing = { bytes: g.build({ graphName: 'm' }), name: 'm.onnx' };
    await expect(onnxSuggestions(engine, taxi, missing, createOnnxScorer(), { ...base, quantile: 0.99 })).rejects.toThrow(/needs a column "temperature".*lag_1, lag_2, diff_1, rolling_mean, rolling_std/);
    const controller = new AbortController();
    const cancelled = onnxSuggestions(engine, taxi, { bytes: zscoreModel(), name: 'z' }, createOnnxScorer(), { ...base, quantile: 0.99, chunkRows: 1000, signal: controller.signal, progress: (p) => p.done >= 3000 && controller.abort() });
    await expect(cancelled).rejects.toThrow(/Cancelled/);
  });

  it('onnxSuggestions(model on a pipeline’s lag/rolling columns) derives value_lag1 and value_rollmean4 as the Lag/Rolling nodes do', async () => {
    const g = createGraphBuilder();
    const v = g.addInput('value', 'double', ['N', 1]);
    const lag = g.addInput('value_lag1', 'double', ['N', 1]);
    const roll = g.addInput('value_rollmean4', 'double', ['N', 1]);
    // |value − value_lag1| + 0 · rolling mean: the jump from the previous row, with the rolling input wired in.
    g.addOutput(g.op('Add', [g.op('Abs', [g.op('Sub', [v, lag])]), g.op('Mul', [roll, g.addInitializer('zero', { type: 'double', dims: [1], values: [0] })])]), 'score', 'double', ['N', 1]);
    const found = await onnxSuggestions(engine, taxi, { bytes: g.build({ graphName: 'jump' }), name: 'jump' }, createOnnxScorer(), { ...base, quantile: 0.999 });
    const biggest = (await engine.query(`SELECT max(d) AS m FROM (SELECT abs(value - lag(value) OVER (ORDER BY timestamp)) AS d FROM ${taxi.relation})`)).get(0)!.toJSON()['m'];
    expect(found[0]!.score).toBe(Number(biggest));
  });
});
