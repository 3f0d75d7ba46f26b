import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeIpc } from '../../../app/data/ipc';
import { shapeM4 } from '../../../app/labels/downsample';
import { parseNabTimestamp } from '../../../app/labels/nab';
import { Backend } from '../backend';
import { labelsHandlers } from './labels-service';

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
    const suggested = await h['labels.suggest']({ name: 'taxi', channel: 0, window: 48, threshold: 3, maxGap: 2 }, context());
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
    expect((await h['labels.list']({}, context())).items.map((i) => i.name)).toEqual(['taxi', 'taxi-b']);
  });
});
