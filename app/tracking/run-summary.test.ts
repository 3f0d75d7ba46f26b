import { describe, expect, it } from 'vitest';
import { fixedClock } from '../base/clock';
import { createRng } from '../base/rng';
import { createRunRecord, runRecordSchema, type MetricPoint } from './run-model';
import { diffParams, flattenParams, foldMetrics, summarizeMetrics, toRunSummary } from './run-summary';

describe('run-summary', () => {
  it('flattenParams(nested) gives dotted scalar keys, indexes arrays and spells null', () => {
    expect(flattenParams({ model: { depth: 6, kind: 'gbdt', layers: [32, 16] }, seed: 1, on: true, x: null, e: {} })).toEqual({
      'model.depth': 6, 'model.kind': 'gbdt', 'model.layers.0': 32, 'model.layers.1': 16, seed: 1, on: true, x: 'null',
    });
  });

  it('summarizeMetrics(points) takes last by (step, timestamp) like MLflow, min/max over all', () => {
    const points: MetricPoint[] = [
      { key: 'loss', value: 0.9, step: 0, timestamp: 10 },
      { key: 'loss', value: 0.2, step: 2, timestamp: 11 },
      { key: 'loss', value: 0.5, step: 1, timestamp: 30 },
      { key: 'loss', value: 0.3, step: 2, timestamp: 12 },
      { key: 'acc', value: Number.NaN, step: 0, timestamp: 1 },
      { key: 'acc', value: 0.7, step: 1, timestamp: 2 },
    ];
    const s = summarizeMetrics(points);
    expect(s.loss).toEqual({ last: 0.3, min: 0.2, max: 0.9, lastStep: 2, lastTimestamp: 12, count: 4 });
    expect(s.acc).toMatchObject({ last: 0.7, min: 0.7, max: 0.7, count: 2 });
  });

  it('foldMetrics(summary, batch) over batches equals summarizeMetrics(all points)', () => {
    const rng = createRng(3);
    const points: MetricPoint[] = Array.from({ length: 500 }, (_, i) => ({ key: `m${rng.int(4)}`, value: rng.normal(), step: rng.int(50), timestamp: i }));
    const incremental = {};
    for (let i = 0; i < points.length; i += 37) foldMetrics(incremental, points.slice(i, i + 37));
    expect(incremental).toEqual(summarizeMetrics(points));
  });

  it('diffParams(runs) keeps only keys whose values differ, including missing keys and type changes', () => {
    const rows = diffParams([
      { params: { lr: 0.1, depth: 6, seed: 1, kind: 'a' } },
      { params: { lr: 0.1, depth: 8, seed: '1' } },
    ]);
    expect(rows).toEqual([
      { key: 'depth', values: [6, 8] },
      { key: 'kind', values: ['a', undefined] },
      { key: 'seed', values: [1, '1'] },
    ]);
  });

  it('createRunRecord(input) gives a valid running record with a sortable id', () => {
    const clock = fixedClock(1_700_000_000_000, 1000);
    const rng = createRng(1);
    const a = createRunRecord({ experiment: 'exp', params: { lr: 0.1 } }, clock, rng);
    const b = createRunRecord({ experiment: 'exp', name: 'second' }, clock, rng);
    expect(runRecordSchema.parse(a)).toEqual(a);
    expect(a.status).toBe('running');
    expect(a.id < b.id).toBe(true);
    expect(toRunSummary(b, {}).name).toBe('second');
    expect(() => createRunRecord({ experiment: '' }, clock, rng)).toThrow();
  });
});
