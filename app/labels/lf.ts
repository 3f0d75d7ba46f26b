/**
 * Labeling functions (LFs) as data, their application to text, and Snorkel's LFAnalysis
 * statistics over a label matrix. Classes are integers 0…k−1; −1 means abstain.
 * Keyword, regex and length LFs run here; SQL and JS LFs run elsewhere (engine / sandbox) and
 * their columns are passed in as `external` outputs.
 */
import { assertNever } from '../base/assert';
import { UserInputError } from '../base/errors';

/** The abstain vote. */
export const ABSTAIN = -1;

/**
 * One LF. `keyword`: votes `label` when the lower-cased text contains any keyword as a substring
 * (Snorkel tutorial's keyword_lookup). `regex`: when the JS regex matches anywhere (flags as in
 * RegExp, e.g. "i"). `length`: when the text's length in whitespace-separated words or in
 * characters is < `lessThan` (and/or > `greaterThan`). `sql`/`js`: evaluated outside this module.
 */
export type LabelingFunction =
  | { readonly name: string; readonly kind: 'keyword'; readonly keywords: readonly string[]; readonly label: number }
  | { readonly name: string; readonly kind: 'regex'; readonly pattern: string; readonly flags?: string; readonly label: number }
  | {
      readonly name: string;
      readonly kind: 'length';
      readonly unit: 'words' | 'chars';
      readonly lessThan?: number;
      readonly greaterThan?: number;
      readonly label: number;
    }
  | { readonly name: string; readonly kind: 'sql'; readonly sql: string }
  | { readonly name: string; readonly kind: 'js'; readonly code: string };

/** An n×m label matrix, row-major: `data[i*m + j]` is LF j's vote on row i (−1 = abstain). */
export interface LabelMatrix {
  readonly n: number;
  readonly m: number;
  readonly data: Int8Array | Int32Array;
}

/** Builds a LabelMatrix from row arrays (tests, small inputs). */
export function labelMatrix(rows: readonly (readonly number[])[]): LabelMatrix {
  const n = rows.length;
  const m = rows[0]?.length ?? 0;
  const data = new Int32Array(n * m);
  rows.forEach((r, i) => r.forEach((v, j) => (data[i * m + j] = v)));
  return { n, m, data };
}

function wordCount(text: string): number {
  // Python's str.split(): runs of whitespace, leading/trailing ignored.
  const t = text.trim();
  return t === '' ? 0 : t.split(/\s+/).length;
}

/** A vote function for a keyword/regex/length LF; throws for sql/js LFs. */
export function compileTextLf(lf: LabelingFunction): (text: string) => number {
  switch (lf.kind) {
    case 'keyword': {
      const words = lf.keywords.map((w) => w.toLowerCase());
      return (text) => {
        const t = text.toLowerCase();
        return words.some((w) => t.includes(w)) ? lf.label : ABSTAIN;
      };
    }
    case 'regex': {
      const re = new RegExp(lf.pattern, (lf.flags ?? '').replace('g', ''));
      return (text) => (re.test(text) ? lf.label : ABSTAIN);
    }
    case 'length':
      return (text) => {
        const len = lf.unit === 'words' ? wordCount(text) : text.length;
        const ok = (lf.lessThan === undefined || len < lf.lessThan) && (lf.greaterThan === undefined || len > lf.greaterThan);
        return ok ? lf.label : ABSTAIN;
      };
    case 'sql':
    case 'js':
      throw new UserInputError(`LF ${lf.name} (${lf.kind}) runs outside the text applier; pass its votes as external`);
    default:
      return assertNever(lf, 'LF kind');
  }
}

/**
 * Applies `lfs` to `texts` → n×m LabelMatrix (Int32Array). Columns of sql/js LFs are taken from
 * `external[name]` (length n), which the caller computed elsewhere.
 */
export function applyLfs(lfs: readonly LabelingFunction[], texts: readonly string[], external: Readonly<Record<string, ArrayLike<number>>> = {}): LabelMatrix {
  const n = texts.length;
  const m = lfs.length;
  const data = new Int32Array(n * m);
  lfs.forEach((lf, j) => {
    if (lf.kind === 'sql' || lf.kind === 'js') {
      const col = external[lf.name];
      if (!col || col.length !== n) throw new UserInputError(`missing ${n} external votes for LF ${lf.name}`);
      for (let i = 0; i < n; i++) data[i * m + j] = col[i]!;
      return;
    }
    const vote = compileTextLf(lf);
    for (let i = 0; i < n; i++) data[i * m + j] = vote(texts[i]!);
  });
  return { n, m, data };
}

/** Per-LF statistics (Snorkel LFAnalysis.lf_summary) plus whole-matrix and pairwise figures. */
export interface LfAnalysis {
  /** Sorted distinct non-abstain votes of each LF. */
  readonly polarity: number[][];
  /** Fraction of rows each LF labels. */
  readonly coverage: Float64Array;
  /** Fraction of rows each LF labels that at least one other LF also labels (÷ n, not ÷ coverage). */
  readonly overlaps: Float64Array;
  /** Fraction of rows each LF labels on which the non-abstain votes of all LFs are not all equal (÷ n). */
  readonly conflicts: Float64Array;
  /** Fractions of rows with ≥1 vote, ≥2 votes, and disagreeing votes. */
  readonly labelCoverage: number;
  readonly labelOverlap: number;
  readonly labelConflict: number;
  /** m×m row-major: fraction of rows where LFs a and b both vote and disagree. */
  readonly conflictMatrix: Float64Array;
  /** m×m row-major: fraction of rows where LFs a and b both vote. */
  readonly overlapMatrix: Float64Array;
  /** With gold labels: votes equal to gold, votes different from gold, and correct/(correct+incorrect) (0 when an LF never votes). */
  readonly correct?: Int32Array;
  readonly incorrect?: Int32Array;
  readonly empiricalAccuracy?: Float64Array;
}

/**
 * Snorkel's LFAnalysis over `L`. With `gold`, also correct/incorrect/empirical accuracy. Note:
 * Snorkel's lf_summary counts correct/incorrect from a confusion matrix with its first row and
 * column dropped, which equals our definition whenever gold or the LF contains −1 (the normal
 * case) and undercounts the smallest class otherwise; we always use the plain definition.
 */
export function lfAnalysis(L: LabelMatrix, gold?: ArrayLike<number>): LfAnalysis {
  const { n, m, data } = L;
  const votes = new Int32Array(m);
  const ovl = new Int32Array(m);
  const cfl = new Int32Array(m);
  const pairConflict = new Float64Array(m * m);
  const pairOverlap = new Float64Array(m * m);
  const polarity = Array.from({ length: m }, () => new Set<number>());
  let covered = 0;
  let overlapped = 0;
  let conflicted = 0;
  for (let i = 0; i < n; i++) {
    const row = data.subarray(i * m, i * m + m);
    let count = 0;
    let first = ABSTAIN;
    let isConflict = false;
    for (let j = 0; j < m; j++) {
      const v = row[j]!;
      if (v === ABSTAIN) continue;
      votes[j]!++;
      polarity[j]!.add(v);
      if (count > 0 && v !== first) isConflict = true;
      if (count === 0) first = v;
      count++;
      for (let b = j + 1; b < m; b++) {
        const w = row[b]!;
        if (w === ABSTAIN) continue;
        pairOverlap[j * m + b]!++;
        if (w !== v) pairConflict[j * m + b]!++;
      }
    }
    if (count > 0) covered++;
    if (count > 1) overlapped++;
    if (isConflict) conflicted++;
    for (let j = 0; j < m; j++) {
      if (row[j] === ABSTAIN) continue;
      if (count > 1) ovl[j]!++;
      if (isConflict) cfl[j]!++;
    }
  }
  const frac = (a: Int32Array) => Float64Array.from(a, (v) => (n === 0 ? 0 : v / n));
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) {
      pairOverlap[b * m + a] = pairOverlap[a * m + b]! /= n || 1;
      pairConflict[b * m + a] = pairConflict[a * m + b]! /= n || 1;
    }
  }
  const base: LfAnalysis = {
    polarity: polarity.map((s) => [...s].sort((x, y) => x - y)),
    coverage: frac(votes),
    overlaps: frac(ovl),
    conflicts: frac(cfl),
    labelCoverage: n === 0 ? 0 : covered / n,
    labelOverlap: n === 0 ? 0 : overlapped / n,
    labelConflict: n === 0 ? 0 : conflicted / n,
    conflictMatrix: pairConflict,
    overlapMatrix: pairOverlap,
  };
  return gold ? { ...base, ...goldStats(L, gold) } : base;
}

function goldStats(L: LabelMatrix, gold: ArrayLike<number>) {
  const { n, m, data } = L;
  if (gold.length !== n) throw new UserInputError(`gold has ${gold.length} rows, L has ${n}`);
  const correct = new Int32Array(m);
  const incorrect = new Int32Array(m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const v = data[i * m + j]!;
      if (v === ABSTAIN) continue;
      if (v === gold[i]) correct[j]!++;
      else incorrect[j]!++;
    }
  }
  const empiricalAccuracy = Float64Array.from(correct, (c, j) => (c + incorrect[j]! === 0 ? 0 : c / (c + incorrect[j]!)));
  return { correct, incorrect, empiricalAccuracy };
}
