import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { UserInputError } from '../base/errors';
import { deriveCellIds, type UnidentifiedCell } from './cell-ids';
import { parseNotebook, serializeNotebook } from './format';
import type { NotebookDoc } from './types';
import { validateNotebook } from './validate';

const fixtureDir = join(import.meta.dirname, 'fixtures');
const fixtures = readdirSync(fixtureDir).filter((f) => f.endsWith('.notebook.md'));

function lineOfError(text: string): number | undefined {
  try {
    parseNotebook(text);
  } catch (error) {
    if (error instanceof UserInputError) return Number(error.detail?.['line']);
    throw error;
  }
  return undefined;
}

const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
const trickyLine = fc.constantFrom('```', '````', '   ```', '```sql name=x', '<!-- cell -->', '---', '~~~', '', '  ', '`` `', '${x}', 'SELECT 1;');
const anyLine = fc.oneof(trickyLine, fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, '')));
const codeSource = fc.array(anyLine, { maxLength: 6 }).map((lines) => lines.join('\n'));
const proseLine = fc.constantFrom('# Title', 'Some *prose* with `code`.', 'line with two spaces  ', '- item', '', '---', '> quote ```sql', '${total}');
const proseBlock = fc.oneof(
  { weight: 4, arbitrary: proseLine },
  { weight: 1, arbitrary: fc.constantFrom('~~~sql\nSELECT * FROM t\n<!-- cell -->\n~~~', '```bash\nls\n```sql name=no\n```', '````md\n```\n````') },
);
const markdownSource = fc.array(proseBlock, { maxLength: 5 }).map((blocks) => {
  const lines = blocks.join('\n').split('\n');
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines.join('\n');
});
const optionKey = fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}$/).filter((k) => k !== 'name' && k !== 'foreign');
const optionValue = fc.oneof(fc.constant<true>(true), fc.string({ maxLength: 8 }), fc.constantFrom('0.5', 'a b', '`x`', '"q"', 'k=v', ''));
const options = fc.dictionary(optionKey, optionValue, { maxKeys: 3 });
const codeCell: fc.Arbitrary<UnidentifiedCell> = fc.record({
  kind: fc.constantFrom('sql' as const, 'js' as const, 'chart' as const, 'input' as const),
  name: fc.option(identifier, { nil: undefined }),
  options,
  source: codeSource,
});
const foreignCell: fc.Arbitrary<UnidentifiedCell> = fc.record({
  kind: fc.constant('foreign' as const),
  language: fc.constantFrom('python', 'r', 'julia', 'sql', 'c++'),
  options,
  source: codeSource,
});
const markdownCell: fc.Arbitrary<UnidentifiedCell> = markdownSource.map((source) => ({ kind: 'markdown', options: {}, source }));
const frontMatter = fc.option(
  fc.dictionary(identifier, fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 })), { maxKeys: 3 })
    .map((record) => (Object.keys(record).length === 0 ? '' : stringify(record).trimEnd())),
  { nil: undefined },
);
const notebook: fc.Arbitrary<NotebookDoc> = fc
  .record({ frontMatter, cells: fc.array(fc.oneof(markdownCell, codeCell, foreignCell), { maxLength: 8 }) })
  .map(({ frontMatter: fm, cells }) => (fm === undefined ? { cells: deriveCellIds(cells) } : { frontMatter: fm, cells: deriveCellIds(cells) }));

describe('parseNotebook / serializeNotebook', () => {
  it.each(fixtures)('serializeNotebook(parseNotebook(text)) gives fixture %s back byte for byte', (file) => {
    const text = readFileSync(join(fixtureDir, file), 'utf8');
    const doc = parseNotebook(text);
    expect(validateNotebook(doc)).toEqual([]);
    expect(serializeNotebook(doc)).toBe(text);
  });

  it('parseNotebook(serializeNotebook(doc)) deep-equals every generated valid doc', () => {
    fc.assert(
      fc.property(notebook, (doc) => {
        expect(validateNotebook(doc)).toEqual([]);
        const text = serializeNotebook(doc);
        expect(parseNotebook(text)).toStrictEqual(doc);
        expect(serializeNotebook(parseNotebook(text))).toBe(text);
      }),
      { numRuns: 400, seed: 20260501 },
    );
  });

  it('parseNotebook(text) reads kinds, names, options and foreign languages of a fixture', () => {
    const doc = parseNotebook(readFileSync(join(fixtureDir, 'seattle-weather.notebook.md'), 'utf8'));
    expect(doc.frontMatter).toContain('title: Seattle weather, 2012–2015');
    expect(doc.frontMatter).toContain('# the data set is');
    expect(doc.cells.map((c) => `${c.id}:${c.kind}`)).toEqual([
      'markdown-1:markdown', '@weather:sql', '@min_rain:input', '@monthly:sql', '@temps:chart', 'markdown-2:markdown', '@wettest:js',
    ]);
    expect(doc.cells[2]!.options).toEqual({ type: 'slider', min: '0', max: '20', step: '0.5', value: '1', label: 'Minimum rain (mm)' });
    const spam = parseNotebook(readFileSync(join(fixtureDir, 'spam-comments.notebook.md'), 'utf8'));
    const python = spam.cells.find((c) => c.kind === 'foreign')!;
    expect(python).toMatchObject({ language: 'python', options: { hide: 'output' } });
    expect(spam.cells[0]!.source).toContain('~~~sql\nSELECT * FROM not_a_cell\n~~~');
    expect(spam.cells.find((c) => c.name === 'longest')!.source).toContain('\n```\nSELECT 1\n```\n');
  });

  it('parseNotebook(text) treats CRLF, a BOM, extra blank lines, trailing spaces, long fences and aliases as their canonical form', () => {
    const messy = '\uFEFF---\r\ntitle: T  \r\n---  \r\n\r\n\r\n\r\n# Hi\r\n\r\n<!-- cell -->   \r\n\r\n\r\nMore\r\n\r\n`````javascript   name="total"  fold \r\n1 + 1\r\n`````   \r\n<!-- cell -->\r\nAfter\r\n\r\n\r\n';
    const canonical = '---\ntitle: T  \n---\n\n# Hi\n\n<!-- cell -->\n\nMore\n\n```js name=total fold\n1 + 1\n```\n\nAfter\n';
    const doc = parseNotebook(messy);
    expect(doc).toStrictEqual(parseNotebook(canonical));
    expect(serializeNotebook(doc)).toBe(canonical);
  });

  it('parseNotebook(text) without front matter keeps frontMatter undefined and a leading --- line stays prose', () => {
    const doc = parseNotebook('Just prose.\n\n```sql name=a\nSELECT 1\n```\n');
    expect(doc.frontMatter).toBeUndefined();
    expect(doc.cells.map((c) => c.kind)).toEqual(['markdown', 'sql']);
    const rule: NotebookDoc = { cells: deriveCellIds([{ kind: 'markdown', options: {}, source: '---\nnot: yaml\n---' }]) };
    const text = serializeNotebook(rule);
    expect(text.startsWith('<!-- cell -->\n\n---')).toBe(true);
    expect(parseNotebook(text)).toStrictEqual(rule);
    expect(parseNotebook('')).toStrictEqual({ cells: [] });
    expect(serializeNotebook({ cells: [] })).toBe('');
  });

  it('parseNotebook(text) reports malformed input with the 1-based line number', () => {
    expect(lineOfError('---\ntitle: x\n\n# no end')).toBe(1);
    expect(lineOfError('---\ntitle: x\nbad: [1, 2\n---\n')).toBe(3);
    expect(lineOfError('---\n- a list\n---\n')).toBe(2);
    expect(lineOfError('# T\n\n```sql name=a\nSELECT 1\n')).toBe(3);
    expect(lineOfError('# T\n\n```js name=1abc\nx\n```\n')).toBe(3);
    expect(lineOfError('# T\n\n```input name=a label="open\n```\n')).toBe(3);
    expect(lineOfError('# T\n\n```sql name=a name=b\n```\n')).toBe(3);
    expect(lineOfError('# T\n\n~~~python\nprint(1)\n\n```sql name=a\nx\n```\n')).toBe(3);
    expect(() => parseNotebook('```sql\nx\n')).toThrow(/line 1: the sql cell opened here is never closed/);
  });

  it('serializeNotebook(doc) lengthens the fence past any backtick line in the source', () => {
    const doc: NotebookDoc = { cells: deriveCellIds([{ kind: 'js', name: 'x', options: {}, source: 'const s = `\n```\n  `````\n`;' }]) };
    const text = serializeNotebook(doc);
    expect(text.split('\n')[0]).toBe('``````js name=x');
    expect(parseNotebook(text)).toStrictEqual(doc);
  });

  it('deriveCellIds(cells) uses @name for unique names and kind-n otherwise, so reloads agree', () => {
    const doc = parseNotebook('```sql name=a\n```\n\n```sql name=a\n```\n\n```sql\n```\n\n```js name=b\n```\n');
    expect(doc.cells.map((c) => c.id)).toEqual(['sql-1', 'sql-2', 'sql-3', '@b']);
    expect(parseNotebook(serializeNotebook(doc)).cells.map((c) => c.id)).toEqual(doc.cells.map((c) => c.id));
  });

  it('validateNotebook(doc) flags Markdown that would split and options that cannot be written', () => {
    const doc: NotebookDoc = {
      cells: deriveCellIds([
        { kind: 'markdown', options: {}, source: 'a\n\n```sql\nSELECT 1\n```' },
        { kind: 'sql', options: { 'bad key': true }, source: '' },
        { kind: 'foreign', options: {}, source: '' },
      ]),
    };
    expect(validateNotebook(doc).map((i) => i.cellId)).toEqual(['markdown-1', 'sql-1', 'foreign-1']);
  });
});
