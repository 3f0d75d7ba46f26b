import * as Plot from '@observablehq/plot';
import type { VajraContract } from '../../../app/protocol/contract';
import type { MetricSeries } from '../../../app/protocol/methods/runs';
import type { Result } from '../../../app/protocol/spec';
import type { RunReportInput } from '../../../app/report/run-report';
import type { CellOutput } from '../../../app/report/types';
import type { Backend } from '../../bridge/connection';

type Detail = Result<VajraContract, 'runs.get'>;
type Comparison = Result<VajraContract, 'runs.compare'>;
type Section = RunReportInput['sections'][number];

const COLORS = ['#3a63d8', '#e4572e', '#17a398', '#c98c00', '#8e44ad', '#d6336c', '#2b8a3e', '#5f6b7a', '#0b7285', '#a61e4d'];
const MAX_CURVES = 24;

function svg(node: Element): CellOutput {
  return { kind: 'svg', svg: node.outerHTML };
}

/** One metric's history for one or more runs, drawn like the runs view draws it. */
function curveChart(key: string, lines: ReadonlyArray<{ run: string; series: MetricSeries }>): CellOutput {
  const data = lines.flatMap(({ run, series }) => series.steps.flatMap((step, i) => (series.values[i] == null ? [] : [{ run, step, value: series.values[i]! }])));
  const single = data.length > 0 && data.every((d) => d.step === data[0]!.step);
  return svg(Plot.plot({
    width: 600, height: 220, marginLeft: 56,
    x: { label: 'step', grid: true },
    y: { label: key, grid: true },
    color: { domain: lines.map((l) => l.run), range: COLORS, legend: lines.length > 1 },
    marks: [single ? Plot.dot(data, { x: 'step', y: 'value', stroke: 'run', r: 4 }) : Plot.line(data, { x: 'step', y: 'value', stroke: 'run', strokeWidth: 1.6 })],
  }));
}

function xyChart(points: { x: number[]; y: number[] }, x: string, y: string, diagonal: boolean): CellOutput {
  const data = points.x.map((v, i) => ({ x: v, y: points.y[i]! }));
  return svg(Plot.plot({
    width: 360, height: 320, marginLeft: 48,
    x: { label: x, domain: [0, 1], grid: true },
    y: { label: y, domain: [0, 1], grid: true },
    marks: [...(diagonal ? [Plot.line([{ x: 0, y: 0 }, { x: 1, y: 1 }], { x: 'x', y: 'y', strokeDasharray: '4 4', stroke: '#999' })] : []), Plot.line(data, { x: 'x', y: 'y', stroke: COLORS[0], strokeWidth: 2 })],
  }));
}

function confusionTable(confusion: { labels: (string | number)[]; counts: number[][] }): CellOutput {
  return {
    kind: 'table',
    columns: [{ name: 'true \\ predicted', type: 'VARCHAR' }, ...confusion.labels.map((l) => ({ name: String(l), type: 'BIGINT' }))],
    rows: confusion.labels.map((label, r) => [String(label), ...(confusion.counts[r] ?? [])]),
    totalRows: confusion.labels.length,
  };
}

interface CurvesFile {
  roc?: { x: number[]; y: number[] };
  pr?: { x: number[]; y: number[] };
  confusion?: { labels: (string | number)[]; counts: number[][] };
  calibration?: { probPred: number[]; probTrue: number[] };
}

function isCurvesFile(value: unknown): value is CurvesFile {
  return typeof value === 'object' && value !== null;
}

async function artifactText(backend: Backend, id: string, path: string): Promise<string | undefined> {
  return backend.call('runs.artifact', { id, path }).then(({ bytes }) => new TextDecoder().decode(bytes), () => undefined);
}

/** Sections drawn from a run's evaluation artifacts (`evaluation/<node>/curves.json`): confusion matrix, ROC, PR, calibration. */
async function evaluationSections(backend: Backend, detail: Detail): Promise<Section[]> {
  const sections: Section[] = [];
  for (const artifact of detail.record.artifacts.filter((a) => /(^|\/)curves\.json$/.test(a.path))) {
    const text = await artifactText(backend, detail.record.id, artifact.path);
    let parsed: unknown;
    try {
      parsed = text === undefined ? undefined : JSON.parse(text);
    } catch {
      continue;
    }
    if (!isCurvesFile(parsed)) continue;
    const where = artifact.path.replace(/\/?curves\.json$/, '');
    const suffix = where && where !== 'evaluation' ? ` (${where.replace(/^evaluation\//, '')})` : '';
    if (parsed.confusion) sections.push({ heading: `Confusion matrix${suffix}`, outputs: [confusionTable(parsed.confusion)] });
    if (parsed.roc) sections.push({ heading: `ROC curve${suffix}`, outputs: [xyChart(parsed.roc, 'false positive rate', 'true positive rate', true)] });
    if (parsed.pr) sections.push({ heading: `Precision–recall curve${suffix}`, outputs: [xyChart(parsed.pr, 'recall', 'precision', false)] });
    if (parsed.calibration) sections.push({ heading: `Calibration${suffix}`, outputs: [xyChart({ x: parsed.calibration.probPred, y: parsed.calibration.probTrue }, 'mean predicted probability', 'fraction positive', true)] });
  }
  return sections;
}

function provenance(detail: Detail, prefix = ''): Record<string, string> {
  const { record } = detail;
  const out: Record<string, string> = {
    [`${prefix}run id`]: record.id,
    [`${prefix}experiment`]: record.experiment,
    [`${prefix}status`]: record.status,
    [`${prefix}started`]: new Date(record.startTime).toISOString(),
  };
  if (record.endTime !== null) out[`${prefix}ended`] = new Date(record.endTime).toISOString();
  if (record.repro.seed !== undefined) out[`${prefix}seed`] = String(record.repro.seed);
  if (record.repro.gitCommit) out[`${prefix}git commit`] = record.repro.gitCommit;
  for (const d of record.repro.datasets) out[`${prefix}data: ${d.name}`] = d.fingerprint;
  for (const c of record.repro.codeSnapshots) out[`${prefix}${c.kind} snapshot`] = c.path;
  for (const [k, v] of Object.entries(record.repro.versions)) out[`${prefix}version: ${k}`] = v;
  if (record.lineage.parentRunId) out[`${prefix}parent run`] = record.lineage.parentRunId;
  if (record.lineage.producedModel) out[`${prefix}produced model`] = `${record.lineage.producedModel.name} v${record.lineage.producedModel.version}`;
  if (record.lineage.labelSetVersionIds.length > 0) out[`${prefix}label sets`] = record.lineage.labelSetVersionIds.join(', ');
  return out;
}

/** What a single run's report shows: params, last metric values, curves, evaluation plots, data fingerprints and lineage. */
export async function runReportInput(backend: Backend, id: string): Promise<RunReportInput> {
  const detail = await backend.call('runs.get', { id, maxPoints: 1000 });
  const metrics = Object.fromEntries(detail.metrics.filter((m) => m.last !== null).map((m) => [m.key, m.last!]));
  const curves = detail.series.filter((s) => s.steps.length > 1).slice(0, MAX_CURVES);
  const sections: Section[] = [
    ...(curves.length > 0 ? [{ heading: 'Curves', outputs: curves.map((s) => curveChart(s.key, [{ run: detail.record.name, series: s }])) }] : []),
    ...(await evaluationSections(backend, detail)),
  ];
  if (Object.keys(detail.record.tags).length > 0) sections.push({ heading: 'Tags', outputs: [{ kind: 'table', columns: [{ name: 'tag', type: 'VARCHAR' }, { name: 'value', type: 'VARCHAR' }], rows: Object.entries(detail.record.tags), totalRows: Object.keys(detail.record.tags).length }] });
  return { title: `Run ${detail.record.name}`, subtitle: `${detail.record.experiment} · ${detail.record.id}`, params: detail.record.params, metrics, sections, provenance: provenance(detail) };
}

/** What a comparison report shows: shared params, the params that differ and every metric side by side, curves overlaid, each run's provenance. */
export async function compareReportInput(backend: Backend, ids: readonly string[]): Promise<RunReportInput> {
  const data: Comparison = await backend.call('runs.compare', { ids: [...ids], maxPoints: 1000 });
  const names = data.runs.map((r) => r.record.name);
  const differing = new Set(data.paramDiff.map((d) => d.key));
  const shared = Object.fromEntries(Object.entries(data.runs[0]?.record.params ?? {}).filter(([k]) => !differing.has(k)));
  const runColumns = names.map((n) => ({ name: n, type: 'DOUBLE' }));
  const metricRows = data.metricKeys.map((key) => [key, ...data.runs.map((r) => r.metrics.find((m) => m.key === key)?.last ?? null)]);
  const diffRows = data.paramDiff.map((d) => [d.key, ...d.values.map((v) => (v === null ? null : String(v)))]);
  const sections: Section[] = [
    { heading: 'Metrics by run (last value)', outputs: [{ kind: 'table', columns: [{ name: 'metric', type: 'VARCHAR' }, ...runColumns], rows: metricRows, totalRows: metricRows.length }] },
    { heading: 'Params that differ', outputs: [diffRows.length === 0 ? { kind: 'text', text: 'All params are equal.' } : { kind: 'table', columns: [{ name: 'param', type: 'VARCHAR' }, ...names.map((n) => ({ name: n, type: 'VARCHAR' }))], rows: diffRows, totalRows: diffRows.length }] },
  ];
  const curves = data.metricKeys.slice(0, MAX_CURVES).map((key) => ({ key, lines: data.runs.flatMap((r) => r.series.filter((s) => s.key === key && s.steps.length > 1).map((s) => ({ run: r.record.name, series: s }))) })).filter((c) => c.lines.length > 0);
  if (curves.length > 0) sections.push({ heading: 'Curves', outputs: curves.map((c) => curveChart(c.key, c.lines)) });
  const provenanceAll = Object.fromEntries(data.runs.flatMap((r) => Object.entries(provenance(r, `${r.record.name} · `))));
  // Metric cards as "metric · run" (the first dozen); the full side-by-side table is a section.
  const cards = Object.fromEntries(data.metricKeys.flatMap((key) => data.runs.flatMap((r) => {
    const last = r.metrics.find((m) => m.key === key)?.last;
    return last === null || last === undefined ? [] : [[`${key} · ${r.record.name}`, last]];
  })).slice(0, 12));
  return { title: `Compare ${names.length} runs`, subtitle: names.join(' · '), params: shared, metrics: cards, sections, provenance: provenanceAll };
}
