/**
 * Combining LF votes into training labels: majority vote, and a generative label model that
 * learns each LF's accuracy without gold labels.
 *
 * The generative model assumes LFs are conditionally independent given the true class Y
 * (Dawid–Skene with abstain as an outcome): parameters are the class balance π and, per LF, the
 * distribution of its vote (abstain or a class) given Y, fitted by EM from the label matrix alone.
 * Identifiable when most LFs are better than chance, which the initial accuracy > 1/k encodes.
 */
import type { Rng } from '../base/rng';
import { UserInputError } from '../base/errors';
import { ABSTAIN, type LabelMatrix } from './lf';

/** How a tie between classes becomes a prediction: abstain (−1), or a seeded random pick among the tied classes. */
export type TieBreak = { readonly policy: 'abstain' } | { readonly policy: 'random'; readonly rng: Rng };

/**
 * Snorkel MajorityLabelVoter.predict_proba: per row, the classes with the most votes share
 * probability equally; a row with no votes is uniform over all k classes. Returns n×k row-major.
 */
export function majorityProba(L: LabelMatrix, k: number): Float64Array {
  const { n, m, data } = L;
  const out = new Float64Array(n * k);
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    counts.fill(0);
    for (let j = 0; j < m; j++) {
      const v = data[i * m + j]!;
      if (v !== ABSTAIN) {
        if (v < 0 || v >= k) throw new UserInputError(`vote ${v} outside 0…${k - 1}`);
        counts[v]!++;
      }
    }
    let max = 0;
    for (let c = 0; c < k; c++) max = Math.max(max, counts[c]!);
    let ties = 0;
    for (let c = 0; c < k; c++) if (counts[c] === max) ties++;
    for (let c = 0; c < k; c++) out[i * k + c] = counts[c] === max ? 1 / ties : 0;
  }
  return out;
}

/**
 * Hard predictions from an n×k probability matrix: argmax, with classes within `tol` of the
 * maximum treated as tied and resolved by `tieBreak` (Snorkel probs_to_preds; its "random" uses a
 * hash of the row index, ours a seeded Rng, so tie outcomes differ row by row but not in law).
 */
export function probsToPreds(P: Float64Array, k: number, tieBreak: TieBreak, tol = 1e-5): Int32Array {
  const n = P.length / k;
  const out = new Int32Array(n);
  const tied: number[] = [];
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, P[i * k + c]!);
    tied.length = 0;
    for (let c = 0; c < k; c++) if (Math.abs(P[i * k + c]! - max) < tol) tied.push(c);
    if (tied.length === 1) out[i] = tied[0]!;
    else out[i] = tieBreak.policy === 'abstain' ? ABSTAIN : tied[tieBreak.rng.int(tied.length)]!;
  }
  return out;
}

/** Majority vote predictions (ties and all-abstain rows resolved by `tieBreak`). */
export function majorityVote(L: LabelMatrix, k: number, tieBreak: TieBreak): Int32Array {
  return probsToPreds(majorityProba(L, k), k, tieBreak);
}

/**
 * A fitted generative label model. `conditionals[(j*k + y)*(k+1) + (l+1)]` = P(LF j votes l | Y = y)
 * for l ∈ {−1 (abstain), 0…k−1}: each LF has its own class-conditional vote distribution,
 * abstaining included, so an LF that only ever votes one class ("unipolar") is modelled properly.
 */
export interface LabelModel {
  readonly k: number;
  readonly m: number;
  /** P(Y = c). */
  readonly classBalance: Float64Array;
  readonly conditionals: Float64Array;
  /** P(LF j's vote is right | LF j votes), implied by the conditionals and the class balance. */
  readonly accuracies: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

/** Options of `fitLabelModel`. */
export interface LabelModelOptions {
  readonly k: number;
  /**
   * P(Y) used as the prior. Default uniform; kept fixed (Snorkel LabelModel's default) unless
   * `learnClassBalance` is set, in which case it is the starting point of EM.
   */
  readonly classBalance?: readonly number[];
  /** Re-estimate the class balance in each EM step. Default false. */
  readonly learnClassBalance?: boolean;
  /** Initial (and prior) accuracy of every LF (> 1/k). Default 0.7, as Snorkel's prec_init. */
  readonly initialAccuracy?: number;
  /** Strength of the Dirichlet prior toward the initial conditionals, in pseudo-rows per class. Default 1. */
  readonly priorStrength?: number;
  readonly maxIterations?: number;
  /** Stop when no conditional moves more than this. Default 1e-7. */
  readonly tolerance?: number;
}

/** Posterior P(Y | votes) under the model; n×k row-major. */
export function predictProba(model: LabelModel, L: LabelMatrix): Float64Array {
  const { n, m, data } = L;
  const { k } = model;
  if (m !== model.m) throw new UserInputError(`L has ${m} LFs, the model ${model.m}`);
  const logC = Float64Array.from(model.conditionals, (p) => Math.log(Math.max(p, 1e-300)));
  const logPrior = Float64Array.from(model.classBalance, (p) => Math.log(Math.max(p, 1e-300)));
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let y = 0; y < k; y++) {
      let s = logPrior[y]!;
      for (let j = 0; j < m; j++) s += logC[(j * k + y) * (k + 1) + data[i * m + j]! + 1]!;
      out[i * k + y] = s;
      max = Math.max(max, s);
    }
    let z = 0;
    for (let y = 0; y < k; y++) z += out[i * k + y] = Math.exp(out[i * k + y]! - max);
    for (let y = 0; y < k; y++) out[i * k + y]! /= z;
  }
  return out;
}

/** Initial conditionals: LF j votes with its observed rate, and is right with probability `acc` when it votes. */
function initialConditionals(L: LabelMatrix, k: number, acc: number): Float64Array {
  const { n, m, data } = L;
  const cover = new Float64Array(m);
  for (let i = 0; i < n * m; i++) if (data[i] !== ABSTAIN) cover[i % m]!++;
  const out = new Float64Array(m * k * (k + 1));
  for (let j = 0; j < m; j++) {
    const c = Math.min(Math.max(n === 0 ? 0.5 : cover[j]! / n, 1e-3), 1 - 1e-3);
    for (let y = 0; y < k; y++) {
      const base = (j * k + y) * (k + 1);
      out[base] = 1 - c;
      for (let l = 0; l < k; l++) out[base + l + 1] = l === y ? c * acc : (c * (1 - acc)) / (k - 1);
    }
  }
  return out;
}

function impliedAccuracies(conditionals: Float64Array, balance: Float64Array, k: number, m: number): Float64Array {
  const out = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let right = 0;
    let votes = 0;
    for (let y = 0; y < k; y++) {
      const base = (j * k + y) * (k + 1);
      right += balance[y]! * conditionals[base + y + 1]!;
      votes += balance[y]! * (1 - conditionals[base]!);
    }
    out[j] = votes > 0 ? right / votes : 1 / k;
  }
  return out;
}

/**
 * Fits the generative model to `L` without gold labels: EM (MAP with a Dirichlet prior centred on
 * the initial conditionals, which keeps rarely-firing LFs sane and fixes the label permutation).
 */
export function fitLabelModel(L: LabelMatrix, options: LabelModelOptions): LabelModel {
  const { k } = options;
  const { n, m, data } = L;
  if (k < 2) throw new UserInputError('a label model needs at least 2 classes');
  const prior = initialConditionals(L, k, options.initialAccuracy ?? 0.7);
  const strength = options.priorStrength ?? 1;
  let balance = Float64Array.from(options.classBalance ?? Array.from({ length: k }, () => 1 / k));
  let model: LabelModel = { k, m, classBalance: balance, conditionals: prior, accuracies: impliedAccuracies(prior, balance, k, m), iterations: 0, converged: false };
  const maxIterations = options.maxIterations ?? 500;
  const tolerance = options.tolerance ?? 1e-7;
  for (let it = 1; it <= maxIterations; it++) {
    const P = predictProba(model, L);
    const counts = Float64Array.from(prior, (p) => p * strength);
    const mass = new Float64Array(k).fill(strength);
    for (let i = 0; i < n; i++) {
      for (let y = 0; y < k; y++) {
        const q = P[i * k + y]!;
        mass[y]! += q;
        for (let j = 0; j < m; j++) counts[(j * k + y) * (k + 1) + data[i * m + j]! + 1]! += q;
      }
    }
    const conditionals = Float64Array.from(counts, (c, idx) => c / mass[Math.floor(idx / (k + 1)) % k]!);
    if (options.learnClassBalance) balance = Float64Array.from(mass, (v) => (v - strength) / Math.max(n, 1));
    let delta = 0;
    for (let idx = 0; idx < conditionals.length; idx++) delta = Math.max(delta, Math.abs(conditionals[idx]! - model.conditionals[idx]!));
    const converged = delta < tolerance;
    model = { k, m, classBalance: balance, conditionals, accuracies: impliedAccuracies(conditionals, balance, k, m), iterations: it, converged };
    if (converged) break;
  }
  return model;
}

/** Indices of rows with at least one non-abstain vote (Snorkel filter_unlabeled_dataframe). */
export function labelledRows(L: LabelMatrix): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < L.n; i++) {
    for (let j = 0; j < L.m; j++) {
      if (L.data[i * L.m + j] !== ABSTAIN) {
        out.push(i);
        break;
      }
    }
  }
  return Int32Array.from(out);
}
