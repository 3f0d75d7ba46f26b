/**
 * Validation of request rows at serving time, in plain TypeScript (no DuckDB): the bundle server
 * applies a suite's deterministic row-level expectations (not_null, in_set, range, length,
 * regex, column_pair) to each row, and `null_fraction` to the batch. Semantics follow the SQL
 * checks: null/undefined values pass every value check; lengths count Unicode code points;
 * regexes are JavaScript RegExps searched anywhere in the text (RE2 in DuckDB agrees on the
 * common syntax: classes, anchors, groups, alternation, quantifiers).
 */
import { assertNever } from '../base/assert';
import { ROW_KINDS, type Expectation, type Severity, type Suite } from './suite';

/** One broken expectation for one row (or for the batch when `row` is undefined). */
export interface RowViolation {
  expectation: number;
  kind: Expectation['kind'];
  severity: Severity;
  message: string;
}

/** Result of one row: `valid` is false when an `error`-severity expectation is broken. */
export interface RowResult {
  row: number;
  valid: boolean;
  violations: RowViolation[];
}

/** Result of a batch: per-row results, batch-level violations and failing-row counts per expectation. */
export interface BatchResult {
  valid: boolean;
  rows: RowResult[];
  batch: RowViolation[];
  failingRowsByExpectation: Record<number, number>;
}

type Check = (row: Readonly<Record<string, unknown>>) => string | undefined;

const isMissing = (v: unknown) => v === null || v === undefined;

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function inSetCheck(column: string, values: readonly (string | number | boolean)[]): Check {
  const numeric = values.every((v) => typeof v === 'number');
  const allowed = new Set(values.map((v) => (numeric ? v : String(v))));
  return (row) => {
    const v = row[column];
    if (isMissing(v)) return undefined;
    const key = numeric ? asNumber(v) : String(v);
    return key !== undefined && allowed.has(key) ? undefined : `${column} = ${JSON.stringify(v)} is not in the allowed set`;
  };
}

function rangeCheck(column: string, min: number | undefined, max: number | undefined, strictMin: boolean, strictMax: boolean): Check {
  return (row) => {
    const v = row[column];
    if (isMissing(v)) return undefined;
    const x = asNumber(v);
    if (x === undefined) return `${column} = ${JSON.stringify(v)} is not a number`;
    const low = min === undefined || (strictMin ? x > min : x >= min);
    const high = max === undefined || (strictMax ? x < max : x <= max);
    return low && high ? undefined : `${column} = ${x} is out of range`;
  };
}

function lengthCheck(column: string, min: number | undefined, max: number | undefined): Check {
  return (row) => {
    const v = row[column];
    if (isMissing(v)) return undefined;
    const n = [...String(v)].length;
    return (min === undefined || n >= min) && (max === undefined || n <= max) ? undefined : `${column} has length ${n}`;
  };
}

function pairCheck(left: string, right: string, op: 'le' | 'lt' | 'eq'): Check {
  return (row) => {
    const a = row[left], b = row[right];
    if (isMissing(a) || isMissing(b)) return undefined;
    const x = asNumber(a) ?? String(a), y = asNumber(b) ?? String(b);
    const ok = op === 'le' ? x <= y : op === 'lt' ? x < y : x === y;
    return ok ? undefined : `${left} ${op} ${right} fails (${JSON.stringify(a)} vs ${JSON.stringify(b)})`;
  };
}

/** A row check for a row-level expectation; throws for an invalid regex. */
function checkOf(e: Expectation): Check | undefined {
  switch (e.kind) {
    case 'not_null':
      return (row) => (isMissing(row[e.column]) ? `${e.column} is null` : undefined);
    case 'in_set':
      return inSetCheck(e.column, e.values);
    case 'range':
      return rangeCheck(e.column, e.min, e.max, e.strictMin, e.strictMax);
    case 'length':
      return lengthCheck(e.column, e.min, e.max);
    case 'regex': {
      const re = new RegExp(e.pattern, 'u');
      return (row) => (isMissing(row[e.column]) || re.test(String(row[e.column])) ? undefined : `${e.column} does not match ${e.pattern}`);
    }
    case 'column_pair':
      return pairCheck(e.left, e.right, e.op);
    case 'columns': case 'column_type': case 'null_fraction': case 'unique': case 'row_count':
    case 'ks': case 'chi2': case 'psi': case 'wasserstein': case 'jensen_shannon': case 'mean_shift': case 'std_shift':
      return undefined;
    default:
      return assertNever(e, 'expectation');
  }
}

/** A reusable validator for a suite (compile once at server start, apply per request). */
export function compileRowValidator(suite: Suite): (rows: readonly Readonly<Record<string, unknown>>[]) => BatchResult {
  const checks = suite.expectations.flatMap((e, i) => {
    const check = ROW_KINDS.has(e.kind) ? checkOf(e) : undefined;
    return check ? [{ index: i, e, check }] : [];
  });
  const nullFractions = suite.expectations.flatMap((e, i) => (e.kind === 'null_fraction' ? [{ index: i, e }] : []));
  return (rows) => {
    const failingRowsByExpectation: Record<number, number> = {};
    const results = rows.map((row, r): RowResult => {
      const violations: RowViolation[] = [];
      for (const { index, e, check } of checks) {
        const message = check(row);
        if (message === undefined) continue;
        violations.push({ expectation: index, kind: e.kind, severity: e.severity, message });
        failingRowsByExpectation[index] = (failingRowsByExpectation[index] ?? 0) + 1;
      }
      return { row: r, valid: violations.every((v) => v.severity !== 'error'), violations };
    });
    const batch: RowViolation[] = [];
    for (const { index, e } of nullFractions) {
      if (e.kind !== 'null_fraction' || rows.length === 0) continue;
      const nulls = rows.filter((row) => isMissing(row[e.column])).length;
      if (nulls / rows.length > e.max) batch.push({ expectation: index, kind: e.kind, severity: e.severity, message: `${e.column} null fraction ${nulls / rows.length} > ${e.max}` });
    }
    const valid = results.every((r) => r.valid) && batch.every((v) => v.severity !== 'error');
    return { valid, rows: results, batch, failingRowsByExpectation };
  };
}

/** Validates a batch of rows against the suite's row-level expectations (see the file comment). */
export function validateRows(suite: Suite, rows: readonly Readonly<Record<string, unknown>>[]): BatchResult {
  return compileRowValidator(suite)(rows);
}
