import { describe, expect, it } from 'vitest';
import { parseOrderBy, parseSearchFilter } from './mlflow-search';

describe('MLflow search syntax', () => {
  it('parseSearchFilter(filter) reads metrics, params, tags and attributes joined by AND', () => {
    expect(parseSearchFilter("metrics.acc > 0.5 and params.model = 'gbdt' AND tags.`team name` LIKE 'vi%' AND attributes.status = 'FINISHED'")).toEqual([
      { field: { kind: 'metric', key: 'acc' }, op: '>', value: 0.5 },
      { field: { kind: 'param', key: 'model' }, op: '=', value: 'gbdt' },
      { field: { kind: 'tag', key: 'team name' }, op: 'LIKE', value: 'vi%' },
      { field: { kind: 'attribute', key: 'status' }, op: '=', value: 'finished' },
    ]);
    expect(parseSearchFilter('metrics."val loss" <= -1e-3 AND run_name IN (\'a\', "b") AND params.x != \'it\'\'s\'')).toEqual([
      { field: { kind: 'metric', key: 'val loss' }, op: '<=', value: -0.001 },
      { field: { kind: 'attribute', key: 'name' }, op: 'IN', value: ['a', 'b'] },
      { field: { kind: 'param', key: 'x' }, op: '!=', value: "it's" },
    ]);
    expect(parseSearchFilter('')).toEqual([]);
  });
  it('parseSearchFilter rejects OR, unquoted param values, non-numeric metric values and unknown entities', () => {
    expect(() => parseSearchFilter("params.a = 'x' OR params.b = 'y'")).toThrow(/Only AND/);
    expect(() => parseSearchFilter('params.a = 1')).toThrow(/quoted/);
    expect(() => parseSearchFilter("metrics.a > 'x'")).toThrow(/number/);
    expect(() => parseSearchFilter("dataset.a = 'x'")).toThrow(/entity/);
  });
  it('parseOrderBy(entries) reads direction, default ASC', () => {
    expect(parseOrderBy(['metrics.`f1 score` DESC', 'start_time'])).toEqual([
      { field: { kind: 'metric', key: 'f1 score' }, descending: true },
      { field: { kind: 'attribute', key: 'startTime' }, descending: false },
    ]);
  });
});
