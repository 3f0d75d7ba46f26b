/**
 * Active-learning acquisition scores. Every function returns one score per row where HIGHER
 * means MORE uncertain (more worth labelling), so `rankByScore` orders any of them.
 * Probability matrices are n×k row-major.
 */

/** 1 − max_c P(c | x). */
export function leastConfidence(P: Float64Array, k: number): Float64Array {
  const n = P.length / k;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let max = 0;
    for (let c = 0; c < k; c++) max = Math.max(max, P[i * k + c]!);
    out[i] = 1 - max;
  }
  return out;
}

/** 1 − (p₁ − p₂), with p₁ ≥ p₂ the two largest class probabilities (small margin → high score). */
export function marginUncertainty(P: Float64Array, k: number): Float64Array {
  const n = P.length / k;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let a = -Infinity;
    let b = -Infinity;
    for (let c = 0; c < k; c++) {
      const p = P[i * k + c]!;
      if (p > a) {
        b = a;
        a = p;
      } else if (p > b) b = p;
    }
    out[i] = 1 - (a - (Number.isFinite(b) ? b : 0));
  }
  return out;
}

/** Shannon entropy −Σ p log p (nats) of each row. */
export function entropyUncertainty(P: Float64Array, k: number): Float64Array {
  const n = P.length / k;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let c = 0; c < k; c++) {
      const p = P[i * k + c]!;
      if (p > 0) h -= p * Math.log(p);
    }
    out[i] = h;
  }
  return out;
}

/**
 * Vote entropy of a committee: −Σ_c (V_c/C) log(V_c/C), with V_c the members predicting class c
 * (nats). `predictions[member][row]`; a member's −1 (abstain) is not counted as a vote.
 */
export function voteEntropy(predictions: readonly ArrayLike<number>[], k: number): Float64Array {
  const n = predictions[0]?.length ?? 0;
  const out = new Float64Array(n);
  const votes = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    votes.fill(0);
    let total = 0;
    for (const member of predictions) {
      const v = member[i]!;
      if (v >= 0 && v < k) {
        votes[v]!++;
        total++;
      }
    }
    let h = 0;
    for (let c = 0; c < k; c++) if (votes[c]! > 0) h -= (votes[c]! / total) * Math.log(votes[c]! / total);
    out[i] = h;
  }
  return out;
}

/** Row indices by descending score (ties: lower index first), at most `count` of them. */
export function rankByScore(scores: Float64Array, count = scores.length): Int32Array {
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  idx.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return Int32Array.from(idx.slice(0, count));
}
