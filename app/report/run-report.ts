import { escapeHtml } from './html';
import { createSlugger, type Heading } from './markdown';
import { page, renderOutput } from './notebook-report';
import type { CellOutput } from './types';

/** What a run report shows; charts arrive as SVG outputs rendered by the caller (Plot). */
export interface RunReportInput {
  title: string;
  subtitle?: string;
  params: Readonly<Record<string, string | number | boolean>>;
  metrics: Readonly<Record<string, number>>;
  /** Curves, confusion matrix, ROC/PR, explanations, validation … in order. */
  sections: readonly { heading: string; outputs: readonly CellOutput[] }[];
  /** Data fingerprints, seed, versions, lineage: shown as a key/value table. */
  provenance: Readonly<Record<string, string>>;
}

/**
 * One self-contained HTML file for a tracked run (or a comparison, with one column per run in
 * the tables). Same page frame, styles and guarantees as the notebook report.
 */
export function renderRunReport(input: RunReportInput): string {
  const slug = createSlugger();
  const headings: Heading[] = [];
  const section = (heading: string, html: string) => {
    const id = slug(heading);
    headings.push({ depth: 2, text: heading, id });
    return `<section class="cell"><h2 id="${escapeHtml(id)}">${escapeHtml(heading)}</h2>${html}</section>`;
  };
  const metricCards = Object.entries(input.metrics)
    .map(([k, v]) => `<div class="metric"><div class="v">${escapeHtml(formatMetric(v))}</div><div class="k">${escapeHtml(k)}</div></div>`)
    .join('');
  const parts = [
    section('Metrics', `<div class="metrics">${metricCards}</div>`),
    section('Parameters', keyValueTable(input.params)),
    ...input.sections.map((s) => section(s.heading, s.outputs.map((o) => renderOutput(o, 50)).join('\n'))),
    section('Provenance', keyValueTable(input.provenance)),
  ];
  return page(input.title, input.subtitle, headings, parts.join('\n'));
}

function keyValueTable(values: Readonly<Record<string, string | number | boolean>>): string {
  const rows = Object.entries(values)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`)
    .join('');
  return `<table class="data"><tbody>${rows}</tbody></table>`;
}

function formatMetric(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}
