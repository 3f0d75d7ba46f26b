import { describe, expect, it } from 'vitest';
import { asId, type RunId } from '../base/ids';
import type { RunSummary } from './run-model';
import { filterRuns, groupRuns, sortRuns } from './run-query';

function run(id: string, start: number, metrics: Record<string, number>, params: RunSummary['params'] = {}, status: RunSummary['status'] = 'finished'): RunSummary {
  const m: RunSummary['metrics'] = {};
  for (const [k, v] of Object.entries(metrics)) m[k] = { last: v, min: v - 1, max: v + 1, lastStep: 0, lastTimestamp: 0, count: 1 };
  return { id: asId<RunId>(id), experiment: 'e', name: id, status, startTime: start, endTime: null, params, tags: { team: id < 'c' ? 'x' : 'y' }, metrics: m };
}

const runs = [
  run('a', 1, { acc: 0.8 }, { lr: 0.1, depth: '6' }),
  run('b', 2, { acc: 0.9, loss: 1 }, { lr: 0.01, depth: '8' }, 'failed'),
  run('c', 3, {}, { lr: 0.1 }),
  run('d', 4, { acc: Number.NaN }, { lr: 0.5, depth: '6' }),
];

describe('run-query', () => {
  it('sortRuns(runs, metric desc) puts missing and NaN last in both directions', () => {
    expect(sortRuns(runs, [{ field: { kind: 'metric', key: 'acc' }, descending: true }]).map((r) => r.id)).toEqual(['b', 'a', 'd', 'c']);
    expect(sortRuns(runs, [{ field: { kind: 'metric', key: 'acc' }, descending: false }]).map((r) => r.id)).toEqual(['a', 'b', 'd', 'c']);
    expect(sortRuns(runs, [{ field: { kind: 'metric', key: 'acc', agg: 'min' }, descending: false }]).map((r) => r.id)).toEqual(['a', 'b', 'd', 'c']);
  });

  it('sortRuns(runs, param then attribute) compares numbers numerically and breaks ties', () => {
    const sorted = sortRuns(runs, [{ field: { kind: 'param', key: 'lr' }, descending: false }]);
    expect(sorted.map((r) => r.id)).toEqual(['b', 'c', 'a', 'd']);
  });

  it('filterRuns(runs, clauses) ANDs metric, param, tag and attribute clauses', () => {
    const ids = (clauses: Parameters<typeof filterRuns>[1]) => filterRuns(runs, clauses).map((r) => r.id);
    expect(ids([{ field: { kind: 'metric', key: 'acc' }, op: '>', value: 0.85 }])).toEqual(['b']);
    expect(ids([{ field: { kind: 'param', key: 'depth' }, op: '=', value: '6' }])).toEqual(['a', 'd']);
    expect(ids([{ field: { kind: 'param', key: 'lr' }, op: '=', value: '0.1' }])).toEqual(['a', 'c']);
    expect(ids([{ field: { kind: 'attribute', key: 'status' }, op: '!=', value: 'failed' }, { field: { kind: 'tag', key: 'team' }, op: 'LIKE', value: 'x%' }])).toEqual(['a']);
    expect(ids([{ field: { kind: 'attribute', key: 'name' }, op: 'IN', value: ['c', 'd'] }])).toEqual(['c', 'd']);
    expect(ids([{ field: { kind: 'metric', key: 'loss' }, op: '!=', value: 2 }])).toEqual(['b']);
  });

  it('groupRuns(runs, field) groups by value, missing group last', () => {
    const groups = groupRuns(runs, { kind: 'param', key: 'depth' });
    expect(groups.map((g) => [g.value, g.runs.map((r) => r.id)])).toEqual([['6', ['a', 'd']], ['8', ['b']], [undefined, ['c']]]);
  });
});
