import { useState } from 'react';
import { stringify } from 'yaml';
import { chartSpecSchema, parseChartSpec, type ChartSpec } from '../../../app/notebook/cell-specs';
import { chartPlotCode } from '../../../app/notebook/chart-query';
import { CodeEditor } from './CodeEditor';

/** A table a chart can draw: a SQL cell or a workspace table, with its columns when known. */
export interface ChartTable {
  name: string;
  columns: Array<{ name: string; type: string }>;
}

const marks: Array<[ChartSpec['mark'], string]> = [
  ['bar', 'Bar'], ['line', 'Line'], ['area', 'Area'], ['dot', 'Dot'], ['rect', 'Heatmap'], ['histogram', 'Histogram'], ['boxplot', 'Box'],
];
const aggregates = ['', 'count', 'sum', 'mean', 'median', 'min', 'max'] as const;
const channels = ['x', 'y', 'color', 'size', 'facet'] as const;
const order = ['mark', 'table', 'x', 'y', 'color', 'size', 'facet', 'aggregate', 'sort', 'bins', 'code'];

/** The chart cell's YAML body for a spec, keys in a stable, readable order; unset keys left out. */
export function chartSource(spec: Record<string, unknown>): string {
  const ordered: Record<string, unknown> = {};
  for (const key of [...order, ...Object.keys(spec).filter((k) => !order.includes(k))]) {
    if (spec[key] !== undefined && spec[key] !== '') ordered[key] = spec[key];
  }
  return stringify(ordered, { lineWidth: 0 }).replace(/\n$/, '');
}

function Field({ label, value, options, onChange }: { label: string; value: string; options: string[]; onChange: (v: string) => void }) {
  return (
    <label className="nb-field">
      <span>{label}</span>
      <select value={value} aria-label={`chart ${label}`} onChange={(e) => onChange(e.target.value)}>
        <option value="">—</option>
        {options.map((o) => <option key={o} value={o}>{o}</option>)}
        {value !== '' && !options.includes(value) && <option value={value}>{value}</option>}
      </select>
    </label>
  );
}

/**
 * The no-code chart builder: mark, table, channels and aggregate write the chart cell's spec;
 * "Plot code" opens the Observable Plot code it generates, and edits to it are kept as `code`.
 */
export function ChartBuilder({ source, tables, onSource }: { source: string; tables: ChartTable[]; onSource: (source: string) => void }) {
  const [showCode, setShowCode] = useState(false);
  const parsed = parseChartSpec(source);
  const spec: Record<string, unknown> = parsed.ok ? parsed.value : { mark: 'bar', table: tables[0]?.name ?? '' };
  const str = (key: string) => (typeof spec[key] === 'string' ? String(spec[key]) : '');
  const columns = tables.find((t) => t.name.toLowerCase() === str('table').toLowerCase())?.columns.map((c) => c.name) ?? [];
  const update = (key: string, value: string) => onSource(chartSource({ ...spec, [key]: value === '' ? undefined : value }));
  const checked = chartSpecSchema.safeParse(spec);
  const code = str('code') || (checked.success ? chartPlotCode(checked.data) : '');
  return (
    <div className="nb-chart-builder">
      <div className="nb-chart-fields">
        <label className="nb-field">
          <span>mark</span>
          <select value={str('mark')} aria-label="chart mark" onChange={(e) => update('mark', e.target.value)}>
            {marks.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </label>
        <Field label="table" value={str('table')} options={tables.map((t) => t.name)} onChange={(v) => update('table', v)} />
        {channels.map((c) => <Field key={c} label={c} value={str(c)} options={columns} onChange={(v) => update(c, v)} />)}
        <Field label="aggregate" value={str('aggregate')} options={aggregates.filter((a) => a !== '')} onChange={(v) => update('aggregate', v)} />
        <button type="button" className="nb-link" aria-expanded={showCode} onClick={() => setShowCode(!showCode)}>{showCode ? 'Hide Plot code' : 'Plot code'}</button>
      </div>
      {showCode && (
        <div className="nb-chart-code">
          <div className="muted small">
            Observable Plot over <code>data</code> (the rows the SQL aggregation returns). {str('code') ? <button type="button" className="nb-link" onClick={() => update('code', '')}>Reset to builder</button> : 'Edit to customise.'}
          </div>
          <CodeEditor label="Plot code" language="javascript" value={code} onEdit={(from, to, insert) => update('code', code.slice(0, from) + insert + code.slice(to))} />
        </div>
      )}
      {!parsed.ok && <div className="nb-error" role="alert">{parsed.message}</div>}
    </div>
  );
}
