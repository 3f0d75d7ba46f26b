import { assertNever } from '../base/assert';
import { UserInputError } from '../base/errors';
import { quoteIdent } from '../data/engine';
import type { ChartSpec } from './cell-specs';

/** Rows a chart draws at most: raw marks sample this many rows in SQL; aggregated marks cap their groups. */
export const CHART_ROW_LIMIT = 10_000;
const DEFAULT_BINS = 30;

type Aggregate = NonNullable<ChartSpec['aggregate']>;

const sqlAggregate: Record<Aggregate, (expr: string) => string> = {
  count: () => 'count(*)::DOUBLE',
  sum: (e) => `sum(${e})::DOUBLE`,
  mean: (e) => `avg(${e})::DOUBLE`,
  median: (e) => `median(${e})::DOUBLE`,
  min: (e) => `min(${e})`,
  max: (e) => `max(${e})`,
};

/**
 * The output column of an aggregated measure: `count` without one; the column's own name when
 * the aggregate is implied (bars sum); `mean(hours)` when the spec names it (Plot's axis label).
 */
export function aggregateLabel(aggregate: Aggregate, measure: string | undefined, isExplicit = true): string {
  if (aggregate === 'count' || measure === undefined) return 'count';
  return isExplicit ? `${aggregate}(${measure})` : measure;
}

/** The aggregate a mark uses: the spec's, else count for bars and heatmaps without y, else none. */
export function effectiveAggregate(spec: ChartSpec): Aggregate | undefined {
  if (spec.aggregate) return spec.aggregate;
  if (spec.mark === 'bar') return spec.y === undefined ? 'count' : 'sum';
  if (spec.mark === 'rect' || spec.mark === 'cell') return 'count';
  return undefined;
}

function binCount(spec: ChartSpec): number {
  const raw = Number(spec['bins']);
  return Number.isInteger(raw) && raw >= 1 && raw <= 500 ? raw : DEFAULT_BINS;
}

/** Grouping channels present in the spec (besides x), as quoted column references. */
function keys(spec: ChartSpec, channels: ReadonlyArray<'x' | 'y' | 'color' | 'facet'>): string[] {
  return channels.map((c) => spec[c]).filter((c): c is string => c !== undefined).map(quoteIdent);
}

function histogramSql(spec: ChartSpec, relation: string): string {
  if (spec.x === undefined) throw new UserInputError('a histogram needs x (a numeric column)');
  const bins = binCount(spec);
  const extra = keys(spec, ['color', 'facet']);
  const extraSelect = extra.map((k) => `, ${k}`).join('');
  return [
    `WITH src AS (SELECT CAST(${quoteIdent(spec.x)} AS DOUBLE) AS v${extraSelect} FROM ${relation} WHERE ${quoteIdent(spec.x)} IS NOT NULL),`,
    `ext AS (SELECT min(v) AS lo, greatest(max(v) - min(v), 1e-9) / ${bins} AS w FROM src),`,
    `binned AS (SELECT least(floor((v - lo) / w), ${bins - 1}) AS k${extraSelect} FROM src, ext)`,
    `SELECT lo + w * k AS x1, lo + w * (k + 1) AS x2${extraSelect}, count(*)::DOUBLE AS count FROM binned, ext GROUP BY ALL ORDER BY x1 LIMIT ${CHART_ROW_LIMIT}`,
  ].join('\n');
}

function boxplotSql(spec: ChartSpec, relation: string): string {
  if (spec.y === undefined) throw new UserInputError('a box plot needs y (a numeric column)');
  const y = quoteIdent(spec.y);
  const group = spec.x === undefined ? `'' AS g` : `${quoteIdent(spec.x)} AS g`;
  return [
    `WITH s AS (SELECT ${group}, CAST(${y} AS DOUBLE) AS v FROM ${relation} WHERE ${y} IS NOT NULL),`,
    'q AS (SELECT g, quantile_cont(v, 0.25) AS q1, median(v) AS median, quantile_cont(v, 0.75) AS q3 FROM s GROUP BY g)',
    `SELECT q.g AS ${quoteIdent(spec.x ?? 'group')}, q1, median, q3,`,
    '  min(s.v) FILTER (WHERE s.v >= q1 - 1.5 * (q3 - q1)) AS lo, max(s.v) FILTER (WHERE s.v <= q3 + 1.5 * (q3 - q1)) AS hi, count(*)::DOUBLE AS n',
    `FROM s JOIN q ON s.g IS NOT DISTINCT FROM q.g GROUP BY q.g, q1, median, q3 ORDER BY 1 LIMIT ${CHART_ROW_LIMIT}`,
  ].join('\n');
}

function aggregatedSql(spec: ChartSpec, relation: string, aggregate: Aggregate): string {
  const isHeatmap = spec.mark === 'rect' || spec.mark === 'cell';
  const groupKeys = isHeatmap ? keys(spec, ['x', 'y', 'facet']) : keys(spec, ['x', 'color', 'facet']);
  const measured = isHeatmap ? spec.color : spec.y;
  const value = sqlAggregate[aggregate](measured === undefined ? '*' : quoteIdent(measured));
  const label = quoteIdent(aggregateLabel(aggregate, measured, spec.aggregate !== undefined));
  const order = spec.x === undefined ? '' : ` ORDER BY ${quoteIdent(spec.x)}`;
  const select = [...groupKeys, `${measured === undefined && aggregate !== 'count' ? 'count(*)::DOUBLE' : value} AS ${label}`].join(', ');
  return `SELECT ${select} FROM ${relation} GROUP BY ALL${order} LIMIT ${CHART_ROW_LIMIT}`;
}

function rawSql(spec: ChartSpec, relation: string): string {
  const columns = [...new Set([spec.x, spec.y, spec.color, spec.size, spec.facet].filter((c): c is string => c !== undefined))].map(quoteIdent);
  const order = spec.x !== undefined && (spec.mark === 'line' || spec.mark === 'area') ? ` ORDER BY ${quoteIdent(spec.x)}` : '';
  const sample = `(SELECT ${columns.join(', ') || '*'} FROM ${relation} USING SAMPLE reservoir(${CHART_ROW_LIMIT} ROWS) REPEATABLE (42))`;
  return `SELECT * FROM ${sample} AS sampled${order}`;
}

/**
 * The SQL that feeds a chart: aggregation, binning and quantiles run in DuckDB, so a chart of
 * millions of rows moves at most CHART_ROW_LIMIT rows; raw marks read a reproducible reservoir
 * sample. `relation` is the (quoted) table the spec's `table` names. Throws when a mark lacks
 * the channel it needs.
 */
export function chartQuery(spec: ChartSpec, relation: string): string {
  if (spec.mark === 'histogram') return histogramSql(spec, relation);
  if (spec.mark === 'boxplot') return boxplotSql(spec, relation);
  const aggregate = effectiveAggregate(spec);
  if (aggregate !== undefined && (spec.x !== undefined || spec.mark === 'rect' || spec.mark === 'cell')) return aggregatedSql(spec, relation, aggregate);
  return rawSql(spec, relation);
}

function channelsCode(entries: Array<[string, string | undefined]>, extra?: string): string {
  const parts = entries.filter((e): e is [string, string] => e[1] !== undefined).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  return `{${[...parts, ...(extra ? [extra] : []), 'tip: true'].join(', ')}}`;
}

/** The fill of single-series marks: one calm blue that reads on light and dark backgrounds. */
const BASE_COLOR = '#4f7fe0';

function markCode(spec: ChartSpec): string[] {
  const fill = spec.color ?? BASE_COLOR;
  const aggregate = effectiveAggregate(spec);
  const y = aggregate !== undefined && spec.x !== undefined ? aggregateLabel(aggregate, spec.y, spec.aggregate !== undefined) : spec.y;
  const sort = typeof spec['sort'] === 'string' && /^-?(x|y)$/.test(spec['sort']) ? spec['sort'] : undefined;
  const fx = spec.facet;
  switch (spec.mark) {
    case 'histogram':
      return [`Plot.rectY(data, ${channelsCode([['x1', 'x1'], ['x2', 'x2'], ['y', 'count'], ['fill', fill], ['fx', fx]], 'inset: 0.5')})`, 'Plot.ruleY([0])'];
    case 'boxplot': {
      const x = spec.x ?? 'group';
      return [
        `Plot.ruleX(data, {x: ${JSON.stringify(x)}, y1: "lo", y2: "hi"})`,
        `Plot.barY(data, {x: ${JSON.stringify(x)}, y1: "q1", y2: "q3", fill: "currentColor", fillOpacity: 0.2, stroke: "currentColor", tip: true})`,
        `Plot.tickY(data, {x: ${JSON.stringify(x)}, y: "median", strokeWidth: 2})`,
      ];
    }
    case 'bar':
      return [`Plot.barY(data, ${channelsCode([['x', spec.x], ['y', y], ['fill', fill], ['fx', fx]], sort ? `sort: {x: ${JSON.stringify(sort)}}` : undefined)})`, 'Plot.ruleY([0])'];
    case 'line':
      return [`Plot.lineY(data, ${channelsCode([['x', spec.x], ['y', y], ['stroke', fill], ['fx', fx]])})`];
    case 'area':
      return [`Plot.areaY(data, ${channelsCode([['x', spec.x], ['y', y], ['fill', fill], ['fx', fx]], spec.color ? undefined : 'fillOpacity: 0.6')})`, 'Plot.ruleY([0])'];
    case 'rect':
    case 'cell':
      return [`Plot.cell(data, ${channelsCode([['x', spec.x], ['y', spec.y], ['fill', aggregateLabel(aggregate ?? 'count', spec.color, spec.aggregate !== undefined)], ['fx', fx]])})`];
    case 'dot':
    case 'point':
      return [`Plot.dot(data, ${channelsCode([['x', spec.x], ['y', y], ['stroke', fill], ['r', spec.size], ['fx', fx]])})`];
    case 'tick':
      return [`Plot.tickX(data, ${channelsCode([['x', spec.x], ['y', spec.y], ['stroke', spec.color], ['fx', fx]])})`];
    case 'rule':
      return [`Plot.ruleX(data, ${channelsCode([['x', spec.x], ['stroke', spec.color], ['fx', fx]])})`];
    case 'text':
      return [`Plot.text(data, ${channelsCode([['x', spec.x], ['y', spec.y], ['text', spec.color ?? spec.y], ['fx', fx]])})`];
    default:
      return assertNever(spec.mark, 'chart mark');
  }
}

/**
 * Observable Plot code that draws the rows of `chartQuery(spec, …)`, bound as `data` (an array
 * of objects), with `Plot` and `width` in scope. The user can open it and edit it; the edited
 * code is kept in the spec as `code`.
 */
export function chartPlotCode(spec: ChartSpec): string {
  const hasColorLegend = spec.color !== undefined && spec.mark !== 'text';
  const options = ['  width,', '  marginLeft: 60,', ...(spec.mark === 'bar' || spec.mark === 'rect' || spec.mark === 'cell' ? ['  marginBottom: 50,', '  x: {tickRotate: -30},'] : [])];
  if (hasColorLegend || spec.mark === 'rect' || spec.mark === 'cell') options.push(`  color: {legend: true${spec.mark === 'rect' || spec.mark === 'cell' ? ', scheme: "blues"' : ''}},`);
  if (spec.mark !== 'rect' && spec.mark !== 'cell' && spec.mark !== 'rule') options.push('  y: {grid: true},');
  return ['Plot.plot({', ...options, '  marks: [', ...markCode(spec).map((m) => `    ${m},`), '  ],', '})'].join('\n');
}
