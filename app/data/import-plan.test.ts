import { describe, expect, it } from 'vitest';
import { deriveTableName, detectFormat, readFunctionSql } from './import-plan';

describe('detectFormat(path)', () => {
  it('maps extensions case-insensitively and ignores .gz', () => {
    expect(['a.CSV', 'b.tsv', 'c.json', 'd.jsonl', 'e.parquet', 'f.feather', 'g.csv.gz', 'dir.x/h', 'i.xlsx'].map(detectFormat))
      .toEqual(['csv', 'tsv', 'json', 'ndjson', 'parquet', 'arrow', 'csv', null, null]);
  });
});

describe('deriveTableName(path, taken)', () => {
  it('sanitises, prefixes a leading digit and avoids taken names case-insensitively', () => {
    expect(deriveTableName('/x/My Sales (2024).csv', [])).toBe('my_sales_2024');
    expect(deriveTableName('C:\\d\\2024-q1.parquet', [])).toBe('t_2024_q1');
    expect(deriveTableName('data.csv.gz', ['DATA', 'data_2'])).toBe('data_3');
    expect(deriveTableName('....csv', [])).toBe('data');
  });
});

describe('readFunctionSql(format, path)', () => {
  it('reads CSV strictly with a fixed delimiter and quotes the path', () => {
    expect(readFunctionSql('csv', "it's.csv")).toBe(`read_csv('it''s.csv', delim=',', header=true, strict_mode=true, skip=0)`);
    expect(readFunctionSql('tsv', 'a.tsv', { header: false })).toBe(`read_csv('a.tsv', delim='\\t', header=false, strict_mode=true, skip=0)`);
    expect(readFunctionSql('arrow', 'a.arrow')).toBeNull();
  });
});
