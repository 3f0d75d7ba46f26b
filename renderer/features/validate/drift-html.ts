import type { ColumnDrift } from '../../../app/validate/drift';
import { driftSvg, escapeHtml } from '../../../app/validate/html';

const fmt = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(4) : x.toExponential(2)) : String(x));

const CSS = `body{font:13px system-ui,sans-serif;margin:12px;color:#1d2330}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #e3e6eb;padding:6px 8px;text-align:left;vertical-align:top}th{background:#f6f7f9}
code{font:12px ui-monospace,monospace}.stat{white-space:nowrap}.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px}`;

function statsText(d: ColumnDrift): string {
  const rows = d.kind === 'numeric'
    ? [['KS', d.ks_statistic], ['KS p', d.ks_pvalue], ['Wasserstein', d.wasserstein], ['PSI', d.psi], ['Jensen–Shannon', d.jensen_shannon]] as const
    : [['χ²', d.chi2_statistic], ['χ² p', d.chi2_pvalue], ['PSI', d.psi], ['Jensen–Shannon', d.jensen_shannon]] as const;
  return rows.map(([k, v]) => `<span class="stat">${k}&nbsp;<code>${fmt(v)}</code></span>`).join('<br>');
}

/** A self-contained page: per column the drift statistics and reference-vs-current histogram, most drifted (Jensen–Shannon) first. */
export function renderDriftHtml(current: string, reference: string, columns: readonly ColumnDrift[]): string {
  const ordered = [...columns].sort((a, b) => (b.jensen_shannon || 0) - (a.jensen_shannon || 0));
  const rows = ordered.map((d) => `<tr><td><b>${escapeHtml(d.column)}</b><br>${d.kind}</td><td>${statsText(d)}</td><td>${driftSvg(d)}</td></tr>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><style>${CSS}</style></head><body>` +
    `<h2>Drift of ${escapeHtml(current)} against ${escapeHtml(reference)}</h2>` +
    '<div class="legend"><span style="background:#9aa3b2"></span>reference<span style="background:#2f6fde"></span>current</div>' +
    `<table><tr><th>column</th><th>statistics</th><th>histogram</th></tr>${rows}</table></body></html>`;
}
