import { UserInputError } from '../../../app/base/errors';
import { rangeSetIoU } from '../../../app/labels/agreement';
import { labelsToJsonl, nabWindowsToRanges, rangesFromCsv, rangesToCsv, rangesToNabWindows } from '../../../app/labels/formats';
import { fromLabelStudio, toLabelStudio, type LsTask } from '../../../app/labels/label-studio';
import { labelList, suggestionList, type Label, type LabelSetState, type PointLabel, type RangeLabel, type Suggestion } from '../../../app/labels/model';
import type { LabelOp } from '../../../app/labels/ops';
import type { LabelSetMeta, ReviewProgress, ReviewedRange } from '../../../app/protocol/methods/labels';

/** Text export formats of a label set. */
export type TextExportFormat = 'csv' | 'jsonl' | 'labelstudio' | 'nab';
/** Import formats of a label set. */
export type ImportFormat = 'labelstudio' | 'nab' | 'csv';

/** Time-series labels of a state (range and point), sorted by id. */
export function seriesLabels(state: LabelSetState): Array<RangeLabel | PointLabel> {
  return labelList(state).filter((l): l is RangeLabel | PointLabel => l.kind === 'range' || l.kind === 'point');
}

/** Every label as a range (a point is a zero-width range), the shape exports and joins use. */
export function asRanges(state: LabelSetState): RangeLabel[] {
  return seriesLabels(state).map((l) => (l.kind === 'range' ? l : { kind: 'range', id: l.id, series: l.series, start: l.at, end: l.at, label: l.label, ...(l.note ? { note: l.note } : {}) }));
}

/** A suggestion proposing a time-series label. */
export type SeriesSuggestion = Suggestion & { readonly proposal: RangeLabel | PointLabel };

/** Time-series suggestions, highest score first. */
export function seriesSuggestions(state: LabelSetState): SeriesSuggestion[] {
  return suggestionList(state).filter((s): s is SeriesSuggestion => s.proposal.kind === 'range' || s.proposal.kind === 'point');
}

/** The set as text in `format` (CSV ranges, JSON Lines, Label Studio JSON, NAB windows keyed by `nabKey`). */
export function exportText(state: LabelSetState, meta: LabelSetMeta, format: TextExportFormat, nabKey = meta.series): string {
  switch (format) {
    case 'csv':
      return rangesToCsv(asRanges(state));
    case 'jsonl':
      return labelsToJsonl(seriesLabels(state));
    case 'labelstudio':
      return `${JSON.stringify(toLabelStudio(seriesLabels(state)), null, 2)}\n`;
    case 'nab':
      return `${JSON.stringify(rangesToNabWindows(asRanges(state).map((r) => ({ ...r, series: nabKey })), [nabKey]), null, 4)}\n`;
  }
}

function rekey(label: Label, series: string): Label {
  return label.kind === 'range' || label.kind === 'point' ? { ...label, series } : label;
}

/** The NAB key of a set: `key` when given, else the entry whose file name matches the set's file. */
export function nabKeyFor(keys: readonly string[], meta: LabelSetMeta, key?: string): string {
  if (key !== undefined) {
    if (!keys.includes(key)) throw new UserInputError(`The windows file has no entry "${key}".`);
    return key;
  }
  const base = meta.series.split('/').at(-1);
  const matches = keys.filter((k) => k === meta.series || k.split('/').at(-1) === base);
  if (matches.length !== 1) throw new UserInputError(`Cannot tell which windows entry belongs to ${meta.series}; pass its key.`);
  return matches[0]!;
}

/**
 * The ops that import `text` into a set: labels are re-keyed to the set's series and added (ids
 * already present are skipped), Label Studio predictions become one `suggest` op.
 */
export function importOps(state: LabelSetState, meta: LabelSetMeta, format: ImportFormat, text: string, key?: string): LabelOp[] {
  let labels: Label[];
  let suggestions: Suggestion[] = [];
  if (format === 'csv') labels = rangesFromCsv(text);
  else if (format === 'nab') {
    const json = parseJson(text, 'NAB windows') as Record<string, string[][]>;
    const chosen = nabKeyFor(Object.keys(json), meta, key);
    labels = nabWindowsToRanges({ [chosen]: json[chosen] ?? [] });
  } else {
    const tasks = parseJson(text, 'Label Studio') as LsTask[];
    if (!Array.isArray(tasks)) throw new UserInputError('Label Studio JSON must be an array of tasks.');
    ({ labels, suggestions } = fromLabelStudio(tasks));
  }
  const seen = new Set(Object.keys(state.labels));
  const ops: LabelOp[] = [];
  for (const label of labels.map((l) => rekey(l, meta.series))) {
    if (label.kind !== 'range' && label.kind !== 'point') continue;
    if (seen.has(label.id)) continue;
    seen.add(label.id);
    ops.push({ op: 'add', label });
  }
  const fresh = suggestions.filter((s) => !state.suggestions[s.id]).map((s) => ({ ...s, proposal: rekey(s.proposal, meta.series) }));
  if (fresh.length > 0) ops.push({ op: 'suggest', suggestions: fresh });
  return ops;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserInputError(`Not valid ${what} JSON: ${(error as Error).message}`);
  }
}

/** Review progress: union of reviewed stretches over the extent, and suggestion counts. */
export function reviewProgress(state: LabelSetState, reviewed: readonly ReviewedRange[], extent: { from: number; to: number }): ReviewProgress {
  const span = extent.to - extent.from;
  const clipped = reviewed.map((r) => ({ start: Math.max(extent.from, r.start), end: Math.min(extent.to, r.end) })).filter((r) => r.end > r.start);
  // IoU of the reviewed union with the whole extent is exactly the covered share.
  const reviewedFraction = span > 0 && clipped.length > 0 ? rangeSetIoU(clipped, [{ start: extent.from, end: extent.to }]) : 0;
  const accepted = Object.values(state.labels).filter((l) => l.id.includes(':')).length;
  return { reviewedFraction, openSuggestions: Object.keys(state.suggestions).length, resolvedSuggestions: state.rejected.length + accepted };
}
