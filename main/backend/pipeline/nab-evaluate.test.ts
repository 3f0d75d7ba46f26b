import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../app/data/engine';
import { NAB_PROFILES, parseNabTimestamp, scoreNabFile } from '../../../app/labels/nab';
import { createGraphBuilder } from '../../../app/onnx/builder';
import type { PipelineDoc } from '../../../app/pipeline/document';
import { NativeDatabase } from '../data/native-engine';
import { importOps } from '../labels/label-io';
import { LabelStore } from '../labels/label-store';
import { openRunStore, type RunStore } from '../runs/run-store';
import { registerDataViews } from './data-views';
import { createOnnxScorer } from './onnx-scorer';
import { trainPipeline, type PipelineHost } from './runner';
import { createTrainPool, type TrainPool } from './worker-pool';

const EXAMPLE = new URL('../../../examples/timeseries/', import.meta.url);
const NAB = join(process.cwd(), '..', 'shared', 'data', 'nab');
const TAXI_KEY = 'realKnownCause/nyc_taxi.csv';

let root: string;
let db: NativeDatabase;
let engine: Engine;
let pool: TrainPool;
let store: RunStore;
let host: PipelineHost;

/** A label set over nyc_taxi holding NAB's windows for the file, imported as the app imports them. */
async function taxiLabelSet(name: string): Promise<void> {
  const meta = { format: 1 as const, id: name, name, classes: [{ name: 'anomaly', color: '#e5534b', key: 1 }], target: { file: 'data/nyc_taxi.csv', timeColumn: 'timestamp', valueColumns: ['value'] }, series: TAXI_KEY };
  const labels = await LabelStore.create(join(root, 'labels', name), meta);
  const windows = await readFile(join(root, 'nab/combined_windows.json'), 'utf8');
  for (const op of importOps(labels.state, meta, 'nab', windows, TAXI_KEY)) await labels.apply(op);
  await labels.close();
}

/** An ONNX model that returns its `anomaly_score` input as `score`: NAB's detector output as an imported model. */
function identityModel(): Uint8Array {
  const g = createGraphBuilder();
  const input = g.addInput('anomaly_score', 'double', ['N', 1]);
  g.addOutput(input, 'score', 'double', ['N', 1]);
  return g.build({ graphName: 'passthrough' });
}

function pipeline(nodes: PipelineDoc['nodes'], edges: Array<[string, string, string, string]>): PipelineDoc {
  return { id: 'nab', name: 'NAB', version: 1, nodes, edges: edges.map(([a, ap, b, bp]) => ({ id: `${a}.${ap}->${b}.${bp}`, from: { node: a, port: ap }, to: { node: b, port: bp } })) };
}
const at = { x: 0, y: 0 };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vajra-nab-'));
  await cp(EXAMPLE, root, { recursive: true });
  await mkdir(join(root, 'models'));
  await writeFile(join(root, 'models/passthrough.onnx'), identityModel());
  db = await NativeDatabase.open(':memory:', { file_search_path: root });
  engine = await db.connect();
  await registerDataViews(engine, root);
  pool = createTrainPool(1);
  store = await openRunStore(root);
  host = { root, engine, fitModel: pool.fit, score: createOnnxScorer(), concurrency: 1, version: 'test' };
  await taxiLabelSet('taxi');
});
afterAll(async () => {
  await store.close();
  await pool.close();
  await engine.close();
  db.close();
  await rm(root, { recursive: true, force: true });
});

describe('Evaluate node with NAB scoring', () => {
  it('trainPipeline(imported passthrough model over numenta’s nyc_taxi results, label set) gives NAB’s published score and counts, as scoreNabFile does', async () => {
    const results = join(NAB, 'results/numenta/realKnownCause/numenta_nyc_taxi.csv');
    const threshold = (JSON.parse(await readFile(join(NAB, 'config/thresholds.json'), 'utf8')) as Record<string, Record<string, { threshold: number }>>)['numenta']!['standard']!.threshold;
    const doc = pipeline([
      { id: 'source', kind: 'source', params: { from: 'sql', sql: `SELECT timestamp, anomaly_score FROM read_csv('${results}')` }, position: at },
      { id: 'model', kind: 'importedOnnx', params: { file: 'models/passthrough.onnx', inputs: {} }, position: at },
      { id: 'evaluate', kind: 'evaluate', params: { labelSet: 'taxi', timeColumn: 'timestamp', nabProfile: 'standard', threshold }, position: at },
    ], [['model', 'model', 'evaluate', 'model'], ['source', 'data', 'evaluate', 'data']]);
    const result = await trainPipeline(host, { doc, path: 'nab.pipeline.json' });
    expect(result.execution.failed?.error?.message).toBeUndefined();
    const m = result.metrics;
    const published = (await readFile(join(NAB, 'results/numenta/numenta_standard_scores.csv'), 'utf8')).split('\n').find((l) => l.includes(TAXI_KEY))!.split(',');
    expect(m['nab_score']).toBeCloseTo(Number(published[4]), 6);
    expect([m['nab_tp'], m['nab_tn'], m['nab_fp'], m['nab_fn']]).toEqual(published.slice(5, 9).map(Number));
    // The same numbers straight from app/labels/nab.ts on the CSV as NAB reads it.
    const rows = (await readFile(results, 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));
    const windows = (JSON.parse(await readFile(join(root, 'nab/combined_windows.json'), 'utf8')) as Record<string, string[][]>)[TAXI_KEY]!.map(([a, b]) => ({ start: parseNabTimestamp(a!), end: parseNabTimestamp(b!) }));
    const direct = scoreNabFile({ x: rows.map((r) => parseNabTimestamp(r[0]!)), scores: rows.map((r) => Number(r[2])), windows, cost: NAB_PROFILES.standard, threshold });
    expect(m['nab_score']).toBe(direct.score);
    expect(m['nab_windows']).toBe(5);
  });

  it('trainPipeline(isolation forest on nyc_taxi lag/rolling features, label set, best threshold) records NAB score, counts and delay in the run', async () => {
    const sql = `SELECT timestamp, value, lag(value, 1) OVER w AS lag1, lag(value, 48) OVER w AS lag48,
      avg(value) OVER (w ROWS 47 PRECEDING) AS mean48, stddev_pop(value) OVER (w ROWS 47 PRECEDING) AS sd48
      FROM nyc_taxi WINDOW w AS (ORDER BY timestamp) QUALIFY lag48 IS NOT NULL ORDER BY timestamp`;
    const features = ['value', 'lag1', 'lag48', 'mean48', 'sd48'];
    const doc = pipeline([
      { id: 'source', kind: 'source', params: { from: 'sql', sql }, position: at },
      { id: 'iforest', kind: 'isolationForest', params: { features, nTrees: 50, sampleSize: 256, seed: 7 }, position: at },
      { id: 'evaluate', kind: 'evaluate', params: { labelSet: 'taxi', labelClass: 'anomaly', timeColumn: 'timestamp', nabProfile: 'reward_low_FN_rate', threshold: 'best' }, position: at },
    ], [['source', 'data', 'iforest', 'train'], ['iforest', 'model', 'evaluate', 'model'], ['source', 'data', 'evaluate', 'data']]);
    const result = await trainPipeline(host, { doc, path: 'nab.pipeline.json', store });
    expect(result.execution.failed?.error?.message).toBeUndefined();
    const m = result.metrics;
    expect(m['nab_windows']).toBe(5);
    expect(m['nab_tp']! + m['nab_fp']! + m['nab_fn']! + m['nab_tn']!).toBeGreaterThan(8000);
    // The best threshold beats never firing (−2 per window under reward_low_FN_rate), so something is detected.
    expect(m['nab_score']!).toBeGreaterThan(-10);
    expect(m['nab_detected_windows']!).toBeGreaterThan(0);
    expect(m['nab_delay_mean']!).toBeGreaterThanOrEqual(0);
    expect(m['nab_score_normalized']).toBeCloseTo((100 * (m['nab_score']! + 10)) / 15, 9);
    const logged = await store.readMetrics(result.runId!);
    expect(logged.find((p) => p.key === 'nab_score')!.value).toBe(m['nab_score']);
    const evaluation = result.execution.outputs.get('evaluate')!['metrics'];
    if (evaluation?.type !== 'metrics') throw new Error('no metrics');
    expect(evaluation.evaluation.nab).toMatchObject({ labelSet: 'taxi', thresholdMode: 'best', windows: 5, profile: 'reward_low_FN_rate' });
    expect(evaluation.evaluation.nab!.labelVersion).toMatch(/^sha256:/);
  }, 60_000);
});
