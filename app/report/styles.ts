/** The report's whole stylesheet, inlined: light and dark (prefers-color-scheme), print rules. */
export const REPORT_CSS = `
:root { --bg: #fff; --fg: #1d2330; --muted: #667085; --border: #d7dbe2; --soft: #f6f7f9; --accent: #3a63d8; --error: #c4302b; color-scheme: light dark; }
@media (prefers-color-scheme: dark) { :root { --bg: #1b1e24; --fg: #dde2ea; --muted: #8d96a5; --border: #343a44; --soft: #22262d; --accent: #6f93ff; --error: #ff7b72; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.55 system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', sans-serif; }
.layout { display: grid; grid-template-columns: 240px minmax(0, 1fr); gap: 32px; max-width: 1200px; margin: 0 auto; padding: 32px; }
nav.toc { position: sticky; top: 24px; align-self: start; font-size: 13px; }
nav.toc ol { list-style: none; padding: 0; margin: 0; }
nav.toc li { margin: 4px 0; }
nav.toc .l2 { padding-left: 12px; } nav.toc .l3 { padding-left: 24px; }
nav.toc a { color: var(--muted); text-decoration: none; } nav.toc a:hover { color: var(--accent); }
header.report-head { border-bottom: 1px solid var(--border); margin-bottom: 24px; padding-bottom: 12px; }
header.report-head h1 { margin: 0 0 4px; font-size: 28px; }
.meta { color: var(--muted); font-size: 13px; }
section.cell { margin: 18px 0; break-inside: avoid; page-break-inside: avoid; }
pre, code { font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, monospace; font-size: 13px; }
pre.code { background: var(--soft); border: 1px solid var(--border); border-radius: 6px; padding: 10px 12px; overflow-x: auto; margin: 0 0 8px; }
details.code summary { cursor: pointer; color: var(--muted); font-size: 12px; margin-bottom: 6px; }
.cell-label { font: 600 11px/1 ui-monospace, monospace; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; margin-bottom: 6px; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table.data { border-collapse: collapse; font-size: 13px; width: auto; max-width: 100%; }
table.data th, table.data td { border-bottom: 1px solid var(--border); padding: 4px 10px; text-align: left; }
table.data td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.data tr { break-inside: avoid; page-break-inside: avoid; }
table.data thead { display: table-header-group; }
.rows-note { color: var(--muted); font-size: 12px; margin-top: 4px; }
.chart svg { max-width: 100%; height: auto; }
.chart, figure { break-inside: avoid; page-break-inside: avoid; margin: 0; }
.error { color: var(--error); white-space: pre-wrap; }
.input-value { display: inline-block; padding: 4px 10px; border: 1px solid var(--border); border-radius: 4px; background: var(--soft); }
.metrics { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 10px; }
.metric { border: 1px solid var(--border); border-radius: 6px; padding: 8px 10px; }
.metric .v { font-size: 20px; font-weight: 600; }
.metric .k { color: var(--muted); font-size: 12px; }
@media print {
  :root { --bg: #fff; --fg: #000; --muted: #555; --border: #ccc; --soft: #f4f4f4; }
  .layout { display: block; padding: 0; max-width: none; }
  nav.toc { display: none; }
  details.code { display: none; }
  .table-wrap { overflow: visible; }
  table.data { font-size: 9px; }
  table.data th, table.data td { padding: 2px 4px; }
  a { color: inherit; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
}
`;
