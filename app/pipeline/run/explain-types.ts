import type { Explainer, ExplainedOutput } from '../../explain/explainer';

/** Permutation importance of one raw column on the test rows: mean and std of the score drop. */
export interface ColumnImportance {
  column: string;
  mean: number;
  std: number;
}

/** Partial dependence of the predicted output on one raw column, with a few ICE curves. */
export interface PdpCurve {
  column: string;
  grid: (number | string)[];
  average: number[];
  ice: number[][];
}

/**
 * What an Explain node produces, JSON-safe. Per explained row r (the first `rows.length` test
 * rows): `data[r][c]` raw value, `shap[r][c]` attribution of raw column c, `detail[r][f]`
 * attribution of feature f (lineage[f] = its raw column), `outputs[r]` the explained output
 * (`output`), with baseValue + Σ_c shap[r][c] = outputs[r]. `predictions[r]` is the model's own
 * prediction (positive-class probability or value) from the compiled ONNX.
 */
export interface Explanations {
  method: 'tree' | 'linear' | 'kernel';
  output: ExplainedOutput;
  outputClass?: string | number;
  baseValue: number;
  columns: string[];
  columnTypes: ('number' | 'string')[];
  features: string[];
  lineage: number[];
  importance: { metric: string; baseline: number; repeats: number; columns: ColumnImportance[] };
  rows: number[];
  data: (number | string | null)[][];
  shap: number[][];
  detail: number[][];
  outputs: number[];
  predictions: number[];
  pdp: PdpCurve[];
}

/** The output of an Explain node: explanations, and the explainer a bundle ships (null for Kernel SHAP). */
export interface ExplanationsValue {
  type: 'explanations';
  explanations: Explanations;
  explainer: Explainer | null;
}
