import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkGolden } from '../../../app/report/golden.testkit';
import { referencesNoNetwork } from '../../../app/report/html';
import { runCli } from '../../cli/main';
import { reportMarkdown } from './headless-outputs';
import { renderChartSvg } from './plot-svg';

let dir: string;
let root: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vajra-report-cli-'));
  root = join(dir, 'tabular');
  await cp(new URL('../../../examples/tabular', import.meta.url).pathname, root, { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(args: string[]) {
  let stdout = '', stderr = '';
  const code = await runCli(args, { cwd: dir, env: { VAJRA_CONFIG_DIR: join(dir, 'config'), VAJRA_HOME: join(dir, 'home') }, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** Normalised structure: tags and classes, one per line; chart internals and Plot's hashed classes collapsed. */
function structure(html: string): string {
  const flat = html.replace(/<svg\b[\s\S]*?<\/svg>/g, '<svg></svg>').replace(/<style>[\s\S]*?<\/style>/g, '<style></style>');
  return [...flat.matchAll(/<([a-z0-9]+)(?:[^>]*?\sclass="([^"]*)")?[^>]*>/gi)]
    .map((m) => `${m[1]}${m[2] ? `.${m[2].replace(/plot-[0-9a-f]+/g, 'plot-*').replace(/\s+/g, '.')}` : ''}`)
    .join('\n');
}


describe('vajra run NOTEBOOK --report', () => {
  it('vajra run census.notebook.md --report writes one offline HTML file with inline SVG charts and tables', { timeout: 60_000 }, async () => {
    const { code, stdout } = await cli(['run', 'census.notebook.md', '--workspace', root, '--report', 'out/census.html', '--rows', '5']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/report: .*out\/census\.html \([\d,]+ bytes\)/);
    const html = await readFile(join(dir, 'out/census.html'), 'utf8');
    expect(referencesNoNetwork(html)).toBe(true);
    expect(html).not.toMatch(/<script/i);
    const charts = [...html.matchAll(/<figure class="chart">([\s\S]*?)<\/figure>\s*<\/section>/g)].map((m) => m[1]!);
    expect(charts).toHaveLength(2);
    // bars of the 16 education levels; the histogram's bins
    expect((charts[0]!.match(/<rect\b/g) ?? []).length).toBeGreaterThanOrEqual(16);
    expect(charts[1]).toContain('&gt;50K');
    expect(html).toContain('32,561 rows, first 5 shown');
    expect(html).toContain('16 rows, first 5 shown');
    expect(html).toContain('<div class="input-value">40</div>');
    expect(html).toMatch(/<li class="l2"><a href="#age-and-income">Age and income<\/a><\/li>/);
    expect(html).toMatch(/those with a\s+<strong>[A-Za-z-]+<\/strong> education/);
    checkGolden(import.meta.dirname, 'census.report.structure.txt', `${structure(html)}\n`);
  });

  it('vajra run census.notebook.md --report x.pdf prints a PDF whose first page is not blank', { timeout: 60_000 }, async () => {
    const { code } = await cli(['run', 'census.notebook.md', '--workspace', root, '--report', 'census.pdf', '--code', 'hide']);
    expect(code).toBe(0);
    const pdf = await readFile(join(dir, 'census.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    if (!existsSync('/usr/bin/pdftoppm')) return;
    execFileSync('/usr/bin/pdftoppm', ['-png', '-gray', '-r', '30', '-f', '1', '-l', '1', join(dir, 'census.pdf'), join(dir, 'page')]);
    expect(readFileSync(join(dir, 'page-1.png')).length).toBeGreaterThan(2000);
  });

  it('vajra run --report with a bad extension, --rows or --code is a usage error', async () => {
    expect((await cli(['run', 'census.notebook.md', '--workspace', root, '--report', 'x.txt'])).code).toBe(2);
    expect((await cli(['run', 'census.notebook.md', '--workspace', root, '--report', 'x.html', '--rows', '-1'])).code).toBe(2);
    expect((await cli(['run', 'census.notebook.md', '--workspace', root, '--report', 'x.html', '--code', 'maybe'])).code).toBe(2);
  });
});

describe('renderChartSvg(code, rows)', () => {
  it('draws Plot code headless to an SVG with one bar per row', async () => {
    const svg = await renderChartSvg('Plot.plot({width, marks: [Plot.barY(data, {x: "k", y: "v"})]})', [{ k: 'a', v: 1 }, { k: 'b', v: 3 }], 300);
    expect(svg).toMatch(/^<svg[^>]*width="300"/);
    expect(svg.match(/<rect\b/g)).toHaveLength(2);
  });

  it('fails with the cell\'s error when the code returns no element', async () => {
    await expect(renderChartSvg('42', [])).rejects.toThrow(/must return a DOM node/);
  });
});

describe('reportMarkdown(html)', () => {
  it('turns rendered headings back into Markdown headings and keeps the other blocks', () => {
    expect(reportMarkdown('<h2>Age &amp; income</h2>\n<p>Hi <strong>there</strong></p>\n')).toBe('\n\n## Age &amp; income\n\n<p>Hi <strong>there</strong></p>\n');
  });
});
