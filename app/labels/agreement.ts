/**
 * Inter-annotator agreement and prediction-vs-gold overlap for labels: range IoU, Cohen's kappa
 * per sample (time series) and per document, and span precision/recall/F1 (exact or overlap).
 */
import type { Label } from './model';

/** A closed-open interval [start, end) in any unit (x units for ranges, characters for spans). */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** Intersection over union of two intervals; 1 for two identical empty intervals, 0 when disjoint. */
export function rangeIoU(a: Interval, b: Interval): number {
  const inter = Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
  const union = a.end - a.start + (b.end - b.start) - inter;
  if (union <= 0) return a.start === b.start && a.end === b.end ? 1 : 0;
  return inter / union;
}

function mergeIntervals(items: readonly Interval[]): Interval[] {
  const sorted = [...items].sort((p, q) => p.start - q.start);
  const out: Interval[] = [];
  for (const it of sorted) {
    const last = out[out.length - 1];
    if (last && it.start <= last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, it.end) };
    else out.push({ start: it.start, end: it.end });
  }
  return out;
}

function totalLength(items: readonly Interval[]): number {
  return items.reduce((s, i) => s + (i.end - i.start), 0);
}

/** IoU of the unions of two interval sets along one axis (1 when both are empty). */
export function rangeSetIoU(a: readonly Interval[], b: readonly Interval[]): number {
  const ma = mergeIntervals(a);
  const mb = mergeIntervals(b);
  let inter = 0;
  for (const x of ma) for (const y of mb) inter += Math.max(0, Math.min(x.end, y.end) - Math.max(x.start, y.start));
  const union = totalLength(ma) + totalLength(mb) - inter;
  return union <= 0 ? 1 : inter / union;
}

/**
 * Cohen's kappa of two raters over the same items: (p_o − p_e)/(1 − p_e) (sklearn
 * cohen_kappa_score, unweighted). Returns 1 when both raters use one identical class throughout.
 */
export function cohenKappa(a: ArrayLike<string | number>, b: ArrayLike<string | number>): number {
  const n = a.length;
  if (n !== b.length) throw new RangeError(`raters disagree on item count: ${n} vs ${b.length}`);
  if (n === 0) return Number.NaN;
  const ca = new Map<string | number, number>();
  const cb = new Map<string | number, number>();
  let agree = 0;
  for (let i = 0; i < n; i++) {
    ca.set(a[i]!, (ca.get(a[i]!) ?? 0) + 1);
    cb.set(b[i]!, (cb.get(b[i]!) ?? 0) + 1);
    if (a[i] === b[i]) agree++;
  }
  let pe = 0;
  for (const [c, k] of ca) pe += (k / n) * ((cb.get(c) ?? 0) / n);
  const po = agree / n;
  return pe === 1 ? 1 : (po - pe) / (1 - pe);
}

/** A labelled interval over a series' x axis (inclusive ends, as RangeLabel). */
export interface LabelledRange {
  readonly start: number;
  readonly end: number;
  readonly label: string;
}

/** The class of each sample x under `ranges` ('none' outside all; a later range wins on overlap). */
export function samplesFromRanges(x: ArrayLike<number>, ranges: readonly LabelledRange[], none = 'none'): string[] {
  const out = new Array<string>(x.length).fill(none);
  for (const r of ranges) for (let i = 0; i < x.length; i++) if (x[i]! >= r.start && x[i]! <= r.end) out[i] = r.label;
  return out;
}

/** Per-sample Cohen's kappa of two annotators' range labels of one series sampled at `x`. */
export function perSampleKappa(x: ArrayLike<number>, a: readonly LabelledRange[], b: readonly LabelledRange[]): number {
  return cohenKappa(samplesFromRanges(x, a), samplesFromRanges(x, b));
}

/** Document-level Cohen's kappa over documents both annotators labelled (single class per doc). */
export function documentKappa(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): { kappa: number; documents: number } {
  const docs = Object.keys(a).filter((d) => d in b).sort();
  return { kappa: cohenKappa(docs.map((d) => a[d]!), docs.map((d) => b[d]!)), documents: docs.length };
}

/** A span in a document (character offsets, end exclusive). */
export interface DocSpan {
  readonly doc: string;
  readonly start: number;
  readonly end: number;
  readonly label: string;
}

/** Precision, recall and F1 of predicted spans against gold spans. */
export interface SpanScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Predicted spans that match a gold span. */
  readonly tp: number;
  /** Predicted spans that match none. */
  readonly fp: number;
  /** Gold spans matched by no prediction. */
  readonly fn: number;
}

/**
 * Span P/R/F1. `exact`: same doc, label, start and end (CoNLL/seqeval entity F1). `overlap`: same
 * doc and label and any shared character; precision counts predictions that hit some gold span,
 * recall gold spans hit by some prediction. Empty sets score 1 (nothing to find, nothing found).
 */
export function spanF1(gold: readonly DocSpan[], pred: readonly DocSpan[], mode: 'exact' | 'overlap'): SpanScores {
  const match = (g: DocSpan, p: DocSpan) =>
    g.doc === p.doc && g.label === p.label && (mode === 'exact' ? g.start === p.start && g.end === p.end : Math.min(g.end, p.end) > Math.max(g.start, p.start));
  let tp = 0;
  if (mode === 'exact') {
    const keys = new Map<string, number>();
    for (const g of gold) keys.set(`${g.doc}\u0000${g.label}\u0000${g.start}\u0000${g.end}`, (keys.get(`${g.doc}\u0000${g.label}\u0000${g.start}\u0000${g.end}`) ?? 0) + 1);
    for (const p of pred) {
      const k = `${p.doc}\u0000${p.label}\u0000${p.start}\u0000${p.end}`;
      const left = keys.get(k) ?? 0;
      if (left > 0) {
        tp++;
        keys.set(k, left - 1);
      }
    }
  } else tp = pred.filter((p) => gold.some((g) => match(g, p))).length;
  const goldHit = mode === 'exact' ? tp : gold.filter((g) => pred.some((p) => match(g, p))).length;
  const precision = pred.length === 0 ? (gold.length === 0 ? 1 : 0) : tp / pred.length;
  const recall = gold.length === 0 ? (pred.length === 0 ? 1 : 0) : goldHit / gold.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, tp, fp: pred.length - tp, fn: gold.length - goldHit };
}

/** Agreement of two annotators on one text set (see `textAgreement`). */
export interface TextAgreement {
  /** Documents both annotators classified. */
  readonly documents: number;
  /** Cohen's kappa over those documents; null when there are none. */
  readonly kappa: number | null;
  /** Span scores with A as the reference (exact F1 is symmetric; P and R swap with the order). */
  readonly exact: SpanScores;
  readonly overlap: SpanScores;
  readonly spansA: number;
  readonly spansB: number;
}

/**
 * Document-level Cohen's kappa and span F1 (exact and overlap) between two annotators' text
 * labels. A multi-label document is compared as its sorted class set (`a|b`), so kappa counts a
 * partly different set as disagreement. Doc labels with no class are ignored.
 */
export function textAgreement(a: readonly Label[], b: readonly Label[]): TextAgreement {
  const classes = (labels: readonly Label[]) => {
    const out: Record<string, string> = {};
    for (const l of labels) if (l.kind === 'doc' && l.labels.length > 0) out[l.doc] = [...l.labels].sort().join('|');
    return out;
  };
  const spans = (labels: readonly Label[]): DocSpan[] => labels.flatMap((l) => (l.kind === 'span' ? [{ doc: l.doc, start: l.start, end: l.end, label: l.label }] : []));
  const docs = documentKappa(classes(a), classes(b));
  const sa = spans(a);
  const sb = spans(b);
  return { documents: docs.documents, kappa: docs.documents === 0 ? null : docs.kappa, exact: spanF1(sa, sb, 'exact'), overlap: spanF1(sa, sb, 'overlap'), spansA: sa.length, spansB: sb.length };
}
