// Row-level expectations of the run's suite (format `vajra.expectations` v1), applied to request
// rows by POST /validate. Only the kinds that can be judged row by row are applied here
// (not_null, in_set, range, length, regex, column_pair); table-level and statistical kinds
// (columns, unique, row_count, ks, psi …) need the whole data set and are listed as skipped.

const ROW_KINDS = new Set(['not_null', 'in_set', 'range', 'length', 'regex', 'column_pair']);
const MAX_ROWS_LISTED = 100;

/** Decoded value of row `r` of an encoded buffer: missing (NaN, '') becomes null. */
function valueAt(input, buffer, r) {
  const v = buffer[r];
  if (input.tensorType === 'string') return v === '' ? null : v;
  if (input.tensorType === 'int64') return Number(v);
  if (input.tensorType === 'bool') return v === 1;
  return Number.isNaN(v) ? null : v;
}

function failsRow(e, get) {
  switch (e.kind) {
    case 'not_null': return get(e.column) === null;
    case 'in_set': {
      const v = get(e.column);
      return v !== null && !e.values.some((x) => x === v || String(x) === String(v));
    }
    case 'range': {
      const v = get(e.column);
      if (v === null) return false;
      if (typeof v !== 'number') return true;
      if (e.min !== undefined && (e.strictMin ? !(v > e.min) : !(v >= e.min))) return true;
      return e.max !== undefined && (e.strictMax ? !(v < e.max) : !(v <= e.max));
    }
    case 'length': {
      const v = get(e.column);
      if (v === null) return false;
      const n = [...String(v)].length;
      return (e.min !== undefined && n < e.min) || (e.max !== undefined && n > e.max);
    }
    case 'regex': {
      const v = get(e.column);
      return v !== null && !e.regexp.test(String(v));
    }
    case 'column_pair': {
      const a = get(e.left);
      const b = get(e.right);
      if (a === null || b === null) return false;
      return e.op === 'le' ? !(a <= b) : e.op === 'lt' ? !(a < b) : a !== b;
    }
    default: return false;
  }
}

function columnsOf(e) {
  return e.kind === 'column_pair' ? [e.left, e.right] : [e.column];
}

/**
 * Applies the suite's row-level expectations to encoded request rows. Returns
 * `{success, results}`: one result per expectation with the failing row indexes (first 100) and
 * count; `success` is false when an `error`-severity expectation fails. Expectations on columns
 * the model does not take are skipped with a reason.
 */
export function validateRows(suite, spec, buffers, n) {
  const index = new Map(spec.inputs.map((input, i) => [input.name, i]));
  const results = [];
  for (const raw of suite.expectations ?? []) {
    const severity = raw.severity ?? 'error';
    const base = { kind: raw.kind, severity, ...(raw.column ? { column: raw.column } : {}), ...(raw.left ? { left: raw.left, right: raw.right } : {}) };
    if (!ROW_KINDS.has(raw.kind)) {
      results.push({ ...base, skipped: 'needs the whole data set, not single rows' });
      continue;
    }
    const absent = columnsOf(raw).find((c) => !index.has(c));
    if (absent !== undefined) {
      results.push({ ...base, skipped: `the model takes no column "${absent}"` });
      continue;
    }
    const e = raw.kind === 'regex' ? { ...raw, regexp: new RegExp(raw.pattern, 'u') } : raw;
    const failed = [];
    let failures = 0;
    for (let r = 0; r < n; r++) {
      const get = (name) => valueAt(spec.inputs[index.get(name)], buffers[index.get(name)], r);
      if (failsRow(e, get)) {
        failures++;
        if (failed.length < MAX_ROWS_LISTED) failed.push(r);
      }
    }
    results.push({ ...base, success: failures === 0, failures, failedRows: failed });
  }
  const success = results.every((r) => r.success !== false || r.severity !== 'error');
  return { success, rows: n, results };
}
