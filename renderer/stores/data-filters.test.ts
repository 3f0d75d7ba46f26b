import { describe, expect, it } from 'vitest';
import { buildWindowQuery } from '../../app/data/window';
import { filterFromText } from './data-filters';

describe('filterFromText(column, type, text)', () => {
  it.each([
    ['age', 'BIGINT', '', null],
    ['age', 'BIGINT', '>=60', { kind: 'range', column: 'age', min: 60 }],
    ['age', 'BIGINT', '< 18', { kind: 'range', column: 'age', max: 18 }],
    ['age', 'BIGINT', '20..30', { kind: 'range', column: 'age', min: 20, max: 30 }],
    ['age', 'BIGINT', '42', { kind: 'equals', column: 'age', value: 42 }],
    ['age', 'BIGINT', 'null', { kind: 'equals', column: 'age', value: null }],
    ['day', 'DATE', '2020-01-01..2020-02-01', { kind: 'range', column: 'day', min: '2020-01-01', max: '2020-02-01' }],
    ['name', 'VARCHAR', 'Doc', { kind: 'contains', column: 'name', text: 'Doc' }],
    ['name', 'VARCHAR', '=Doctorate', { kind: 'equals', column: 'name', value: 'Doctorate' }],
    ['name', 'VARCHAR', '>=b', { kind: 'contains', column: 'name', text: '>=b' }],
  ])('(%s, %s, %j) → %j', (column, type, text, expected) => {
    expect(filterFromText(column, type, text)).toEqual(expected);
  });

  it('a typed quote stays inside the SQL literal', () => {
    const filter = filterFromText('name', 'VARCHAR', "o'brien")!;
    expect(buildWindowQuery({ source: { kind: 'table', name: 't' }, filters: [filter], offset: 0, limit: 1 })).toContain("'o''brien'");
  });
});
