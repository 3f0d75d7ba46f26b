// Signature checks and tensor encoding shared by the HTTP server, the batch scorer and the
// browser scorer. No Node or browser APIs here: the same file runs in all three.

/** A request the model cannot score: HTTP status, MLflow-style error code and a plain message. */
export class RequestError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** 400 for input that does not fit the model's signature. */
export function invalid(message) {
  return new RequestError(400, 'INVALID_PARAMETER_VALUE', message);
}

/** 400 for a request whose shape is wrong (not the values). */
export function malformed(message) {
  return new RequestError(400, 'MALFORMED_REQUEST', message);
}

const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Creates an empty column buffer of `n` rows for a signature input. */
function allocate(input, n) {
  switch (input.tensorType) {
    case 'float32': return new Float32Array(n);
    case 'float64': return new Float64Array(n);
    case 'int64': return new BigInt64Array(n);
    case 'bool': return new Uint8Array(n);
    case 'string': return new Array(n);
    default: throw new Error(`unsupported tensor type ${input.tensorType} for input "${input.name}"`);
  }
}

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

function missing(input, row) {
  if (!input.optional) throw invalid(`Column "${input.name}", row ${row}: missing value, but the column is required.`);
  return input.tensorType === 'string' ? '' : input.tensorType === 'float32' || input.tensorType === 'float64' ? NaN : undefined;
}

/**
 * Converts one raw value (JSON value, or text when `fromText`) to what the tensor stores.
 * Throws a 400 naming the column, the row and the value when the type does not fit.
 */
function convert(input, value, row, fromText) {
  if (value === null || value === undefined || (fromText && value === '' && input.tensorType !== 'string')) {
    const filler = missing(input, row);
    if (filler === undefined) throw invalid(`Column "${input.name}", row ${row}: missing value; ${input.type} columns cannot be missing.`);
    return filler;
  }
  if (fromText && input.tensorType === 'string' && value === '') return missing(input, row);
  switch (input.tensorType) {
    case 'float32':
    case 'float64': {
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (fromText && typeof value === 'string' && NUMERIC_TEXT.test(value.trim())) return Number(value);
      throw invalid(`Column "${input.name}", row ${row}: expected a number (${input.type}), got ${describe(value)}.`);
    }
    case 'int64': {
      const number = fromText && typeof value === 'string' && NUMERIC_TEXT.test(value.trim()) ? Number(value) : value;
      if (typeof number === 'number' && Number.isSafeInteger(number)) return BigInt(number);
      throw invalid(`Column "${input.name}", row ${row}: expected a whole number (long), got ${describe(value)}.`);
    }
    case 'bool': {
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (fromText && typeof value === 'string') {
        const t = value.trim().toLowerCase();
        if (t === 'true' || t === '1') return 1;
        if (t === 'false' || t === '0') return 0;
      }
      throw invalid(`Column "${input.name}", row ${row}: expected true or false (boolean), got ${describe(value)}.`);
    }
    case 'string': {
      if (typeof value === 'string') return value;
      throw invalid(`Column "${input.name}", row ${row}: expected text (string), got ${describe(value)}.`);
    }
    default: throw new Error(`unsupported tensor type ${input.tensorType}`);
  }
}

/**
 * Checks a set of column names against the signature: every name known, no duplicates, every
 * required input present. `where` says where the names came from (for the message).
 */
export function checkColumnNames(spec, names, where) {
  const known = new Set(spec.inputs.map((i) => i.name));
  const seen = new Set();
  for (const name of names) {
    if (typeof name !== 'string') throw malformed(`${where}: column names must be text, got ${describe(name)}.`);
    if (!known.has(name)) throw invalid(`${where}: ${unknownColumn(spec, name)}`);
    if (seen.has(name)) throw invalid(`${where}: column "${name}" appears twice.`);
    seen.add(name);
  }
  const absent = mustSend(spec).filter((i) => !seen.has(i.name)).map((i) => i.name);
  if (absent.length > 0) throw invalid(`${where}: missing required column${absent.length > 1 ? 's' : ''} ${missingColumns(spec, absent)}.`);
}

/**
 * The inputs a request must hold as columns: the required ones and, when SQL derives lag/rolling
 * inputs (`spec.derived`), every column that SQL reads or writes that `spec.inputs` lists, even if
 * its values may be null — a forgotten column must not turn into silent NaN.
 */
export function mustSend(spec) {
  const derived = new Set(spec.derived ? [...spec.derived.sources, ...spec.derived.columns] : []);
  return spec.inputs.filter((i) => !i.optional || derived.has(i.name));
}

/** The message for an unknown column (`what`: "column", "input tensor"); a derived one says it is computed. */
export function unknownColumn(spec, name, what = 'column') {
  if (spec.derived?.columns.includes(name)) return `${what} "${name}" is a lag/rolling input that is computed from the rows themselves (serving.json derived.sql): leave it out and send the raw columns ${spec.inputs.map((i) => i.name).join(', ')}, history rows first.`;
  return `unknown ${what} "${name}". The model takes: ${spec.inputs.map((i) => i.name).join(', ')}.`;
}

/** The quoted names of columns a request lacks, saying why a derived model needs each. */
export function missingColumns(spec, names) {
  const d = spec.derived;
  const text = names.map((name) => {
    if (d?.columns.includes(name)) return `"${name}" (a lag/rolling column computed by SQL over the rows' history; this scorer cannot run that SQL, so send it computed, null where there is no history, or score with the server or batch scorer)`;
    if (d?.sources.includes(name)) return `"${name}" (the lag/rolling inputs ${d.columns.join(', ')} are computed from it)`;
    return `"${name}"`;
  });
  return text.join(', ');
}

/** The spec a request is checked against: the raw columns when SQL derives some graph inputs. */
export function requestSpec(spec) {
  return spec.derived ? { ...spec, inputs: spec.derived.inputs } : spec;
}

/**
 * Encodes rows given column by column: `getColumn(name)` returns an array of `n` raw values or
 * undefined when the column is absent (allowed only for optional inputs). Returns one typed
 * buffer per input, in signature order.
 */
export function encodeColumns(spec, n, getColumn, fromText) {
  if (!Number.isInteger(n) || n <= 0) throw invalid('The request holds no rows.');
  return spec.inputs.map((input) => {
    const raw = getColumn(input.name);
    const out = allocate(input, n);
    for (let r = 0; r < n; r++) out[r] = convert(input, raw === undefined ? undefined : raw[r], r, fromText);
    return out;
  });
}

/** Encodes an array of row objects `{column: value}` (dataframe_records / instances). */
export function encodeRecords(spec, records, where) {
  if (!Array.isArray(records)) throw malformed(`${where} must be a list of row objects.`);
  if (records.length === 0) throw invalid(`${where} holds no rows.`);
  const names = new Set();
  for (let r = 0; r < records.length; r++) {
    const record = records[r];
    if (record === null || typeof record !== 'object' || Array.isArray(record)) throw malformed(`${where}, row ${r}: expected an object of column → value, got ${describe(record)}.`);
    for (const key of Object.keys(record)) names.add(key);
  }
  checkColumnNames(spec, [...names], where);
  return encodeColumns(spec, records.length, (name) => (names.has(name) ? records.map((rec) => rec[name]) : undefined), false);
}

/** Encodes `{columns, data}` (dataframe_split, or a parsed CSV with `fromText`). */
export function encodeSplit(spec, columns, data, where, fromText) {
  if (!Array.isArray(columns)) throw malformed(`${where}: "columns" must be a list of column names.`);
  if (!Array.isArray(data)) throw malformed(`${where}: "data" must be a list of rows.`);
  checkColumnNames(spec, columns, where);
  for (let r = 0; r < data.length; r++) {
    const row = data[r];
    if (!Array.isArray(row)) throw malformed(`${where}, row ${r}: expected a list of ${columns.length} values, got ${describe(row)}.`);
    if (row.length !== columns.length) throw invalid(`${where}, row ${r}: has ${row.length} values for ${columns.length} columns.`);
  }
  const index = new Map(columns.map((c, i) => [c, i]));
  return encodeColumns(spec, data.length, (name) => {
    const i = index.get(name);
    return i === undefined ? undefined : data.map((row) => row[i]);
  }, fromText);
}

/** Encodes columnar input `{column: [values…]}` (the `inputs` format). */
export function encodeColumnar(spec, object, where) {
  const names = Object.keys(object);
  checkColumnNames(spec, names, where);
  let n = -1;
  for (const name of names) {
    const values = object[name];
    if (!Array.isArray(values)) throw malformed(`${where}: column "${name}" must be a list of values, got ${describe(values)}.`);
    if (n >= 0 && values.length !== n) throw invalid(`${where}: column "${name}" has ${values.length} values, others have ${n}.`);
    n = values.length;
  }
  return encodeColumns(spec, n, (name) => object[name], false);
}

/** Tensor dims of input buffer `i` for `n` rows: [n, 1] for rank-2 inputs, [n] for rank 1. */
export function inputDims(input, n) {
  return input.shape.length === 2 ? [n, 1] : [n];
}

/** A plain JSON number (or text) from one tensor element. */
function plain(value) {
  return typeof value === 'bigint' ? Number(value) : value;
}

/**
 * Output tensors → one object per row `{output: value}` (MLflow's DataFrame "records"): a
 * [N] or [N, 1] output gives a scalar, an [N, k] output a list of k values.
 */
export function toRecords(spec, results, n) {
  const rows = Array.from({ length: n }, () => ({}));
  for (const output of spec.outputs) {
    const tensor = results[output.name];
    if (!tensor) continue;
    const width = tensor.dims.length === 2 ? tensor.dims[1] : 1;
    const data = tensor.data;
    for (let r = 0; r < n; r++) {
      rows[r][output.name] = width === 1 ? plain(data[r]) : Array.from(data.subarray ? data.subarray(r * width, (r + 1) * width) : data.slice(r * width, (r + 1) * width), plain);
    }
  }
  return rows;
}
