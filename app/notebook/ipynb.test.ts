import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNotebook, serializeNotebook } from './format';
import { exportIpynb, importIpynb } from './ipynb';
import { validateNotebook } from './validate';

const dir = join(import.meta.dirname, 'fixtures');
const wine = readFileSync(join(dir, 'wine-quality.ipynb'), 'utf8');

describe('importIpynb / exportIpynb', () => {
  it('importIpynb(json) keeps Markdown, turns %%sql into SQL and python/raw cells into foreign ones, drops outputs', () => {
    const doc = importIpynb(wine);
    expect(doc.cells.map((c) => [c.id, c.kind, c.language ?? c.name ?? ''])).toEqual([
      ['markdown-1', 'markdown', ''],
      ['foreign-1', 'foreign', 'python'],
      ['@by_quality', 'sql', 'by_quality'],
      ['markdown-2', 'markdown', ''],
      ['foreign-2', 'foreign', 'python'],
      ['foreign-3', 'foreign', 'raw'],
    ]);
    expect(doc.cells[2]!.source).toBe("SELECT quality, count(*) AS n, avg(alcohol) AS alcohol\nFROM 'data/wine-quality.csv'\nGROUP BY quality\nORDER BY quality");
    expect(doc.cells[3]!.source).toBe('Higher quality wines tend to have **more alcohol**.');
    expect(doc.frontMatter).toBe('jupyter:\n  kernelspec:\n    display_name: Python 3 (ipykernel)\n    language: python\n    name: python3');
    expect(validateNotebook(doc)).toEqual([]);
    const text = serializeNotebook(doc);
    expect(text).not.toContain('2198');
    expect(parseNotebook(text)).toStrictEqual(doc);
  });

  it('exportIpynb(doc) writes nbformat 4.5 with valid unique cell ids and the kernelspec from the front matter', () => {
    const doc = importIpynb(wine, { title: 'Wine' });
    const nb = JSON.parse(exportIpynb(doc)) as { nbformat: number; nbformat_minor: number; metadata: { kernelspec: { name: string } }; cells: Array<{ id: string; cell_type: string; source: string[]; outputs?: unknown[] }> };
    expect([nb.nbformat, nb.nbformat_minor]).toEqual([4, 5]);
    expect(nb.metadata.kernelspec.name).toBe('python3');
    for (const cell of nb.cells) expect(cell.id).toMatch(/^[a-zA-Z0-9-_]{1,64}$/);
    expect(new Set(nb.cells.map((c) => c.id)).size).toBe(nb.cells.length);
    expect(nb.cells[2]!.source.slice(0, 2)).toEqual(['%%sql by_quality <<\n', 'SELECT quality, count(*) AS n, avg(alcohol) AS alcohol\n']);
    expect(nb.cells.map((c) => c.cell_type)).toEqual(['markdown', 'code', 'code', 'markdown', 'code', 'raw']);
    expect(doc.frontMatter).toMatch(/^title: Wine\n/);
  });

  it.each(readdirSync(dir).filter((f) => f.endsWith('.notebook.md')))('importIpynb(exportIpynb(doc)) gives back fixture %s', (file) => {
    const doc = parseNotebook(readFileSync(join(dir, file), 'utf8'));
    const exported = exportIpynb(doc);
    expect(importIpynb(exported)).toStrictEqual(doc);
    expect(exported).not.toMatch(/"outputs": \[\s*\{/);
  });

  it('importIpynb(json) rejects text that is not an nbformat 4 notebook', () => {
    expect(() => importIpynb('{')).toThrow(/not a Jupyter notebook/);
    expect(() => importIpynb('{"nbformat": 3, "cells": []}')).toThrow(/not an nbformat 4 notebook: nbformat/);
  });
});
