/**
 * Label Studio JSON (the "JSON" export: an array of tasks) ⇄ Vajra labels, for text
 * classification (`choices`), NER spans (`labels`) and time-series ranges (`timeserieslabels`).
 * Annotations become labels; predictions become suggestions with the model version as source.
 * Character offsets are UTF-16 code units in both tools.
 */
import { assertNever } from '../base/assert';
import type { Label, Suggestion } from './model';

/** One result region of a Label Studio annotation or prediction. */
export interface LsResult {
  id?: string;
  from_name: string;
  to_name: string;
  type: string;
  score?: number;
  value: {
    start?: number | string;
    end?: number | string;
    text?: string;
    labels?: string[];
    choices?: string[];
    timeserieslabels?: string[];
    instant?: boolean;
  };
}

/** One Label Studio task. */
export interface LsTask {
  id?: number | string;
  data: Record<string, unknown>;
  annotations?: Array<{ id?: number | string; result: LsResult[]; was_cancelled?: boolean }>;
  predictions?: Array<{ model_version?: string; score?: number; result: LsResult[] }>;
}

/** Control/object names used on export (must match the user's labeling config). */
export interface LsNames {
  readonly textObject: string;
  readonly spanControl: string;
  readonly choiceControl: string;
  readonly seriesObject: string;
  readonly rangeControl: string;
}

/** Default names, as in Label Studio's NER / text classification / time-series templates. */
export const LS_DEFAULT_NAMES: LsNames = { textObject: 'text', spanControl: 'label', choiceControl: 'sentiment', seriesObject: 'ts', rangeControl: 'label' };

const num = (v: number | string | undefined) => (typeof v === 'number' ? v : Number(v));

function resultToLabel(r: LsResult, doc: string, id: string): Label | undefined {
  const v = r.value;
  if (r.type === 'labels' && v.labels?.[0] !== undefined) {
    return { kind: 'span', id, doc, start: num(v.start), end: num(v.end), label: v.labels[0] };
  }
  if (r.type === 'choices' && v.choices) return { kind: 'doc', id, doc, labels: [...v.choices] };
  if (r.type === 'timeserieslabels' && v.timeserieslabels?.[0] !== undefined) {
    return { kind: 'range', id, series: doc, start: num(v.start), end: num(v.end), label: v.timeserieslabels[0] };
  }
  return undefined;
}

/**
 * Tasks → labels and suggestions. The document (or series) key of a task is `docKey(task)`,
 * default `String(task.id)`. Label ids are `${doc}/${result.id ?? index}`; cancelled annotations
 * are skipped; unknown result types are counted in `skipped`.
 */
export function fromLabelStudio(tasks: readonly LsTask[], docKey: (task: LsTask, index: number) => string = (t, i) => String(t.id ?? i)): { labels: Label[]; suggestions: Suggestion[]; skipped: number } {
  const labels: Label[] = [];
  const suggestions: Suggestion[] = [];
  let skipped = 0;
  tasks.forEach((task, ti) => {
    const doc = docKey(task, ti);
    for (const ann of task.annotations ?? []) {
      if (ann.was_cancelled) continue;
      ann.result.forEach((r, ri) => {
        const label = resultToLabel(r, doc, `${doc}/${r.id ?? ri}`);
        if (label) labels.push(label);
        else skipped++;
      });
    }
    (task.predictions ?? []).forEach((pred, pi) =>
      pred.result.forEach((r, ri) => {
        const id = `${doc}/p${pi}/${r.id ?? ri}`;
        const proposal = resultToLabel(r, doc, id);
        if (!proposal) return void skipped++;
        suggestions.push({ id, proposal, source: { type: 'model', name: pred.model_version ?? 'label-studio' }, score: r.score ?? pred.score ?? 0 });
      }),
    );
  });
  return { labels, suggestions, skipped };
}

function labelToResult(label: Label, names: LsNames, text: string | undefined): LsResult | undefined {
  const id = label.id.includes('/') ? label.id.slice(label.id.lastIndexOf('/') + 1) : label.id;
  switch (label.kind) {
    case 'span': {
      const value = { start: label.start, end: label.end, labels: [label.label], ...(text !== undefined ? { text: text.slice(label.start, label.end) } : {}) };
      return { id, from_name: names.spanControl, to_name: names.textObject, type: 'labels', value };
    }
    case 'doc':
      return { id, from_name: names.choiceControl, to_name: names.textObject, type: 'choices', value: { choices: [...label.labels] } };
    case 'range':
      return { id, from_name: names.rangeControl, to_name: names.seriesObject, type: 'timeserieslabels', value: { start: label.start, end: label.end, instant: label.start === label.end, timeserieslabels: [label.label] } };
    case 'point':
      return { id, from_name: names.rangeControl, to_name: names.seriesObject, type: 'timeserieslabels', value: { start: label.at, end: label.at, instant: true, timeserieslabels: [label.label] } };
    default:
      return assertNever(label, 'label kind');
  }
}

/**
 * Labels → one task per document/series (sorted by key), one annotation each. `texts[doc]` fills
 * `data.text` and span `text`; series tasks carry `data.series`.
 */
export function toLabelStudio(labels: readonly Label[], texts: Readonly<Record<string, string>> = {}, names: LsNames = LS_DEFAULT_NAMES): LsTask[] {
  const groups = new Map<string, Label[]>();
  for (const l of labels) {
    const key = l.kind === 'range' || l.kind === 'point' ? l.series : l.doc;
    groups.set(key, [...(groups.get(key) ?? []), l]);
  }
  return [...groups.keys()].sort().map((key, i) => {
    const group = groups.get(key)!;
    const isSeries = group[0]!.kind === 'range' || group[0]!.kind === 'point';
    const data: Record<string, unknown> = isSeries ? { series: key } : { text: texts[key] ?? '', doc: key };
    const result = group.map((l) => labelToResult(l, names, texts[key])).filter((r): r is LsResult => r !== undefined);
    return { id: i + 1, data, annotations: [{ id: i + 1, result }] };
  });
}

/** Key function for tasks exported by `toLabelStudio` (uses data.doc / data.series). */
export function vajraDocKey(task: LsTask, index: number): string {
  const d = task.data.doc ?? task.data.series;
  return typeof d === 'string' ? d : String(task.id ?? index);
}
