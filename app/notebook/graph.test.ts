import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInputSpec, parseChartSpec } from './cell-specs';
import { cellDefines, cellReferences } from './deps';
import { parseNotebook } from './format';
import { buildGraph } from './graph';

const fixture = (name: string) => parseNotebook(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'));

describe('cellDefines / cellReferences / buildGraph', () => {
  it('buildGraph(doc) links the seattle fixture: SQL tables, $params, chart table, JS and ${…} variables', () => {
    const graph = buildGraph(fixture('seattle-weather.notebook.md'));
    const up = (id: string) => graph.nodes[id as never]!.upstream.map((u) => `${u.id}<${u.name}`);
    expect(up('@weather')).toEqual([]);
    expect(graph.nodes['@weather' as never]!.files).toEqual(['data/seattle-weather.csv']);
    expect(up('@monthly')).toEqual(['@weather<weather', '@min_rain<min_rain']);
    expect(up('@temps')).toEqual(['@monthly<monthly']);
    expect(up('@wettest')).toEqual(['@monthly<monthly']);
    expect(up('markdown-2')).toEqual(['@wettest<wettest']);
    expect(graph.nodes['@monthly' as never]!.downstream).toEqual(['@temps', '@wettest']);
    expect(Object.values(graph.nodes).flatMap((n) => n.errors)).toEqual([]);
  });

  it('buildGraph(doc) matches SQL tables case-insensitively and leaves data set tables unresolved', () => {
    const doc = parseNotebook('```sql name=Trips\nSELECT * FROM raw_trips\n```\n\n```sql name=b\nSELECT * FROM TRIPS\n```\n\n```js name=c\ntrips\n```\n');
    const graph = buildGraph(doc);
    expect(graph.nodes['@b' as never]!.upstream).toEqual([{ id: '@Trips', name: 'TRIPS' }]);
    expect(graph.nodes['@c' as never]!.upstream).toEqual([]);
    expect(graph.nodes['@c' as never]!.unresolved).toEqual([{ name: 'trips', via: 'variable' }]);
    expect(graph.nodes['@Trips' as never]!.unresolved).toEqual([{ name: 'raw_trips', via: 'table' }]);
  });

  it('buildGraph(doc) puts a cycle error on every cell of the cycle, including self-references', () => {
    const doc = parseNotebook('```js name=a\nc + 1\n```\n\n```js name=b\na + 1\n```\n\n```js name=c\nb + 1\n```\n\n```js name=d\na\n```\n\n```sql name=e\nSELECT * FROM e\n```\n');
    const graph = buildGraph(doc);
    for (const id of ['@a', '@b', '@c']) expect(graph.nodes[id as never]!.errors).toEqual([{ kind: 'cycle', message: 'cycle: a → b → c → a' }]);
    expect(graph.nodes['@d' as never]!.errors).toEqual([]);
    expect(graph.nodes['@e' as never]!.errors.map((e) => e.kind)).toEqual(['cycle']);
  });

  it('buildGraph(doc) flags duplicate names on each definer and links readers to all of them', () => {
    const doc = parseNotebook('```sql name=t\nSELECT 1\n```\n\n```js name=T\n2\n```\n\n```sql name=u\nSELECT * FROM t\n```\n');
    const graph = buildGraph(doc);
    expect(graph.nodes['@t' as never]!.errors.map((e) => e.kind)).toEqual(['duplicate-name']);
    expect(graph.nodes['@T' as never]!.errors.map((e) => e.kind)).toEqual(['duplicate-name']);
    expect(graph.nodes['@u' as never]!.upstream.map((u) => u.id)).toEqual(['@t', '@T']);
  });

  it('buildGraph(doc) reports syntax errors, bad chart specs, bad inputs and global names as invalid', () => {
    const doc = parseNotebook('```js name=a\nconst = 1\n```\n\n```chart name=c\nmark: pie\ntable: a\n```\n\n```input name=i type=slider\n```\n\n```js name=Math\n1\n```\n\nBad ${x +}\n');
    const graph = buildGraph(doc);
    const errors = graph.order.map((id) => graph.nodes[id]!.errors.map((e) => e.message).join('; '));
    expect(errors[0]).toMatch(/^line 1: Unexpected token/);
    expect(errors[1]).toMatch(/^chart spec mark/);
    expect(errors[2]).toBe('a slider needs min and max');
    expect(errors[3]).toMatch(/hides the JavaScript global/);
    expect(errors[4]).toMatch(/^line 1: \$\{…\}/);
  });

  it('cellDefines(cell) is the name of runnable cells; inputs and foreign cells read nothing', () => {
    const doc = fixture('spam-comments.notebook.md');
    expect(doc.cells.map((c) => cellDefines(c).join())).toEqual(['', 'comments', 'link_rate', 'longest', '']);
    const python = doc.cells[4]!;
    expect(cellReferences(python)).toEqual({ refs: [], files: [] });
    expect(cellReferences(doc.cells[1]!).files).toEqual(['data/Youtube01-Psy.csv']);
  });

  it('parseInputSpec(cell) and parseChartSpec(source) read the penguins fixture', () => {
    const doc = fixture('penguins.notebook.md');
    expect(parseInputSpec(doc.cells[1]!)).toEqual({ ok: true, value: { type: 'select', choices: ['Biscoe', 'Dream', 'Torgersen'], value: 'Biscoe', label: undefined } });
    expect(parseInputSpec(doc.cells.find((c) => c.name === 'show_all')!)).toEqual({ ok: true, value: { type: 'checkbox', value: false, label: undefined } });
    expect(parseChartSpec(doc.cells.find((c) => c.name === 'mass')!.source)).toEqual({ ok: true, value: { mark: 'bar', x: 'species', y: 'mass_g', color: 'species', table: 'by_species' } });
  });
});
