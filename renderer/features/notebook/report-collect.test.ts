import { describe, expect, it } from 'vitest';
import { parseNotebook } from '../../../app/notebook/format';
import { findInterpolations } from '../../../app/notebook/interpolation';
import { renderMarkdown } from '../../../app/notebook/markdown-html';
import { renderNotebookReport } from '../../../app/report/notebook-report';
import { chartSvg, reportMarkdown } from './report-collect';

describe('chartSvg(code, rows)', () => {
  it('draws the chart cell\'s Plot code off-page and serialises its SVG, one rect per bar', async () => {
    const out = await chartSvg('Plot.plot({width, marks: [Plot.barY(data, {x: "k", y: "v"})]})', [{ k: 'a', v: 1 }, { k: 'b', v: 2 }, { k: 'c', v: 3 }]);
    expect(out.kind).toBe('svg');
    if (out.kind !== 'svg') return;
    expect(out.svg).toMatch(/^<svg[^>]*width="760"/);
    expect(out.svg.match(/<rect\b/g)).toHaveLength(3);
  });

  it('returns the error when the code throws or draws nothing', async () => {
    expect(await chartSvg('throw new Error("no data")', [])).toEqual({ kind: 'error', message: 'no data' });
    expect((await chartSvg('1 + 1', [])).kind).toBe('error');
  });
});

describe('reportMarkdown(html)', () => {
  it('gives the report the headings of an interpolated Markdown cell for its table of contents', () => {
    const source = '## Age and income\n\nAt least **${x}** hours';
    const html = renderMarkdown(source, findInterpolations(source), [40]);
    const doc = parseNotebook('```markdown\nplaceholder\n```\n');
    const report = renderNotebookReport(doc, new Map([[doc.cells[0]!.id, { kind: 'markdown', text: reportMarkdown(html) }]]));
    expect(report).toContain('<a href="#age-and-income">Age and income</a>');
    expect(report).toContain('<strong>40</strong>');
  });
});
