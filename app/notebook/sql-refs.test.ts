import { describe, expect, it } from 'vitest';
import { sqlReferences } from './sql-refs';
import { tokenizeSql } from './sql-tokens';

const tables = (sql: string) => sqlReferences(sql).tables;

describe('sqlReferences(sql)', () => {
  it('sqlReferences(sql) excludes CTE names: WITH x AS (…) SELECT * FROM x JOIN trips reads only trips', () => {
    expect(tables('WITH x AS (SELECT * FROM raw) SELECT * FROM x JOIN trips ON x.id = trips.id')).toEqual(['raw', 'trips']);
    expect(tables('WITH a AS (SELECT 1), b AS (SELECT * FROM a) SELECT * FROM b, c')).toEqual(['c']);
  });

  it('sqlReferences(sql) lets a CTE body read a table of the same name (non-recursive scope)', () => {
    expect(tables('WITH trips AS (SELECT * FROM trips WHERE fare > 0) SELECT * FROM trips')).toEqual(['trips']);
    expect(tables('WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 5) SELECT * FROM t')).toEqual([]);
  });

  it('sqlReferences(sql) keeps a CTE inside its subquery', () => {
    expect(tables('SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x) s JOIN x USING (id)')).toEqual(['x']);
  });

  it('sqlReferences(sql) ignores names in strings, comments and quoted aliases', () => {
    const sql = `-- FROM commented\n/* JOIN hidden /* nested */ still */ SELECT 'FROM fake' AS "FROM alias", $$FROM dollar$$ FROM real_table`;
    expect(tables(sql)).toEqual(['real_table']);
    expect(tables("SELECT E'it\\'s FROM x' FROM y")).toEqual(['y']);
  });

  it('sqlReferences(sql) reads quoted and qualified names, comma lists, subqueries and every join kind', () => {
    expect(tables('SELECT * FROM "My Table" t, main.trips, (SELECT * FROM inner_t) s LEFT JOIN a ON true ASOF JOIN b USING (ts) CROSS JOIN LATERAL (SELECT 1) z')).toEqual([
      'My Table', 'main.trips', 'inner_t', 'a', 'b',
    ]);
    expect(tables('SELECT * FROM t WHERE id IN (SELECT id FROM u) AND EXISTS (SELECT 1 FROM v)')).toEqual(['t', 'u', 'v']);
    expect(tables('FROM trips SELECT a, b')).toEqual(['trips']);
    expect(tables('SUMMARIZE trips; DESCRIBE weather; TABLE x')).toEqual(['trips', 'weather', 'x']);
  });

  it('sqlReferences(sql) does not take FROM inside EXTRACT, TRIM, SUBSTRING or IS DISTINCT FROM as a table', () => {
    expect(tables("SELECT EXTRACT(year FROM ts), TRIM(BOTH 'x' FROM s), SUBSTRING(s FROM 2) FROM events WHERE a IS DISTINCT FROM b")).toEqual(['events']);
  });

  it('sqlReferences(sql) reports files and $params, not positional parameters or table functions', () => {
    const refs = sqlReferences("SELECT * FROM 'data/a.csv' JOIN read_parquet('data/b.parquet') USING (id) JOIN range(10) r ON true WHERE x > $threshold AND y = $1 AND z = ?");
    expect(refs).toEqual({ tables: [], files: ['data/a.csv', 'data/b.parquet'], params: ['threshold'] });
    expect(sqlReferences("SELECT * FROM read_csv('x.csv', header = true) WHERE d >= $since").params).toEqual(['since']);
  });

  it('tokenizeSql(sql) never throws on unterminated strings or comments', () => {
    expect(tokenizeSql("SELECT 'open").at(-1)).toEqual({ type: 'string', text: 'open' });
    expect(tokenizeSql('SELECT /* open')).toHaveLength(1);
    expect(tables('SELECT * FROM (SELECT * FROM t')).toEqual(['t']);
  });
});
