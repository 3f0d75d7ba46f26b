import { assertNever } from '../base/assert';
import type { ParamValue, RunSummary } from './run-model';

/** Run attributes that can be filtered, sorted or grouped on. */
export type RunAttribute = 'id' | 'name' | 'status' | 'experiment' | 'startTime' | 'endTime' | 'parentRunId';

/** A column of a run list: a metric (by its last/min/max), a param, a tag or an attribute. */
export type RunField =
  | { kind: 'metric'; key: string; agg?: 'last' | 'min' | 'max' }
  | { kind: 'param'; key: string }
  | { kind: 'tag'; key: string }
  | { kind: 'attribute'; key: RunAttribute };

/** Comparison operators of filters (the MLflow search subset plus IN). */
export type FilterOp = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';

/** One condition; a filter is a list of clauses joined by AND. */
export interface FilterClause {
  field: RunField;
  op: FilterOp;
  value: string | number | readonly (string | number)[];
}

/** One sort key; missing values sort last in both directions. */
export interface SortKey {
  field: RunField;
  descending: boolean;
}

/** A field value as read from a run; undefined when the run lacks it. */
export type FieldValue = ParamValue | null | undefined;

/**
 * Reads a field of a run. `fieldValue` is the plain one; a store may pass a faster reader (e.g.
 * over columnar metric summaries) with the same results.
 */
export type FieldReader = (run: RunSummary, field: RunField) => FieldValue;

/** The value of `field` in `run`; undefined when the run does not have it. */
export function fieldValue(run: RunSummary, field: RunField): FieldValue {
  switch (field.kind) {
    case 'metric': {
      const summary = run.metrics[field.key];
      return summary ? summary[field.agg ?? 'last'] : undefined;
    }
    case 'param':
      return Object.hasOwn(run.params, field.key) ? run.params[field.key] : undefined;
    case 'tag':
      return Object.hasOwn(run.tags, field.key) ? run.tags[field.key] : undefined;
    case 'attribute':
      return run[field.key];
    default:
      return assertNever(field, 'run field');
  }
}

function asNumber(value: FieldValue | string | number): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('%', '.*').replaceAll('_', '.');
  return new RegExp(`^${body}$`, caseInsensitive ? 'si' : 's');
}

function equals(actual: FieldValue, expected: string | number): boolean {
  if (actual === undefined || actual === null) return false;
  if (typeof expected === 'number') return asNumber(actual) === expected;
  return String(actual) === expected;
}

function order(actual: FieldValue, expected: string | number): number | undefined {
  if (actual === undefined || actual === null) return undefined;
  const a = asNumber(actual);
  const b = asNumber(expected);
  if (a !== undefined && b !== undefined) return Number.isNaN(a) || Number.isNaN(b) ? undefined : a - b;
  const sa = String(actual);
  const sb = String(expected);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Does `run` satisfy `clause`? A run without the field never matches (also for `!=`). */
export function matchesClause(run: RunSummary, clause: FilterClause, read: FieldReader = fieldValue): boolean {
  const actual = read(run, clause.field);
  if (actual === undefined || actual === null) return false;
  const v = clause.value;
  const list = Array.isArray(v) ? v : undefined;
  const scalar: string | number = typeof v === 'string' || typeof v === 'number' ? v : String(v);
  switch (clause.op) {
    case '=': return equals(actual, scalar);
    case '!=': return !equals(actual, scalar);
    case 'LIKE': return likeToRegExp(String(scalar), false).test(String(actual));
    case 'ILIKE': return likeToRegExp(String(scalar), true).test(String(actual));
    case 'IN': return (list ?? [scalar]).some((item) => equals(actual, item));
    case 'NOT IN': return !(list ?? [scalar]).some((item) => equals(actual, item));
    case '>': case '>=': case '<': case '<=': {
      const c = order(actual, scalar);
      if (c === undefined) return false;
      return clause.op === '>' ? c > 0 : clause.op === '>=' ? c >= 0 : clause.op === '<' ? c < 0 : c <= 0;
    }
    default:
      return assertNever(clause.op, 'filter op');
  }
}

/** The runs that satisfy every clause, in their input order. */
export function filterRuns<T extends RunSummary>(runs: readonly T[], clauses: readonly FilterClause[], read: FieldReader = fieldValue): T[] {
  return runs.filter((run) => clauses.every((clause) => matchesClause(run, clause, read)));
}

function compareValues(a: FieldValue, b: FieldValue): number {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (typeof a === 'number' && typeof b === 'number') return na! - nb!;
  if (na !== undefined && nb !== undefined) return na - nb;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function isMissing(v: FieldValue): boolean {
  return v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v));
}

/**
 * Sorts by the keys in order, missing (and NaN) values last in both directions; ties end with
 * newest start time first, then id, so the order is total and stable across calls.
 */
export function sortRuns<T extends RunSummary>(runs: readonly T[], keys: readonly SortKey[], read: FieldReader = fieldValue): T[] {
  // Extract each sort value once: 10k runs × log2(10k) comparisons would otherwise re-read them.
  const decorated = runs.map((run) => ({ run, values: keys.map((k) => read(run, k.field)) }));
  decorated.sort((x, y) => {
    for (let i = 0; i < keys.length; i++) {
      const a = x.values[i];
      const b = y.values[i];
      const ma = isMissing(a), mb = isMissing(b);
      if (ma || mb) {
        if (ma && mb) continue;
        return ma ? 1 : -1;
      }
      const c = compareValues(a, b);
      if (c !== 0) return keys[i]!.descending ? -c : c;
    }
    if (x.run.startTime !== y.run.startTime) return y.run.startTime - x.run.startTime;
    return x.run.id < y.run.id ? -1 : x.run.id > y.run.id ? 1 : 0;
  });
  return decorated.map((d) => d.run);
}

/** A group of runs sharing one value of the grouping field (`value` undefined = missing). */
export interface RunGroup<T extends RunSummary> {
  value: ParamValue | null | undefined;
  runs: T[];
}

/** Groups runs by `field`; groups in order of their value (missing last), runs keep input order. */
export function groupRuns<T extends RunSummary>(runs: readonly T[], field: RunField, read: FieldReader = fieldValue): RunGroup<T>[] {
  const groups = new Map<string, RunGroup<T>>();
  for (const run of runs) {
    const value = read(run, field);
    const key = isMissing(value) ? '\u0000missing' : `${typeof value}:${String(value)}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { value: isMissing(value) ? undefined : value, runs: [] }));
    group.runs.push(run);
  }
  return [...groups.values()].sort((a, b) => {
    if (isMissing(a.value) || isMissing(b.value)) return isMissing(a.value) ? 1 : -1;
    return compareValues(a.value, b.value);
  });
}
