/**
 * Span and document-class edits of the text panel as label ops: snapping a selection to token
 * boundaries, replacing overlapped spans when the set forbids overlap, toggling classes.
 * Offsets are UTF-16 code units, `start` inclusive, `end` exclusive (app/labels/model.ts).
 */
import type { DocLabel, LabelSetState, SpanLabel } from '../model';
import type { LabelOp } from '../ops';

/**
 * Token boundaries for snapping: runs of letters, digits, marks, `_` and inner apostrophes, and
 * each other non-space character alone, so "Obama," has the tokens "Obama" and ",".
 */
export function wordTokens(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const re = /[\p{L}\p{N}\p{M}_]+(?:['’][\p{L}\p{N}\p{M}_]+)*|[^\s\p{L}\p{N}\p{M}_]/gu;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push([m.index, m.index + m[0].length]);
  return out;
}

/**
 * The span a selection [start, end) becomes. `token`: widened to every token it touches (a
 * selection inside one word takes the word). `char`: kept, minus leading and trailing whitespace.
 * Null when nothing but whitespace was selected.
 */
export function snapSelection(text: string, start: number, end: number, mode: 'token' | 'char'): { start: number; end: number } | null {
  let a = Math.max(0, Math.min(start, end));
  let b = Math.min(text.length, Math.max(start, end));
  if (mode === 'token') {
    let s = Infinity;
    let e = -Infinity;
    for (const [ts, te] of wordTokens(text)) {
      if (te > a && ts < b) {
        s = Math.min(s, ts);
        e = Math.max(e, te);
      }
    }
    return Number.isFinite(s) ? { start: s, end: e } : null;
  }
  while (a < b && /\s/.test(text[a]!)) a++;
  while (b > a && /\s/.test(text[b - 1]!)) b--;
  return a < b ? { start: a, end: b } : null;
}

/** The human spans of document `doc`, by start then end. */
export function docSpans(state: LabelSetState, doc: string): SpanLabel[] {
  return Object.values(state.labels)
    .filter((l): l is SpanLabel => l.kind === 'span' && l.doc === doc)
    .sort((x, y) => x.start - y.start || x.end - y.end);
}

/** The document label of `doc`, if any. */
export function docLabel(state: LabelSetState, doc: string): DocLabel | undefined {
  return Object.values(state.labels).find((l): l is DocLabel => l.kind === 'doc' && l.doc === doc);
}

/**
 * Ops that add `span`. With `allowOverlap` false, every existing span of the document that
 * overlaps it is deleted first; with true, only an identical span (same range and label) is
 * replaced. Returns [] when the identical span already exists.
 */
export function addSpanOps(state: LabelSetState, span: SpanLabel, allowOverlap: boolean): LabelOp[] {
  const existing = docSpans(state, span.doc);
  if (existing.some((s) => s.start === span.start && s.end === span.end && s.label === span.label)) return [];
  const overlapping = allowOverlap ? [] : existing.filter((s) => s.start < span.end && span.start < s.end);
  return [...overlapping.map((s): LabelOp => ({ op: 'delete', id: s.id })), { op: 'add', label: span }];
}

/**
 * The op that sets class `cls` on `doc`. Single mode: the document gets exactly `cls` (pressing
 * the same class again keeps it). Multi mode: `cls` is toggled. Null when nothing changes.
 */
export function setDocClassOp(state: LabelSetState, doc: string, cls: string, mode: 'single' | 'multi', newId: string): LabelOp | null {
  const current = docLabel(state, doc);
  if (!current) return { op: 'add', label: { kind: 'doc', id: newId, doc, labels: [cls] } };
  let labels: string[];
  if (mode === 'single') {
    if (current.labels.length === 1 && current.labels[0] === cls) return null;
    labels = [cls];
  } else labels = current.labels.includes(cls) ? current.labels.filter((c) => c !== cls) : [...current.labels, cls];
  if (labels.length === 0) return { op: 'delete', id: current.id };
  return { op: 'update', label: { ...current, labels } };
}

/** The inverse of `op` applied to `before` (for undo); null for ops that are not label edits. */
export function inverseOp(before: LabelSetState, op: LabelOp): LabelOp | null {
  switch (op.op) {
    case 'add':
      return { op: 'delete', id: op.label.id };
    case 'update': {
      const prev = before.labels[op.label.id];
      return prev ? { op: 'update', label: prev } : null;
    }
    case 'delete': {
      const prev = before.labels[op.id];
      return prev ? { op: 'add', label: prev } : null;
    }
    default:
      return null;
  }
}
