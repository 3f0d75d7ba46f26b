import type { onnx as OnnxNs } from 'onnx-proto';
import { decodeOnnxModel, readOnnxModel, toNumber } from './reader';
import { elemTypeName, onnx } from './types';

const MAX_VALUES = 12;
const utf8 = new TextDecoder();

/**
 * A normalised, line-oriented text form of an ONNX model for golden files and reviews: header,
 * metadata, inputs, outputs, initializers (long value lists shortened to their first values, count
 * and sum) and nodes with sorted attributes. Floats print with 7 significant digits.
 */
export function dumpOnnxModel(bytes: Uint8Array): string {
  const info = readOnnxModel(bytes);
  const graph = decodeOnnxModel(bytes).graph;
  const lines: string[] = [];
  lines.push(`ir ${info.irVersion} opsets ${Object.entries(info.opsets).map(([d, v]) => `${d || 'ai.onnx'}:${v}`).join(' ')}`);
  for (const [key, value] of Object.entries(info.metadata)) lines.push(`meta ${key} = ${value}`);
  for (const v of info.inputs) lines.push(`input ${v.name}: ${v.elemType}[${v.shape.join(',')}]`);
  for (const v of info.outputs) lines.push(`output ${v.name}: ${v.elemType}[${v.shape.join(',')}]`);
  for (const t of graph?.initializer ?? []) lines.push(`init ${t.name}: ${elemTypeName(t.dataType ?? 0)}[${(t.dims ?? []).map(toNumber).join(',')}] ${formatList(tensorValues(t))}`);
  for (const n of graph?.node ?? []) {
    const op = n.domain ? `${n.domain}.${n.opType}` : n.opType;
    lines.push(`${(n.output ?? []).join(', ')} = ${op}(${(n.input ?? []).join(', ')})`);
    for (const a of n.attribute ?? []) lines.push(`    ${a.name} = ${formatAttr(a)}`);
  }
  return `${lines.join('\n')}\n`;
}

function tensorValues(t: OnnxNs.ITensorProto): (number | string)[] {
  if (t.stringData && t.stringData.length > 0) return t.stringData.map((s) => JSON.stringify(utf8.decode(s)));
  if (t.floatData && t.floatData.length > 0) return t.floatData;
  if (t.doubleData && t.doubleData.length > 0) return t.doubleData;
  if (t.int64Data && t.int64Data.length > 0) return t.int64Data.map(toNumber);
  if (t.int32Data && t.int32Data.length > 0) return t.int32Data;
  return [];
}

function formatList(values: readonly (number | string)[]): string {
  const fmt = (v: number | string): string => (typeof v === 'number' ? fmtNum(v) : v);
  if (values.length <= MAX_VALUES) return `[${values.map(fmt).join(', ')}]`;
  const numbers = values.filter((v): v is number => typeof v === 'number');
  const sum = numbers.length === values.length ? ` sum=${fmtNum(numbers.reduce((a, b) => a + b, 0))}` : '';
  return `[${values.slice(0, MAX_VALUES).map(fmt).join(', ')}, …] (${values.length} values${sum})`;
}

function fmtNum(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Number(v.toPrecision(7)).toString();
}

function formatAttr(a: OnnxNs.IAttributeProto): string {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case T.FLOAT: return fmtNum(a.f ?? 0);
    case T.INT: return String(toNumber(a.i));
    case T.STRING: return JSON.stringify(utf8.decode(a.s ?? new Uint8Array()));
    case T.FLOATS: return formatList(a.floats ?? []);
    case T.INTS: return formatList((a.ints ?? []).map(toNumber));
    case T.STRINGS: return formatList((a.strings ?? []).map((s) => JSON.stringify(utf8.decode(s))));
    case T.TENSOR: return a.t ? `tensor ${elemTypeName(a.t.dataType ?? 0)}[${(a.t.dims ?? []).map(toNumber).join(',')}] ${formatList(tensorValues(a.t))}` : 'tensor ?';
    default: return `(attribute type ${a.type ?? '?'})`;
  }
}
