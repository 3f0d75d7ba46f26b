import onnxProto from 'onnx-proto';

/** The generated protobuf classes of the ONNX schema (onnx-proto is CommonJS: default import). */
export const { onnx } = onnxProto;

/** Element types that Vajra's graphs use. */
export type ElemType = 'float' | 'double' | 'int64' | 'int32' | 'string' | 'bool';

const elemCodes: Record<ElemType, number> = { float: 1, int32: 6, int64: 7, string: 8, bool: 9, double: 11 };

/** ONNX `TensorProto.DataType` code of an element type. */
export function elemTypeCode(type: ElemType): number {
  return elemCodes[type];
}

/** Element type of an ONNX data type code, or `unknown(<code>)` for one Vajra does not produce. */
export function elemTypeName(code: number): string {
  for (const [name, value] of Object.entries(elemCodes)) if (value === code) return name;
  const others: Record<number, string> = { 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 10: 'float16', 12: 'uint32', 13: 'uint64', 16: 'bfloat16' };
  return others[code] ?? `unknown(${code})`;
}

/** A dimension: a fixed size, or a symbolic name such as `'N'` for the batch. */
export type Dim = number | string;

/** A constant tensor (initializer or attribute). `values.length` must equal the product of `dims`. */
export type TensorValue =
  | { type: 'float' | 'double'; dims: readonly number[]; values: ArrayLike<number> }
  | { type: 'int64' | 'int32'; dims: readonly number[]; values: ArrayLike<number> }
  | { type: 'string'; dims: readonly number[]; values: readonly string[] }
  | { type: 'bool'; dims: readonly number[]; values: readonly boolean[] };

/** A typed node attribute. `float`/`floats` are stored as float32, `int`/`ints` as int64. */
export type AttrValue =
  | { kind: 'float'; value: number }
  | { kind: 'int'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'floats'; value: ArrayLike<number> }
  | { kind: 'ints'; value: ArrayLike<number> }
  | { kind: 'strings'; value: readonly string[] }
  | { kind: 'tensor'; value: TensorValue };

/** Short constructors for typed attributes: `attr.ints([1, 2])`. */
export const attr = {
  float: (value: number): AttrValue => ({ kind: 'float', value }),
  int: (value: number): AttrValue => ({ kind: 'int', value }),
  string: (value: string): AttrValue => ({ kind: 'string', value }),
  floats: (value: ArrayLike<number>): AttrValue => ({ kind: 'floats', value }),
  ints: (value: ArrayLike<number>): AttrValue => ({ kind: 'ints', value }),
  strings: (value: readonly string[]): AttrValue => ({ kind: 'strings', value }),
  tensor: (value: TensorValue): AttrValue => ({ kind: 'tensor', value }),
};

/** Opset versions Vajra writes: default domain 15, `ai.onnx.ml` 3 (see STACK-NOTES). */
export const DEFAULT_OPSETS: Readonly<Record<string, number>> = { '': 15, 'ai.onnx.ml': 3 };

/** The IR version Vajra writes (ONNX 1.10). */
export const IR_VERSION = 8;
