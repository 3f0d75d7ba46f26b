// Request parsing and response shaping for the MLflow scoring protocol (/invocations) and the
// KServe Open Inference Protocol v2 (/v2/models/{name}/infer). Every function either returns
// encoded input buffers or throws a RequestError that names the problem.

import { parseCsv } from './csv.js';
import { encodeColumnar, encodeRecords, encodeSplit, invalid, malformed, missingColumns, mustSend, RequestError, unknownColumn } from './schema.js';

const MLFLOW_KEYS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'];

/** Parses a JSON body; 400 MALFORMED_REQUEST with the parser's reason when it is not JSON. */
export function parseJson(text) {
  if (text.trim() === '') throw new RequestError(400, 'BAD_REQUEST', 'The request body is empty.');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw malformed(`The request body is not valid JSON: ${error.message}`);
  }
}

function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `instances` / `inputs` may also be a plain list of values for a model with one input. */
function singleInputList(spec, list, where) {
  if (spec.inputs.length === 1 && list.length > 0 && list.every((v) => !isObject(v))) {
    return encodeColumnar(spec, { [spec.inputs[0].name]: list.map((v) => (Array.isArray(v) && v.length === 1 ? v[0] : v)) }, where);
  }
  return undefined;
}

/**
 * MLflow JSON body → encoded buffers (`{n, buffers}`). Exactly one of dataframe_split,
 * dataframe_records, instances, inputs; `params` is accepted and ignored (the ONNX model takes none).
 */
export function parseMlflowJson(spec, body) {
  if (!isObject(body)) throw malformed(`The JSON body must be an object with one of the keys ${MLFLOW_KEYS.join(', ')}.`);
  const keys = Object.keys(body);
  const unknown = keys.filter((k) => !MLFLOW_KEYS.includes(k) && k !== 'params');
  if (unknown.length > 0) throw malformed(`Unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; use exactly one of ${MLFLOW_KEYS.join(', ')}.`);
  const present = keys.filter((k) => MLFLOW_KEYS.includes(k));
  if (present.length !== 1) throw malformed(present.length === 0 ? `The body has none of the keys ${MLFLOW_KEYS.join(', ')}.` : `The body has ${present.join(' and ')}; use exactly one of them.`);
  const key = present[0];
  const value = body[key];
  switch (key) {
    case 'dataframe_split': {
      if (!isObject(value)) throw malformed('"dataframe_split" must be an object with "columns" and "data".');
      const extra = Object.keys(value).filter((k) => k !== 'columns' && k !== 'data' && k !== 'index');
      if (extra.length > 0) throw malformed(`"dataframe_split" has unknown key "${extra[0]}" (allowed: columns, data, index).`);
      if (value.index !== undefined && (!Array.isArray(value.index) || !Array.isArray(value.data) || value.index.length !== value.data.length)) throw invalid('"dataframe_split": "index" must be a list as long as "data".');
      return encodeSplit(spec, value.columns, value.data, 'dataframe_split', false);
    }
    case 'dataframe_records': return encodeRecords(spec, value, 'dataframe_records');
    case 'instances': {
      if (!Array.isArray(value)) throw malformed('"instances" must be a list of row objects.');
      return singleInputList(spec, value, 'instances') ?? encodeRecords(spec, value, 'instances');
    }
    case 'inputs': {
      if (isObject(value)) return encodeColumnar(spec, value, 'inputs');
      if (!Array.isArray(value)) throw malformed('"inputs" must be an object of column → list of values, or a list of row objects.');
      return singleInputList(spec, value, 'inputs') ?? encodeRecords(spec, value, 'inputs');
    }
    default: throw new Error(`unreachable key ${key}`);
  }
}

/** text/csv body (header row first, RFC 4180) → encoded buffers. Empty cells are missing values. */
export function parseMlflowCsv(spec, text) {
  if (text.trim() === '') throw new RequestError(400, 'BAD_REQUEST', 'The request body is empty.');
  const records = parseCsv(text);
  const [header, ...rows] = records;
  if (rows.length === 0) throw invalid('The CSV has a header but no data rows.');
  return encodeSplit(spec, header.map((h) => h.trim()), rows, 'CSV', true);
}

const V2_TYPES = { float32: 'FP32', float64: 'FP64', int64: 'INT64', bool: 'BOOL', string: 'BYTES' };
const NUMERIC_V2 = new Set(['FP16', 'FP32', 'FP64', 'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64']);

/** KServe v2 datatype of a tensor type. */
export function v2Type(tensorType) {
  return V2_TYPES[tensorType] ?? 'BYTES';
}

/** GET /v2/models/{name}: name, versions, platform, inputs and outputs with datatype and shape. */
export function v2Metadata(spec) {
  return {
    name: spec.modelName,
    versions: [spec.modelVersion],
    platform: 'onnxruntime_onnx',
    inputs: spec.inputs.map((i) => ({ name: i.name, datatype: v2Type(i.tensorType), shape: i.shape })),
    outputs: spec.outputs.map((o) => ({ name: o.name, datatype: v2Type(o.tensorType), shape: o.shape })),
  };
}

function flatten(data) {
  return Array.isArray(data) && data.some(Array.isArray) ? data.flat(Infinity) : data;
}

function checkV2Datatype(input, tensor, where) {
  if (typeof tensor.datatype !== 'string') throw malformed(`${where}: "datatype" is missing.`);
  const ok = input.tensorType === 'string' ? tensor.datatype === 'BYTES' : input.tensorType === 'bool' ? tensor.datatype === 'BOOL' : NUMERIC_V2.has(tensor.datatype);
  if (!ok) throw invalid(`${where}: datatype ${tensor.datatype} does not fit input "${input.name}" (expected ${v2Type(input.tensorType)}).`);
}

/** Checks one v2 input tensor's shape against its data; returns the row count. */
function v2Rows(tensor, data, where) {
  const shape = tensor.shape;
  if (!Array.isArray(shape) || shape.length === 0 || shape.length > 2 || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw malformed(`${where}: "shape" must be [N] or [N, 1].`);
  if (shape.length === 2 && shape[1] !== 1) throw invalid(`${where}: shape [${shape.join(', ')}] has ${shape[1]} columns; each input is one column ([N, 1]).`);
  if (data.length !== shape[0]) throw invalid(`${where}: shape [${shape.join(', ')}] needs ${shape[0]} values, "data" has ${data.length}.`);
  return shape[0];
}

/**
 * v2 inference request → `{buffers, id, outputs}`. Inputs are named tensors of shape [N] or
 * [N, 1], one per model input; BYTES for strings (UTF-8 text in JSON). `outputs` (optional)
 * names the outputs to return.
 */
export function parseV2Infer(spec, body, encode) {
  if (!isObject(body)) throw malformed('The body must be a JSON object with "inputs".');
  const unknown = Object.keys(body).filter((k) => !['id', 'parameters', 'inputs', 'outputs'].includes(k));
  if (unknown.length > 0) throw malformed(`Unknown key "${unknown[0]}" (allowed: id, parameters, inputs, outputs).`);
  if (body.id !== undefined && typeof body.id !== 'string') throw malformed('"id" must be a string.');
  if (!Array.isArray(body.inputs) || body.inputs.length === 0) throw malformed('"inputs" must be a non-empty list of tensors.');
  const byName = {};
  let n = -1;
  for (let t = 0; t < body.inputs.length; t++) {
    const tensor = body.inputs[t];
    if (!isObject(tensor) || typeof tensor.name !== 'string') throw malformed(`inputs[${t}] must be an object with a "name".`);
    const where = `Input tensor "${tensor.name}"`;
    const input = spec.inputs.find((i) => i.name === tensor.name);
    if (!input) throw invalid(capitalize(unknownColumn(spec, tensor.name, 'input tensor')));
    if (byName[tensor.name]) throw invalid(`${where} appears twice.`);
    checkV2Datatype(input, tensor, where);
    if (!Array.isArray(tensor.data)) throw malformed(`${where}: "data" must be a list.`);
    const data = flatten(tensor.data);
    const rows = v2Rows(tensor, data, where);
    if (n >= 0 && rows !== n) throw invalid(`${where} has ${rows} rows, other inputs have ${n}.`);
    n = rows;
    byName[tensor.name] = data;
  }
  let outputs;
  if (body.outputs !== undefined) {
    if (!Array.isArray(body.outputs) || !body.outputs.every((o) => isObject(o) && typeof o.name === 'string')) throw malformed('"outputs" must be a list of {"name": …}.');
    outputs = body.outputs.map((o) => o.name);
    const unknownOut = outputs.find((name) => !spec.outputs.some((o) => o.name === name));
    if (unknownOut !== undefined) throw invalid(`Unknown output "${unknownOut}". The model gives: ${spec.outputs.map((o) => o.name).join(', ')}.`);
  }
  const missing = mustSend(spec).filter((i) => !(i.name in byName)).map((i) => i.name);
  if (missing.length > 0) throw invalid(`Missing input tensor${missing.length > 1 ? 's' : ''} ${missingColumns(spec, missing)}.`);
  return { buffers: encode(n, (name) => byName[name]), id: body.id, outputs, n };
}

/** Output tensors → v2 response outputs (flat row-major data). */
export function v2Outputs(spec, results, names) {
  const wanted = names ?? spec.outputs.map((o) => o.name);
  return wanted.map((name) => {
    const output = spec.outputs.find((o) => o.name === name);
    const tensor = results[name];
    const data = Array.from(tensor.data, (v) => (typeof v === 'bigint' ? Number(v) : v));
    return { name, datatype: v2Type(output.tensorType), shape: [...tensor.dims], data };
  });
}
