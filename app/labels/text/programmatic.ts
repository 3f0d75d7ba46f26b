/**
 * Data programming end to end, pure part: LF votes → majority vote and the generative label
 * model → training labels (abstain rows filtered) → the text end model. The backend supplies the
 * votes (DuckDB + JS sandbox) and writes the labels as a table.
 */
import { createRng } from '../../base/rng';
import { fitLabelModel, labelledRows, majorityVote, predictProba, probsToPreds, type LabelModel } from '../label-model';
import type { LabelMatrix } from '../lf';
import { fitTextModel, type TextModel, type TextModelOptions } from './text-model';

/** Probabilistic labels of every row from both combiners. */
export interface CombinedLabels {
  readonly k: number;
  readonly model: LabelModel;
  /** Label model posterior, n×k row-major. */
  readonly proba: Float64Array;
  /** Label model hard labels (ties broken by a seeded random pick, as Snorkel's default). */
  readonly preds: Int32Array;
  /** Majority vote hard labels (same tie policy). */
  readonly majority: Int32Array;
  /** Rows with at least one non-abstain vote: the rows a training table keeps. */
  readonly kept: Int32Array;
}

/** Fits the label model on `L` (no gold) and labels every row with it and with majority vote. */
export function combineVotes(L: LabelMatrix, k: number, seed = 123): CombinedLabels {
  const model = fitLabelModel(L, { k });
  const proba = predictProba(model, L);
  return {
    k,
    model,
    proba,
    preds: probsToPreds(proba, k, { policy: 'random', rng: createRng(seed) }),
    majority: majorityVote(L, k, { policy: 'random', rng: createRng(seed) }),
    kept: labelledRows(L),
  };
}

/** Label-model labels applied to new rows (e.g. a test split) with a fitted model. */
export function labelRows(model: LabelModel, L: LabelMatrix, seed = 123): { preds: Int32Array; majority: Int32Array } {
  return {
    preds: probsToPreds(predictProba(model, L), model.k, { policy: 'random', rng: createRng(seed) }),
    majority: majorityVote(L, model.k, { policy: 'random', rng: createRng(seed) }),
  };
}

/** Trains the end model on the kept rows with the label model's hard labels (Snorkel's tutorial recipe). */
export function trainEndModel(texts: readonly string[], combined: CombinedLabels, options: TextModelOptions = {}): TextModel {
  const rows = Array.from(combined.kept);
  return fitTextModel(rows.map((i) => texts[i]!), rows.map((i) => combined.preds[i]!), combined.k, options);
}
