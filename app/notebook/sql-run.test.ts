import { describe, expect, it } from 'vitest';
import { bindParamsAsVariables, cellTableName, isQueryStatement, notebookSchema, setVariableSql, splitStatements, toSqlParam } from './sql-run';

describe('sql-run', () => {
  it('splitStatements(sql) splits at top-level semicolons only, keeping offsets', () => {
    const sql = "SET threads = 1;\nSELECT ';' AS a, \"x;y\" -- c;\nFROM t /* ; */;\n-- only a comment;\n";
    const parts = splitStatements(sql);
    expect(parts.map((p) => p.sql.trim())).toEqual(['SET threads = 1', 'SELECT \';\' AS a, "x;y" -- c;\nFROM t /* ; */']);
    expect(parts[1]!.offset).toBe(sql.indexOf('\nSELECT'));
  });

  it('bindParamsAsVariables(sql) rewrites $name outside strings and comments and lists the names once', () => {
    const bound = bindParamsAsVariables("SELECT * FROM t WHERE a > $min AND b = '$min' -- $no\n AND c < $max AND d > $min AND e = $1");
    expect(bound.names).toEqual(['min', 'max']);
    expect(bound.sql).toBe("SELECT * FROM t WHERE a > getvariable('vajra_min') AND b = '$min' -- $no\n AND c < getvariable('vajra_max') AND d > getvariable('vajra_min') AND e = $1");
  });

  it('setVariableSql(name, value) writes typed literals and quotes text safely', () => {
    expect(setVariableSql('n', 3)).toBe('SET VARIABLE "vajra_n" = 3::BIGINT');
    expect(setVariableSql('x', 0.5)).toBe('SET VARIABLE "vajra_x" = 0.5::DOUBLE');
    expect(setVariableSql('s', "it's")).toBe(`SET VARIABLE "vajra_s" = 'it''s'`);
    expect(setVariableSql('l', ['a', true, null])).toBe(`SET VARIABLE "vajra_l" = ['a', TRUE, NULL]`);
  });

  it('toSqlParam(name, value) refuses objects and non-finite numbers with a message naming $name', () => {
    expect(() => toSqlParam('p', { a: 1 })).toThrow(/\$p is an object/);
    expect(() => toSqlParam('q', Number.NaN)).toThrow(/\$q is NaN/);
    expect(toSqlParam('d', undefined)).toBeNull();
  });

  it('isQueryStatement(sql) tells row-producing statements from DDL', () => {
    expect(isQueryStatement('  (SELECT 1)')).toBe(true);
    expect(isQueryStatement('WITH a AS (SELECT 1) SELECT * FROM a')).toBe(true);
    expect(isQueryStatement('SUMMARIZE t')).toBe(true);
    expect(isQueryStatement('CREATE TABLE x AS SELECT 1')).toBe(false);
    expect(isQueryStatement('INSTALL spatial')).toBe(false);
  });

  it('notebookSchema(path) and cellTableName(cell) are identifiers', () => {
    expect(notebookSchema('reports/Q3 census.notebook.md')).toBe('nb_reports_q3_census');
    expect(cellTableName({ id: 'sql-3' })).toBe('_cell_sql_3');
    expect(cellTableName({ id: '@trips', name: 'trips' })).toBe('trips');
  });
});
