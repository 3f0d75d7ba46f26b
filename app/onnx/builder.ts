import type { onnx as OnnxNs } from 'onnx-proto';
import { onnx, elemTypeCode, DEFAULT_OPSETS, IR_VERSION } from './types';
import type { AttrValue, Dim, ElemType, TensorValue } from './types';

/** One node as recorded by the builder (also what the text dump prints). */
export interface BuiltNode {
  opType: string;
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

/** Options of `addNode`: output count or explicit output names, attributes, domain. */
export interface NodeOptions {
  attrs?: Record<string, AttrValue>;
  domain?: string;
  /** Number of outputs (named from `opType`), default 1. Ignored when `outputNames` is given. */
  outputs?: number;
  /** Exact output names; each must be unused. */
  outputNames?: string[];
}

/** Everything written into the model besides the graph. */
export interface ModelInfo {
  graphName: string;
  metadata?: Readonly<Record<string, string>>;
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  opsets?: Readonly<Record<string, number>>;
}

/**
 * Builds one ONNX graph. Every value name is unique (`uniqueName`), inputs and initializers are
 * recorded in insertion order, and `build` serializes to ONNX protobuf bytes. Not thread-safe; one
 * builder per model.
 */
export interface GraphBuilder {
  /** A fresh value name derived from `hint` (`hint`, `hint_1`, …), reserved on return. */
  uniqueName(hint: string): string;
  /** Declares a graph input with exactly this name; throws if the name is taken. */
  addInput(name: string, type: ElemType, shape: readonly Dim[]): string;
  /** Adds a constant; returns its (unique) name. */
  addInitializer(hint: string, tensor: TensorValue): string;
  /** Adds a node; returns its output names. */
  addNode(opType: string, inputs: readonly string[], options?: NodeOptions): string[];
  /** Adds a node with one output and returns its name. */
  op(opType: string, inputs: readonly string[], attrs?: Record<string, AttrValue>, domain?: string): string;
  /**
   * Records the type and shape of an intermediate value (graph value_info) and returns its name.
   * Needed after ai.onnx.ml ops that older ONNX checkers cannot type-infer.
   */
  typed(value: string, type: ElemType, shape: readonly Dim[]): string;
  /** Exposes `value` as graph output `name` (an Identity node is added when the names differ). */
  addOutput(value: string, name: string, type: ElemType, shape: readonly Dim[]): void;
  /** The nodes so far, in order. */
  nodes(): readonly BuiltNode[];
  /** Serializes the model (IR 8, opsets from `info.opsets` or DEFAULT_OPSETS). */
  build(info: ModelInfo): Uint8Array;
}

/** Creates an empty graph builder. */
export function createGraphBuilder(): GraphBuilder {
  const used = new Set<string>();
  const inputs: OnnxNs.IValueInfoProto[] = [];
  const outputs: OnnxNs.IValueInfoProto[] = [];
  const initializers: OnnxNs.ITensorProto[] = [];
  const built: BuiltNode[] = [];
  const valueInfos: OnnxNs.IValueInfoProto[] = [];

  function uniqueName(hint: string): string {
    const base = hint.length > 0 ? hint : 'v';
    let name = base;
    for (let i = 1; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    return name;
  }

  function claim(name: string): void {
    if (used.has(name)) throw new Error(`ONNX value name "${name}" is already used in this graph`);
    used.add(name);
  }

  const builder: GraphBuilder = {
    uniqueName,
    addInput(name, type, shape) {
      claim(name);
      inputs.push(valueInfo(name, type, shape));
      return name;
    },
    addInitializer(hint, tensor) {
      const name = uniqueName(hint);
      initializers.push(tensorProto(name, tensor));
      return name;
    },
    addNode(opType, nodeInputs, options = {}) {
      const count = options.outputNames?.length ?? options.outputs ?? 1;
      const outs = options.outputNames ?? [];
      for (const name of outs) claim(name);
      const names = outs.length > 0 ? [...outs] : Array.from({ length: count }, () => uniqueName(opType));
      built.push({ opType, domain: options.domain ?? '', name: uniqueName(`${opType}_node`), inputs: [...nodeInputs], outputs: names, attrs: options.attrs ?? {} });
      return names;
    },
    op(opType, nodeInputs, attrs, domain) {
      const [out] = builder.addNode(opType, nodeInputs, { ...(attrs ? { attrs } : {}), ...(domain ? { domain } : {}) });
      if (out === undefined) throw new Error(`${opType} produced no output`);
      return out;
    },
    addOutput(value, name, type, shape) {
      if (value !== name) builder.addNode('Identity', [value], { outputNames: [name] });
      outputs.push(valueInfo(name, type, shape));
    },
    typed(value, type, shape) {
      valueInfos.push(valueInfo(value, type, shape));
      return value;
    },
    nodes: () => built,
    build(info) {
      const opsets = info.opsets ?? DEFAULT_OPSETS;
      const model = onnx.ModelProto.create({
        irVersion: IR_VERSION,
        producerName: info.producerName ?? 'vajra',
        producerVersion: info.producerVersion ?? '0.1.0',
        docString: info.docString ?? '',
        opsetImport: Object.keys(opsets).sort().map((domain) => ({ domain, version: opsets[domain] })),
        metadataProps: Object.keys(info.metadata ?? {}).sort().map((key) => ({ key, value: info.metadata?.[key] ?? '' })),
        graph: {
          name: info.graphName,
          input: inputs,
          output: outputs,
          initializer: initializers,
          valueInfo: valueInfos,
          node: built.map(nodeProto),
        },
      });
      return onnx.ModelProto.encode(model).finish();
    },
  };
  return builder;
}

function valueInfo(name: string, type: ElemType, shape: readonly Dim[]): OnnxNs.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: elemTypeCode(type),
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

const utf8 = new TextEncoder();

function tensorProto(name: string, tensor: TensorValue): OnnxNs.ITensorProto {
  const expected = tensor.dims.reduce((a, b) => a * b, 1);
  if (tensor.values.length !== expected) {
    throw new Error(`Tensor "${name}" has ${tensor.values.length} values, but dims [${tensor.dims.join(', ')}] need ${expected}`);
  }
  const base: OnnxNs.ITensorProto = { name, dims: [...tensor.dims], dataType: elemTypeCode(tensor.type) };
  switch (tensor.type) {
    case 'float': return { ...base, floatData: Array.from(tensor.values) };
    case 'double': return { ...base, doubleData: Array.from(tensor.values) };
    case 'int64': return { ...base, int64Data: Array.from(tensor.values) };
    case 'int32': return { ...base, int32Data: Array.from(tensor.values) };
    case 'string': return { ...base, stringData: tensor.values.map((s) => utf8.encode(s)) };
    case 'bool': return { ...base, int32Data: tensor.values.map((b) => (b ? 1 : 0)) };
  }
}

function attributeProto(name: string, value: AttrValue): OnnxNs.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (value.kind) {
    case 'float': return { name, type: T.FLOAT, f: value.value };
    case 'int': return { name, type: T.INT, i: value.value };
    case 'string': return { name, type: T.STRING, s: utf8.encode(value.value) };
    case 'floats': return { name, type: T.FLOATS, floats: Array.from(value.value) };
    case 'ints': return { name, type: T.INTS, ints: Array.from(value.value) };
    case 'strings': return { name, type: T.STRINGS, strings: value.value.map((s) => utf8.encode(s)) };
    case 'tensor': return { name, type: T.TENSOR, t: tensorProto('', value.value) };
  }
}

function nodeProto(node: BuiltNode): OnnxNs.INodeProto {
  return {
    opType: node.opType,
    domain: node.domain,
    name: node.name,
    input: node.inputs,
    output: node.outputs,
    attribute: Object.keys(node.attrs).sort().map((key) => {
      const value = node.attrs[key];
      if (value === undefined) throw new Error(`Attribute ${key} is undefined`);
      return attributeProto(key, value);
    }),
  };
}
