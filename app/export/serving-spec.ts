import { UserInputError } from '../base/errors';
import { readOnnxModel } from '../onnx/reader';
import type { OnnxValueInfo } from '../onnx/reader';
import { DERIVED_SQL_KEY, derivedServing } from './derived';
import type { BundleInput, ColumnType, ServingInput, ServingSpec, TensorType } from './types';

const TENSOR_TYPES: Record<string, TensorType> = { float: 'float32', double: 'float64', int64: 'int64', bool: 'bool', string: 'string' };

/** Which MLflow column types can feed a tensor type (JSON numbers may feed any float tensor). */
const FEEDS: Record<TensorType, readonly ColumnType[]> = {
  float32: ['double', 'float'],
  float64: ['double', 'float'],
  int64: ['long'],
  bool: ['boolean'],
  string: ['string'],
};

function tensorTypeOf(info: OnnxValueInfo, role: string): TensorType {
  const type = TENSOR_TYPES[info.elemType];
  if (!type) throw new UserInputError(`The model's ${role} "${info.name}" has element type ${info.elemType}, which a bundle cannot serve.`);
  return type;
}

function shapeOf(info: OnnxValueInfo): number[] {
  return info.shape.map((d) => (typeof d === 'number' ? d : -1));
}

/** A v2-safe model name: lowercase letters, digits and dashes. */
export function defaultModelName(runId: string): string {
  return `vajra-${runId.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`.slice(0, 63).replace(/-+$/, '');
}

/**
 * Derives `serving.json` from the signature and the ONNX graph. Throws `UserInputError` when the
 * two disagree: a graph input missing from the signature (or the reverse), a column type that
 * cannot feed the tensor, an input that is not one column ([N] or [N, 1]), an unknown output.
 * When the model records lag/rolling SQL (`vajra.derived_sql`), `derived` says what callers send
 * instead and the derived graph inputs become optional (their first rows have no history: NaN).
 */
export function buildServingSpec(input: BundleInput, paths: { expectations?: string; explainer?: string }): ServingSpec {
  const model = readOnnxModel(input.modelBytes);
  const graphInputs = new Map(model.inputs.map((i) => [i.name, i]));
  const signed = new Set(input.signature.inputs.map((i) => i.name));
  const unsigned = model.inputs.filter((i) => !signed.has(i.name)).map((i) => `"${i.name}"`);
  if (unsigned.length > 0) throw new UserInputError(`The model takes ${unsigned.join(', ')}, but the signature does not list ${unsigned.length > 1 ? 'them' : 'it'}.`);
  const sql = model.metadata[DERIVED_SQL_KEY];
  const inputs = input.signature.inputs.map((s): ServingInput => {
    const info = graphInputs.get(s.name);
    if (!info) throw new UserInputError(`The signature lists input "${s.name}", but the model has no such input.`);
    const tensorType = tensorTypeOf(info, 'input');
    if (!FEEDS[tensorType].includes(s.type)) throw new UserInputError(`Input "${s.name}" is declared ${s.type}, but the model reads it as ${info.elemType}.`);
    const shape = shapeOf(info);
    if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1))) throw new UserInputError(`Input "${s.name}" has shape [${shape.join(', ')}]; a bundle serves one column per input ([N] or [N, 1]).`);
    return { name: s.name, type: s.type, tensorType, shape, optional: s.optional ?? false };
  });
  const graphOutputs = new Map(model.outputs.map((o) => [o.name, o]));
  const outputs = input.signature.outputs.map((s) => {
    const info = graphOutputs.get(s.name);
    if (!info) throw new UserInputError(`The signature lists output "${s.name}", but the model has no such output.`);
    return { name: s.name, type: s.type, tensorType: tensorTypeOf(info, 'output'), shape: shapeOf(info) };
  });
  if (outputs.length === 0) throw new UserInputError('The signature lists no outputs.');
  const derived = sql ? derivedServing(sql, inputs) : undefined;
  if (derived) for (const i of inputs) if (derived.columns.includes(i.name)) i.optional = true;
  return {
    format: 1,
    modelName: input.modelName ?? defaultModelName(input.runId),
    modelVersion: input.modelVersion ?? '1',
    runId: input.runId,
    inputs,
    outputs,
    versions: { ...input.versions },
    ...(derived ? { derived } : {}),
    ...(paths.expectations ? { expectations: paths.expectations } : {}),
    ...(paths.explainer ? { explainer: paths.explainer } : {}),
  };
}
