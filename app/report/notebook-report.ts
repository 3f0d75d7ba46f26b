import type { NotebookCell, NotebookDoc } from '../notebook/types';
import { escapeHtml, sanitizeFragment } from './html';
import { createSlugger, renderMarkdown, type Heading } from './markdown';
import { REPORT_CSS } from './styles';
import type { CellOutput, CodeMode, ReportOptions } from './types';

/**
 * One self-contained HTML file for a notebook and its outputs: Markdown rendered, charts inlined
 * as SVG, tables as HTML (first `maxRows` rows and the row count), input values as shown, code
 * shown / folded / hidden, a table of contents, light/dark and print styles. It references no
 * network resource and runs no script.
 */
export function renderNotebookReport(doc: NotebookDoc, outputs: ReadonlyMap<string, CellOutput>, options: ReportOptions = {}): string {
  const slug = createSlugger();
  const headings: Heading[] = [];
  const body = doc.cells.map((cell) => renderCell(cell, outputs.get(cell.id), options, slug, headings)).join('\n');
  const firstHeading = headings.find((h) => h.depth === 1)?.text;
  const title = options.title ?? firstHeading ?? 'Notebook';
  // The document's own first heading already shows the title; do not print it twice.
  return page(title, options.subtitle, headings, body, title !== firstHeading);
}

/** The page frame shared by notebook and run reports. */
export function page(title: string, subtitle: string | undefined, headings: Heading[], body: string, showTitle = true): string {
  const toc = headings
    .filter((h) => h.depth <= 3)
    .map((h) => `<li class="l${h.depth}"><a href="#${escapeHtml(h.id)}">${escapeHtml(h.text)}</a></li>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<div class="layout">
<nav class="toc" aria-label="Contents"><ol>${toc}</ol></nav>
<main>
${showTitle || subtitle ? `<header class="report-head">${showTitle ? `<h1>${escapeHtml(title)}</h1>` : ''}${subtitle ? `<div class="meta">${escapeHtml(subtitle)}</div>` : ''}</header>` : ''}
${body}
</main>
</div>
</body>
</html>
`;
}

function codeModeOf(cell: NotebookCell, fallback: CodeMode): CodeMode {
  if (cell.options.hide === 'code') return 'hide';
  if (cell.options.fold === true) return 'fold';
  return fallback;
}

function renderCell(cell: NotebookCell, output: CellOutput | undefined, options: ReportOptions, slug: (t: string) => string, headings: Heading[]): string {
  if (cell.kind === 'markdown') {
    const text = output?.kind === 'markdown' ? output.text : cell.source;
    return `<section class="cell markdown">${renderMarkdown(text, slug, headings)}</section>`;
  }
  const parts: string[] = [];
  const label = `${cell.kind}${cell.name ? ` · ${cell.name}` : ''}`;
  parts.push(`<div class="cell-label">${escapeHtml(label)}</div>`);
  const mode = cell.kind === 'input' || cell.kind === 'chart' ? 'hide' : codeModeOf(cell, options.codeMode ?? 'fold');
  const code = `<pre class="code"><code>${escapeHtml(cell.source)}</code></pre>`;
  if (mode === 'show') parts.push(code);
  if (mode === 'fold') parts.push(`<details class="code"><summary>Code</summary>${code}</details>`);
  if (cell.options.hide !== 'output' && output) parts.push(renderOutput(output, options.maxRows ?? 20));
  return `<section class="cell ${cell.kind}"${cell.name ? ` id="cell-${escapeHtml(cell.name)}"` : ''}>${parts.join('\n')}</section>`;
}

/** One output as HTML; shared with the run report. */
export function renderOutput(output: CellOutput, maxRows: number): string {
  switch (output.kind) {
    case 'table':
      return renderTable(output, maxRows);
    case 'svg':
      return `<figure class="chart">${sanitizeFragment(output.svg)}</figure>`;
    case 'html':
      return `<div class="html-output">${sanitizeFragment(output.html)}</div>`;
    case 'text':
      return `<pre class="text-output">${escapeHtml(output.text)}</pre>`;
    case 'value':
      return `<pre class="value-output">${escapeHtml(JSON.stringify(output.value, null, 2) ?? 'undefined')}</pre>`;
    case 'markdown':
      return `<div>${escapeHtml(output.text)}</div>`;
    case 'input':
      return `<div class="input-value">${escapeHtml(String(output.value))}</div>`;
    case 'error':
      return `<pre class="error">${escapeHtml(output.message)}</pre>`;
  }
}

function renderTable(table: Extract<CellOutput, { kind: 'table' }>, maxRows: number): string {
  const numeric = table.columns.map((c) => /INT|DOUBLE|FLOAT|DECIMAL|REAL|NUMERIC|BIGINT|HUGEINT/i.test(c.type));
  const head = table.columns.map((c) => `<th title="${escapeHtml(c.type)}">${escapeHtml(c.name)}</th>`).join('');
  const rows = table.rows.slice(0, maxRows).map((row) => `<tr>${row.map((v, i) => `<td${numeric[i] ? ' class="num"' : ''}>${v === null ? '<span class="meta">null</span>' : escapeHtml(formatValue(v))}</td>`).join('')}</tr>`);
  const shown = Math.min(maxRows, table.rows.length);
  const note = `${table.totalRows.toLocaleString('en-US')} row${table.totalRows === 1 ? '' : 's'}${table.totalRows > shown ? `, first ${shown} shown` : ''}`;
  return `<div class="table-wrap"><table class="data"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table><div class="rows-note">${note}</div></div>`;
}

function formatValue(value: string | number | boolean): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  return String(value);
}
