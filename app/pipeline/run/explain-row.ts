import { UserInputError } from '../../base/errors';
import { explainFeatures, fromBase64 } from '../../explain/explainer';
import type { Explainer } from '../../explain/explainer';
import type { RawTable } from '../../explain/table';
import { featureRows, modelPredictor } from './explain-node';
import type { ModelValue, RunEnv } from './types';

/** One row's explanation for the what-if form: attributions per raw column and per feature. */
export interface RowExplanation {
  /** The model's prediction (positive-class probability or value) from the compiled ONNX. */
  prediction: number;
  /** The explained output; baseValue + Σ attributions = output. */
  output: number;
  baseValue: number;
  attributions: Record<string, number>;
  detail: { feature: string; column: string; value: number }[];
}

const decoded = new WeakMap<Explainer, Uint8Array>();

function featuresOnnxOf(explainer: Explainer): Uint8Array {
  let bytes = decoded.get(explainer);
  if (!bytes) { bytes = fromBase64(explainer.featuresOnnx); decoded.set(explainer, bytes); }
  return bytes;
}

/** A one-row RawTable from `values` by raw column name (missing → NaN or null). */
export function rowTable(explainer: Explainer, types: readonly ('number' | 'string')[], values: Readonly<Record<string, number | string | null>>): RawTable {
  const columns = explainer.columns.map((name, i) => {
    const v = values[name] ?? null;
    if (types[i] === 'number') {
      const n = v === null || v === '' ? NaN : Number(v);
      if (v !== null && v !== '' && Number.isNaN(n)) throw new UserInputError(`"${name}" takes a number, got "${String(v)}".`, { column: name });
      return Float64Array.of(n);
    }
    return [v === null ? null : String(v)];
  });
  return { names: explainer.columns, columns, rows: 1 };
}

/**
 * Explains one row typed in the what-if form with the same explainer and the same features as
 * the Explain node (preprocessing ONNX, then TreeSHAP or linear SHAP), and scores it.
 */
export async function explainRow(model: ModelValue, explainer: Explainer, values: Readonly<Record<string, number | string | null>>, env: Pick<RunEnv, 'score' | 'signal'>): Promise<RowExplanation> {
  const types = explainer.columns.map((name) => model.chain?.columns.find((c) => c.name === name)?.type ?? 'number');
  const raw = rowTable(explainer, types, values);
  const x = await featureRows(model, featuresOnnxOf(explainer), raw, env);
  const result = explainFeatures(explainer, x);
  const [prediction] = await modelPredictor(model, env, 'probability')(raw);
  return {
    prediction: prediction!, output: result.output[0]!, baseValue: result.baseValue,
    attributions: Object.fromEntries(explainer.columns.map((c, i) => [c, result.values[i]!])),
    detail: explainer.features.map((feature, f) => ({ feature, column: explainer.columns[explainer.lineage[f]!]!, value: result.detail[f]! })),
  };
}
