import { describe, expect, it } from 'vitest';
import fc from 'fast-check';

interface CsvModule {
  CsvParser: new () => { push(text: string): string[][]; end(): string[][] };
  parseCsv(text: string): string[][];
  csvField(value: unknown): string;
}
const csvPath = new URL('./server-template/server/lib/csv.js', import.meta.url).href;
const { CsvParser, parseCsv, csvField } = (await import(csvPath)) as CsvModule;

function chunked(text: string, size: number): string[][] {
  const parser = new CsvParser();
  const out: string[][] = [];
  for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)));
  out.push(...parser.end());
  return out;
}

describe('CsvParser (bundle server and batch scorer)', () => {
  it('parseCsv(text) reads quotes, doubled quotes, embedded CRLF, empty fields, a BOM and skips blank lines', () => {
    const text = '\ufeffa,b,c\r\n1,"x, ""y""\r\nz",3\n\n4,,"6"\r\n"",q,\n';
    expect(parseCsv(text)).toEqual([['a', 'b', 'c'], ['1', 'x, "y"\r\nz', '3'], ['4', '', '6'], ['', 'q', '']]);
  });

  it('CsvParser.push(chunks) gives the same records for every chunk size (CRLF and quotes split across chunks)', () => {
    const text = 'a,b\r\n"1\r\n2","3""4"\r\n5,6\r\n';
    for (let size = 1; size <= text.length; size++) expect(chunked(text, size), String(size)).toEqual(parseCsv(text));
  });

  it('csvField(value) round-trips any table through parseCsv', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é') });
    fc.assert(fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }), (rows) => {
      const width = rows[0]!.length;
      const table = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? 'x')).map((r) => (r.every((v) => v === '') ? ['z', ...r.slice(1)] : r));
      const text = table.map((r) => r.map(csvField).join(',')).join('\r\n');
      expect(chunked(text, 3)).toEqual(table);
    }));
  });

  it('parseCsv(text) rejects an unclosed quote and text after a closing quote', () => {
    expect(() => parseCsv('a\n"abc')).toThrow(/line 2: a quoted field is never closed/);
    expect(() => parseCsv('"ab"c,d\n')).toThrow(/text after a closing quote/);
  });
});
