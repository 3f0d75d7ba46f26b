/**
 * A data-docs style page for a SuiteResult: one self-contained HTML string (inline CSS and SVG,
 * no scripts, no external resources). Every text from data or the suite is escaped.
 */
import type { ColumnDrift } from './drift';
import type { ExpectationResult, SuiteResult } from './run-suite';
import type { Cell } from './sql-util';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d2330}h1{font-size:20px;margin:0 0 4px}
.meta{color:#5b6475;margin-bottom:16px}.badge{display:inline-block;padding:2px 8px;border-radius:10px;font-weight:600;font-size:12px}
.pass{background:#dff3e4;color:#17622f}.fail{background:#fde2e1;color:#9b1c1c}.warn{background:#fff1cc;color:#7a5200}.error{background:#e9e3f7;color:#4b2a8a}
table{border-collapse:collapse;width:100%;margin:8px 0 20px}th,td{border-bottom:1px solid #e3e6ec;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f5f7fa;font-weight:600}code{font:12px ui-monospace,monospace}.rows td,.rows th{font:12px ui-monospace,monospace;padding:3px 6px}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px}`;

function badge(r: ExpectationResult): string {
  const cls = r.status === 'pass' ? 'pass' : r.status === 'error' ? 'error' : r.severity === 'warn' ? 'warn' : 'fail';
  const label = r.status === 'pass' ? 'pass' : r.status === 'error' ? 'error' : r.severity === 'warn' ? 'warn' : 'fail';
  return `<span class="badge ${cls}">${label}</span>`;
}

function target(r: ExpectationResult): string {
  const e = r.expectation;
  if ('column' in e) return e.column;
  if (e.kind === 'column_pair') return `${e.left}, ${e.right}`;
  return '(table)';
}

function cellText(value: Cell | undefined): string {
  return value === null || value === undefined ? '∅' : typeof value === 'string' ? value : String(value);
}

function sampleTable(sample: readonly Record<string, Cell>[]): string {
  if (sample.length === 0) return '';
  const cols = Object.keys(sample[0]!);
  const head = cols.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = sample.map((row) => `<tr>${cols.map((c) => `<td>${escapeHtml(cellText(row[c]))}</td>`).join('')}</tr>`).join('');
  return `<table class="rows"><tr>${head}</tr>${body}</table>`;
}

/**
 * A small grouped bar chart of the reference (grey) and current (blue) proportions per bin
 * (the equal-width histogram for numeric columns, categories for categorical ones).
 */
export function driftSvg(drift: ColumnDrift): string {
  const bins = drift.kind === 'numeric' ? drift.histogram : drift.bins;
  const n1 = bins.current.reduce((s, x) => s + x, 0) || 1, n2 = bins.reference.reduce((s, x) => s + x, 0) || 1;
  const p = bins.current.map((c) => c / n1), q = bins.reference.map((c) => c / n2);
  const top = Math.max(...p, ...q, 1e-12);
  const width = 360, height = 90, slot = width / Math.max(bins.labels.length, 1), bar = Math.max(slot / 2 - 1, 0.5);
  const rect = (x: number, v: number, fill: string, label: string) => {
    const h = (v / top) * (height - 4);
    return `<rect x="${x.toFixed(2)}" y="${(height - h).toFixed(2)}" width="${bar.toFixed(2)}" height="${h.toFixed(2)}" fill="${fill}"><title>${escapeHtml(label)}</title></rect>`;
  };
  const bars = bins.labels.map((label, i) =>
    rect(i * slot, q[i] ?? 0, '#9aa3b2', `${label}: reference ${((q[i] ?? 0) * 100).toFixed(1)}%`) +
    rect(i * slot + bar, p[i] ?? 0, '#2f6fde', `${label}: current ${((p[i] ?? 0) * 100).toFixed(1)}%`)).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 2}" viewBox="0 0 ${width} ${height + 2}" role="img" aria-label="${escapeHtml(`${drift.column}: reference vs current`)}">` +
    `${bars}<line x1="0" y1="${height}" x2="${width}" y2="${height}" stroke="#c5cad3"/></svg>`;
}

function observedText(r: ExpectationResult): string {
  const parts = Object.entries(r.observed).map(([k, v]) => `${k}: ${typeof v === 'number' ? Number(v.toPrecision(6)) : String(v)}`);
  return parts.length ? `<code>${escapeHtml(parts.join(', '))}</code>` : '';
}

function resultRow(r: ExpectationResult): string {
  const details: string[] = [escapeHtml(r.message), observedText(r)];
  if (r.failingRows) details.push(`<div>${r.failingRows.count} offending; sample:</div>${sampleTable(r.failingRows.sample)}`);
  if (r.drift) details.push(`<div class="legend"><span style="background:#9aa3b2"></span>reference<span style="background:#2f6fde"></span>current</div>${driftSvg(r.drift)}`);
  return `<tr><td>${badge(r)}</td><td>${escapeHtml(r.severity)}</td><td><code>${escapeHtml(r.expectation.kind)}</code></td>` +
    `<td>${escapeHtml(target(r))}</td><td>${details.filter(Boolean).join('<br>')}</td></tr>`;
}

/** The whole page for a suite result (deterministic: the same result gives the same bytes). */
export function renderSuiteHtml(result: SuiteResult): string {
  const c = result.counts;
  const summary = `${c.passed} passed · ${c.failed} failed · ${c.warned} warnings · ${c.errored} not evaluated`;
  const against = result.reference ? ` against ${escapeHtml(result.reference)}` : '';
  return '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    `<title>${escapeHtml(result.suite)} — validation</title><style>${CSS}</style></head><body>` +
    `<h1>${escapeHtml(result.suite)} <span class="badge ${result.success ? 'pass' : 'fail'}">${result.success ? 'success' : 'failed'}</span></h1>` +
    `<div class="meta">${escapeHtml(result.table)}${against} · ${result.rowCount} rows · ${summary}</div>` +
    '<table><tr><th>status</th><th>severity</th><th>expectation</th><th>column</th><th>result</th></tr>' +
    `${result.results.map(resultRow).join('')}</table></body></html>\n`;
}
