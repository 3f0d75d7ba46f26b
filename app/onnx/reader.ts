import type { onnx as OnnxNs } from 'onnx-proto';
import { UserInputError } from '../base/errors';
import { onnx, elemTypeName } from './types';
import type { Dim } from './types';

/** A graph input or output: name, element type name (`float`, `string`, …) and shape. */
export interface OnnxValueInfo {
  name: string;
  elemType: string;
  shape: Dim[];
}

/** What Vajra needs to know about an existing ONNX file to wire it into a pipeline. */
export interface OnnxModelInfo {
  irVersion: number;
  opsets: Record<string, number>;
  producerName: string;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  metadata: Record<string, string>;
  nodeCount: number;
}

/**
 * Decodes ONNX protobuf bytes. Throws `UserInputError` (code `bad_input`) with a plain message when
 * the bytes are not an ONNX model (not protobuf, no graph, no IR version, no outputs).
 */
export function decodeOnnxModel(bytes: Uint8Array): OnnxNs.ModelProto {
  if (bytes.length === 0) throw new UserInputError('This ONNX file is empty.');
  let model: OnnxNs.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserInputError(`This file is not a valid ONNX model: it could not be decoded (${reason}).`);
  }
  if (!model.graph) throw new UserInputError('This file is not a valid ONNX model: it has no graph.');
  if (toNumber(model.irVersion) <= 0) throw new UserInputError('This file is not a valid ONNX model: it has no IR version.');
  if ((model.graph.output ?? []).length === 0) throw new UserInputError('This ONNX model has no outputs, so it cannot predict anything.');
  return model;
}

/** Reads the inputs, outputs, opsets and metadata of an ONNX model (see `decodeOnnxModel` errors). */
export function readOnnxModel(bytes: Uint8Array): OnnxModelInfo {
  const model = decodeOnnxModel(bytes);
  const graph = model.graph;
  if (!graph) throw new UserInputError('This file is not a valid ONNX model: it has no graph.');
  const initializerNames = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  const opsets: Record<string, number> = {};
  for (const o of model.opsetImport) opsets[o.domain ?? ''] = toNumber(o.version);
  const metadata: Record<string, string> = {};
  for (const p of model.metadataProps) metadata[p.key ?? ''] = p.value ?? '';
  return {
    irVersion: toNumber(model.irVersion),
    opsets,
    producerName: model.producerName,
    // Old exporters list initializers among the inputs; they are not something a caller feeds.
    inputs: (graph.input ?? []).filter((v) => !initializerNames.has(v.name ?? '')).map(valueInfoOf),
    outputs: (graph.output ?? []).map(valueInfoOf),
    metadata,
    nodeCount: (graph.node ?? []).length,
  };
}

function valueInfoOf(v: OnnxNs.IValueInfoProto): OnnxValueInfo {
  const tensor = v.type?.tensorType;
  const name = v.name ?? '';
  if (!tensor) {
    const kind = v.type?.mapType ? 'map' : v.type?.sequenceType ? 'sequence' : 'unknown';
    return { name, elemType: kind, shape: [] };
  }
  const shape: Dim[] = (tensor.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : d.dimValue != null ? toNumber(d.dimValue) : '?'));
  return { name, elemType: elemTypeName(tensor.elemType ?? 0), shape };
}

/** protobufjs gives int64 as number or Long; the values here (versions, dims) fit a double. */
export function toNumber(value: number | { toNumber(): number } | null | undefined): number {
  if (value == null) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}
