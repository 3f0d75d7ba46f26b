import type { MetricPoint, MetricSummary, ParamValue, RunRecord, RunSummary } from './run-model';

/**
 * Flattens nested params into dotted keys with scalar values: `{ model: { depth: 6 } }` →
 * `{ 'model.depth': 6 }`. Array items get their index (`layers.0`); null and undefined become
 * the string `'null'` (MLflow has no null param); empty objects and arrays are dropped.
 */
export function flattenParams(params: unknown, prefix = ''): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  visit(params, prefix, out);
  return out;
}

function visit(value: unknown, key: string, out: Record<string, ParamValue>): void {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    out[key] = value;
  } else if (value === null || value === undefined) {
    out[key] = 'null';
  } else if (typeof value === 'bigint') {
    out[key] = value.toString();
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => visit(item, key ? `${key}.${index}` : String(index), out));
  } else if (typeof value === 'object') {
    for (const [child, item] of Object.entries(value)) visit(item, key ? `${key}.${child}` : child, out);
  } else {
    out[key] = String(value);
  }
}

/**
 * Is point `a` later than point `b` for "last value" purposes? MLflow's rule: compare
 * (step, timestamp, value) in that order, so the summary agrees with MLflow's latest metric.
 */
function isLater(step: number, timestamp: number, value: number, than: MetricSummary): boolean {
  if (step !== than.lastStep) return step > than.lastStep;
  if (timestamp !== than.lastTimestamp) return timestamp > than.lastTimestamp;
  return value > than.last || Number.isNaN(than.last);
}

/** Folds `points` into `summaries` in place (incremental: call per append batch). */
export function foldMetrics(summaries: Record<string, MetricSummary>, points: readonly MetricPoint[]): void {
  for (const p of points) {
    const s = summaries[p.key];
    if (!s) {
      summaries[p.key] = { last: p.value, min: p.value, max: p.value, lastStep: p.step, lastTimestamp: p.timestamp, count: 1 };
      continue;
    }
    s.count++;
    // NaN never becomes min or max: a diverged step should not hide the real range.
    if (p.value < s.min || Number.isNaN(s.min)) s.min = p.value;
    if (p.value > s.max || Number.isNaN(s.max)) s.max = p.value;
    if (isLater(p.step, p.timestamp, p.value, s)) {
      s.last = p.value;
      s.lastStep = p.step;
      s.lastTimestamp = p.timestamp;
    }
  }
}

/** Last/min/max/count per metric key of a whole history. */
export function summarizeMetrics(points: readonly MetricPoint[]): Record<string, MetricSummary> {
  const summaries: Record<string, MetricSummary> = {};
  foldMetrics(summaries, points);
  return summaries;
}

/** The list form of a run: record fields a table shows, with its metric summaries. */
export function toRunSummary(record: RunRecord, metrics: Record<string, MetricSummary>): RunSummary {
  return {
    id: record.id,
    experiment: record.experiment,
    name: record.name,
    status: record.status,
    startTime: record.startTime,
    endTime: record.endTime,
    params: record.params,
    tags: record.tags,
    ...(record.lineage.parentRunId !== undefined ? { parentRunId: record.lineage.parentRunId } : {}),
    metrics,
  };
}

/** One row of a param diff: the key and each run's value (undefined where a run lacks it). */
export interface ParamDiffRow {
  key: string;
  values: (ParamValue | undefined)[];
}

/**
 * Params that differ between runs, keys sorted; a key present in some runs only counts as
 * different. `values[i]` belongs to `runs[i]`. Equal values are compared by type and value
 * (`1` and `'1'` differ), since a type change is itself a change worth seeing.
 */
export function diffParams(runs: readonly { params: Record<string, ParamValue> }[]): ParamDiffRow[] {
  const keys = new Set<string>();
  for (const run of runs) for (const key of Object.keys(run.params)) keys.add(key);
  const rows: ParamDiffRow[] = [];
  for (const key of [...keys].sort()) {
    const values = runs.map((run) => (Object.hasOwn(run.params, key) ? run.params[key] : undefined));
    if (values.some((v) => v !== values[0])) rows.push({ key, values });
  }
  return rows;
}
