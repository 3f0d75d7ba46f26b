import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeIpc } from '../../../app/data/ipc';
import { shapeM4 } from '../../../app/labels/downsample';
import { parseNabTimestamp } from '../../../app/labels/nab';
import { createGraphBuilder } from '../../../app/onnx/builder';
import { Backend } from '../backend';
import { labelsHandlers } from './labels-service';
import { runsResource } from './runs-service';

let dir: string;
let root: string;
let backend: Backend;
let h: ReturnType<typeof labelsHandlers>;
const context = () => ({ signal: new AbortController().signal, progress: () => undefined });
const example = join(import.meta.dirname, '../../../examples/timeseries');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vajra-labels-service-'));
  root = join(dir, 'ws');
  cpSync(example, root, { recursive: true });
  backend = new Backend({ version: 'test', shape: 'browser', configDir: join(dir, 'config'), examplesDir: join(dir, 'examples'), userWorkspacesDir: join(dir, 'home') });
  await backend.openWorkspace(root);
  h = labelsHandlers(backend);
});
afterAll(async () => {
  await backend.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('labelsHandlers(backend) on the timeseries example', () => {
  it('labels.create({file}) detects columns; series.window returns ≤ pixels M4 buckets covering every row', async () => {
    const created = await h['labels.create']({ name: 'taxi', file: 'data/nyc_taxi.csv' }, context());
    expect(created.meta.target).toEqual({ file: 'data/nyc_taxi.csv', timeColumn: 'timestamp', valueColumns: ['value'] });
    const opened = await h['labels.open']({ name: 'taxi' }, context());
    expect(opened.extent.rows).toBe(10320);
    expect(opened.extent.from).toBe(parseNabTimestamp('2014-07-01 00:00:00'));
    const { from, to } = opened.extent;
    const result = await h['series.window']({ source: created.meta.target, from, to, pixels: 500 }, context());
    const w = shapeM4(decodeIpc(result.bytes), { from, to, pixels: 500, valueColumns: ['value'] });
    expect(w.buckets).toBeLessThanOrEqual(500);
    expect(w.count.reduce((a, b) => a + b, 0)).toBe(10320);
    expect(Math.max(...w.channels[0]!.max)).toBe(39197);
  });

  it('labels.apply, suggest, accept, import NAB, export CSV/table, reopen: everything is on disk', async () => {
    const add = { op: 'add' as const, label: { kind: 'range' as const, id: 'l1', series: 'data/nyc_taxi.csv', start: parseNabTimestamp('2014-08-01 00:00:00'), end: parseNabTimestamp('2014-08-02 00:00:00'), label: 'anomaly' } };
    expect(await h['labels.apply']({ name: 'taxi', op: add, baseSeq: 0 }, context())).toEqual({ seq: 1, duplicate: false });
    expect(await h['labels.apply']({ name: 'taxi', op: add, baseSeq: 0 }, context())).toEqual({ seq: 1, duplicate: true });
    const suggested = await h['labels.suggest']({ name: 'taxi', channel: 0, window: 48, threshold: 3, maxGap: 2, detector: 'zscore', quantile: 0.99 }, context());
    expect(suggested.added).toBeGreaterThan(0);
    const open1 = await h['labels.open']({ name: 'taxi' }, context());
    const first = open1.suggestions[0]!;
    await h['labels.apply']({ name: 'taxi', op: { op: 'acceptSuggestion', id: first.id }, baseSeq: open1.seq }, context());
    const windows = readFileSync(join(root, 'nab/combined_windows.json'), 'utf8');
    const imported = await h['labels.import']({ name: 'taxi', format: 'nab', text: windows }, context());
    expect(imported.added).toBe(5);
    const csv = await h['labels.export']({ name: 'taxi', format: 'csv' }, context());
    expect(csv.text!.trim().split('\n')).toHaveLength(1 + 1 + 1 + 5);
    const table = await h['labels.export']({ name: 'taxi', format: 'table' }, context());
    expect(table).toMatchObject({ table: 'labels_taxi', rows: 10320 });
    await backend.openWorkspace(root);
    h = labelsHandlers(backend);
    const reopened = await h['labels.open']({ name: 'taxi' }, context());
    expect(reopened.labels.map((l) => l.id).sort()).toEqual(['l1', first.id, ...Array.from({ length: 5 }, (_, i) => `realKnownCause/nyc_taxi.csv#${i}`)].sort());
    expect(reopened.progress.resolvedSuggestions).toBe(1);
  });

  it('labels.markReviewed and labels.agreement: progress grows; a set agrees with itself (kappa 1)', async () => {
    const { extent } = await h['labels.open']({ name: 'taxi' }, context());
    const half = extent.from + (extent.to - extent.from) / 2;
    const progress = await h['labels.markReviewed']({ name: 'taxi', from: extent.from, to: half }, context());
    expect(progress.reviewedFraction).toBeCloseTo(0.5, 6);
    await h['labels.create']({ name: 'taxi-b', file: 'data/nyc_taxi.csv' }, context());
    await h['labels.import']({ name: 'taxi-b', format: 'nab', text: readFileSync(join(root, 'nab/combined_windows.json'), 'utf8') }, context());
    const self = await h['labels.agreement']({ a: 'taxi', b: 'taxi' }, context());
    expect(self).toMatchObject({ iou: 1, kappa: 1, samples: 10320 });
    const other = await h['labels.agreement']({ a: 'taxi', b: 'taxi-b' }, context());
    expect(other.kappa).toBeLessThan(1);
    expect(other.kappa).toBeGreaterThan(0.5);
    expect((await h['labels.list']({}, context())).items.map((i) => i.name)).toEqual(['machine_temperature_windows', 'taxi', 'taxi-b']);
  });

  it('labels.suggest({detector: isolationForest | model}) adds scored ranges; labels.scoreModels lists score models from runs and files', async () => {
    await h['labels.create']({ name: 'taxi-m', file: 'data/nyc_taxi.csv' }, context());
    const steps: number[] = [];
    const params = { name: 'taxi-m', channel: 0, window: 48, threshold: 3, maxGap: 4, quantile: 0.995 };
    const forest = await h['labels.suggest']({ ...params, detector: 'isolationForest' }, { ...context(), progress: (p: { done: number }) => steps.push(p.done) });
    expect(forest).toMatchObject({ source: 'isolation-forest' });
    expect(forest.added).toBeGreaterThan(0);
    expect(steps.at(-1)).toBe(10320);
    // A model whose output is a score: |value − rolling mean| / rolling sd, as a file and as a run's model.onnx.
    const g = createGraphBuilder();
    const [v, m, sd] = ['value', 'rolling_mean', 'rolling_std'].map((n) => g.addInput(n, 'double', ['N', 1]));
    g.addOutput(g.op('Abs', [g.op('Div', [g.op('Sub', [v!, m!]), sd!])]), 'score', 'double', ['N', 1]);
    const bytes = g.build({ graphName: 'z' });
    mkdirSync(join(root, 'models'), { recursive: true });
    writeFileSync(join(root, 'models/zscore.onnx'), bytes);
    const { store } = await runsResource(backend);
    const run = await store.createRun({ experiment: 'detectors', name: 'z-score detector' });
    await store.addArtifact(run.id, 'model.onnx', bytes, 'model');
    const models = await h['labels.scoreModels']({}, context());
    expect(models.items).toEqual(expect.arrayContaining([
      { ref: 'models/zscore.onnx', name: 'models/zscore.onnx', kind: 'file', output: 'score' },
      { ref: run.id, name: 'z-score detector', kind: 'run', output: 'score' },
    ]));
    const fromRun = await h['labels.suggest']({ ...params, detector: 'model', model: run.id }, context());
    expect(fromRun).toMatchObject({ source: 'model:z-score detector' });
    expect(fromRun.added).toBeGreaterThan(0);
    const opened = await h['labels.open']({ name: 'taxi-m' }, context());
    const sources = new Set(opened.suggestions.map((sg) => `${sg.source.type}:${sg.source.name}:${sg.source.run ?? ''}`));
    expect(sources).toEqual(new Set(['detector:isolation-forest:', `model:model:z-score detector:${run.id}`]));
    await expect(h['labels.suggest']({ ...params, detector: 'model', model: 'models/none.onnx' }, context())).rejects.toThrow(/no model file/);
  }, 30_000);
});
