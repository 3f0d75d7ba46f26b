/**
 * Annotation data model: plain, JSON-serialisable values for time-series and text labels.
 * Human labels and model/LF suggestions are distinct kinds, so a suggestion never silently
 * becomes ground truth: it turns into a human label only through an `acceptSuggestion` op.
 */
import { assertNever } from '../base/assert';

/** A labelled interval of one series. `start`/`end` are in the series' own x units (epoch ms or row index), inclusive, start ≤ end. */
export interface RangeLabel {
  readonly kind: 'range';
  readonly id: string;
  readonly series: string;
  readonly start: number;
  readonly end: number;
  readonly label: string;
  readonly note?: string;
}

/** A labelled single point of one series (`at` in the series' x units). */
export interface PointLabel {
  readonly kind: 'point';
  readonly id: string;
  readonly series: string;
  readonly at: number;
  readonly label: string;
  readonly note?: string;
}

/** Document-level class(es). In a `single` label set `labels` has at most one entry. */
export interface DocLabel {
  readonly kind: 'doc';
  readonly id: string;
  readonly doc: string;
  readonly labels: readonly string[];
  readonly note?: string;
}

/** A labelled span of a document's text, in UTF-16 code units: `start` inclusive, `end` exclusive. */
export interface SpanLabel {
  readonly kind: 'span';
  readonly id: string;
  readonly doc: string;
  readonly start: number;
  readonly end: number;
  readonly label: string;
  readonly note?: string;
}

/** Any human label. */
export type Label = RangeLabel | PointLabel | DocLabel | SpanLabel;

/** Where a suggestion came from: a model run, a labeling function, or a detector. */
export interface SuggestionSource {
  readonly type: 'model' | 'lf' | 'detector';
  readonly name: string;
  /** Optional run id (lineage) of the model that produced it. */
  readonly run?: string;
}

/** A pre-annotation: the proposed label plus its source and a score (higher = more confident/anomalous). */
export interface Suggestion {
  readonly id: string;
  readonly proposal: Label;
  readonly source: SuggestionSource;
  readonly score: number;
}

/** What a label set annotates, and its vocabulary. */
export type LabelSetSchema =
  | { readonly target: 'timeseries'; readonly classes: readonly string[] }
  | {
      readonly target: 'text';
      readonly classes: readonly string[];
      /** `single`: one class per document; `multi`: any subset. */
      readonly docMode: 'single' | 'multi' | 'none';
      readonly spanClasses: readonly string[];
      /** When true, spans are widened to whole tokens by `snapSpanToTokens`. */
      readonly tokenSnap: boolean;
    };

/**
 * The state of one label set. `labels` and `suggestions` are keyed by id so ops are O(1);
 * `seq` is the sequence number of the last applied op (0 for a fresh set).
 */
export interface LabelSetState {
  readonly id: string;
  readonly name: string;
  readonly schema: LabelSetSchema;
  readonly labels: Readonly<Record<string, Label>>;
  readonly suggestions: Readonly<Record<string, Suggestion>>;
  /** Ids of suggestions that were rejected, kept so a detector re-run does not re-propose them. */
  readonly rejected: readonly string[];
  readonly seq: number;
}

/** An empty label set. */
export function emptyLabelSet(id: string, name: string, schema: LabelSetSchema): LabelSetState {
  return { id, name, schema, labels: {}, suggestions: {}, rejected: [], seq: 0 };
}

/** Labels sorted by id (stable order for exports and hashing). */
export function labelList(state: LabelSetState): Label[] {
  return Object.keys(state.labels)
    .sort()
    .map((id) => state.labels[id]!);
}

/** Suggestions sorted by descending score, ties by id. */
export function suggestionList(state: LabelSetState): Suggestion[] {
  return Object.values(state.suggestions).sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Half-open token boundaries [start, end) of `text` split on whitespace. */
export function tokenBoundaries(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const re = /\S+/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push([m.index, m.index + m[0].length]);
  return out;
}

/**
 * Widens [start, end) so it covers whole whitespace tokens: every token the span touches is
 * included. A span that touches no token (only whitespace) is returned unchanged.
 */
export function snapSpanToTokens(text: string, start: number, end: number): { start: number; end: number } {
  let s = Infinity;
  let e = -Infinity;
  for (const [a, b] of tokenBoundaries(text)) {
    if (b > start && a < end) {
      s = Math.min(s, a);
      e = Math.max(e, b);
    }
  }
  return Number.isFinite(s) ? { start: s, end: e } : { start, end };
}

/** Checks one label against the schema; returns a list of problems (empty when valid). */
export function validateLabel(schema: LabelSetSchema, label: Label): string[] {
  const problems: string[] = [];
  const known = (c: string, list: readonly string[]) => {
    if (list.length > 0 && !list.includes(c)) problems.push(`unknown class "${c}"`);
  };
  switch (label.kind) {
    case 'range':
      if (schema.target !== 'timeseries') problems.push('range label in a text label set');
      if (!(label.start <= label.end)) problems.push('range start after end');
      known(label.label, schema.classes);
      break;
    case 'point':
      if (schema.target !== 'timeseries') problems.push('point label in a text label set');
      known(label.label, schema.classes);
      break;
    case 'doc':
      if (schema.target !== 'text') problems.push('document label in a time-series label set');
      else {
        if (schema.docMode === 'none') problems.push('document labels are off for this set');
        if (schema.docMode === 'single' && label.labels.length > 1) problems.push('more than one class in a single-class set');
        for (const c of label.labels) known(c, schema.classes);
      }
      break;
    case 'span':
      if (schema.target !== 'text') problems.push('span label in a time-series label set');
      else known(label.label, schema.spanClasses);
      if (!(label.start < label.end) || label.start < 0) problems.push('empty or negative span');
      break;
    default:
      assertNever(label, 'label kind');
  }
  return problems;
}
