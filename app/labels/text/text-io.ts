/**
 * Text label sets ⇄ files: a CoNLL token/tag file becomes a set (a sentence is a document, its
 * entities are span labels) and a set becomes a CoNLL file again with the same tokens, columns,
 * layout and tagging scheme; a Label Studio export becomes a set too; plus a CSV of document and
 * span labels.
 */
import { UserInputError } from '../../base/errors';
import { parseCsvRecords, serializeCsv } from '../csv';
import { charSpansToTokenSpans, detectScheme, isDocStart, parseConll, sentenceToText, serializeConll, spansToTags, type ConllDocument, type TagScheme } from '../conll';
import { fromLabelStudio, type LsTask } from '../label-studio';
import { tokenBoundaries, type DocLabel, type Label, type SpanLabel } from '../model';

/** Document id of sentence `index` (counting every sentence of the file, `-DOCSTART-` included). */
export function conllDocId(index: number): string {
  return `s:${index}`;
}

/** A CoNLL file read as a text set. */
export interface ConllImport {
  /** IO when entities are tagged I- only, else BIO (also for a file without entities); export writes tags back in this scheme. */
  readonly scheme: TagScheme;
  /** Entity types in order of first appearance. */
  readonly spanClasses: readonly string[];
  /** The file with every token's tag set to O: the documents without their labels. */
  readonly source: string;
  /** One span label per entity, id `s:<sentence>/<k>`, offsets into the sentence's text. */
  readonly labels: readonly SpanLabel[];
  /** Sentences that are documents (`-DOCSTART-` markers are not). */
  readonly documents: number;
}

const TAG = /^(O|[BI]-\S.*)$/;

/** Throws UserInputError (with `line`, 1-based) at the first token line whose tag is not O, B-X or I-X. */
function checkTags(text: string): void {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const first = lines.find((l) => l.trim() !== '');
  const separator = first?.includes('\t') ? '\t' : ' ';
  lines.forEach((line, i) => {
    if (line === '') return;
    const cols = line.split(separator);
    const tag = cols[cols.length - 1]!;
    if (cols.length >= 2 && !TAG.test(tag)) throw new UserInputError(`CoNLL line ${i + 1}: tag "${tag}" is not O, B-TYPE or I-TYPE`, { line: i + 1 });
  });
}

/**
 * Reads a CoNLL file as a text set. Throws UserInputError with the 1-based line of the first
 * malformed line (no tag column, or a tag that is not O / B-X / I-X).
 */
export function conllToTextSet(text: string): ConllImport {
  checkTags(text);
  const doc = parseConll(text);
  const tags = doc.sentences.flatMap((s) => (isDocStart(s) ? [] : s.tokens.map((t) => t.tag)));
  const scheme = tags.some((t) => t !== 'O') ? detectScheme(tags) : 'BIO';
  const spanClasses: string[] = [];
  const labels: SpanLabel[] = [];
  let documents = 0;
  doc.sentences.forEach((sentence, i) => {
    if (isDocStart(sentence)) return;
    documents++;
    const id = conllDocId(i);
    sentenceToText(sentence).spans.forEach((span, k) => {
      if (!spanClasses.includes(span.label)) spanClasses.push(span.label);
      labels.push({ kind: 'span', id: `${id}/${k}`, doc: id, start: span.start, end: span.end, label: span.label });
    });
  });
  const stripped: ConllDocument = { ...doc, sentences: doc.sentences.map((s) => (isDocStart(s) ? s : { ...s, tokens: s.tokens.map((t) => ({ ...t, tag: 'O' })) })) };
  return { scheme, spanClasses, source: serializeConll(stripped), labels, documents };
}

function spansByDoc(labels: readonly Label[]): Map<string, SpanLabel[]> {
  const out = new Map<string, SpanLabel[]>();
  for (const l of labels) if (l.kind === 'span') out.set(l.doc, [...(out.get(l.doc) ?? []), l]);
  for (const spans of out.values()) spans.sort((a, b) => a.start - b.start || a.end - b.end);
  return out;
}

/**
 * The CoNLL file of a set whose documents are the sentences of `source` (a CoNLL file): every
 * line, column and blank line of `source` is kept; each token's tag is rewritten from the span
 * labels of its sentence (a token belongs to a span it overlaps; a later span wins on overlap) in
 * `scheme`. `-DOCSTART-` lines keep their tag. `conllFromTextSet(s.source, s.labels, s.scheme)`
 * equals the imported file for well-formed tags.
 */
export function conllFromTextSet(source: string, labels: readonly Label[], scheme: TagScheme): string {
  const doc = parseConll(source);
  const spans = spansByDoc(labels);
  const sentences = doc.sentences.map((sentence, i) => {
    if (isDocStart(sentence)) return sentence;
    const { tokenOffsets } = sentenceToText(sentence);
    const tags = spansToTags(charSpansToTokenSpans(spans.get(conllDocId(i)) ?? [], tokenOffsets), sentence.tokens.length, scheme);
    return { ...sentence, tokens: sentence.tokens.map((t, j) => ({ ...t, tag: tags[j]! })) };
  });
  return serializeConll({ ...doc, sentences });
}

/**
 * CoNLL for documents that are not from a CoNLL file: whitespace tokens, one `token<TAB>tag` line
 * each, a blank line after every document (documents without tokens are skipped).
 */
export function conllFromDocuments(docs: ReadonlyArray<{ readonly id: string; readonly text: string }>, labels: readonly Label[], scheme: TagScheme): string {
  const spans = spansByDoc(labels);
  const out: string[] = [];
  for (const d of docs) {
    const offsets = tokenBoundaries(d.text);
    if (offsets.length === 0) continue;
    const tags = spansToTags(charSpansToTokenSpans(spans.get(d.id) ?? [], offsets), offsets.length, scheme);
    offsets.forEach(([a, b], j) => out.push(`${d.text.slice(a, b)}\t${tags[j]!}`));
    out.push('');
  }
  return out.map((l) => `${l}\n`).join('');
}

const csvColumns = ['kind', 'id', 'doc', 'start', 'end', 'label', 'note'] as const;

/**
 * Text labels as CSV `kind,id,doc,start,end,label,note`: span rows carry offsets (UTF-16 units,
 * end exclusive); doc rows leave them empty and join their classes with `|`.
 */
export function textLabelsToCsv(labels: readonly Label[]): string {
  const rows = labels.flatMap((l): string[][] => {
    if (l.kind === 'span') return [['span', l.id, l.doc, String(l.start), String(l.end), l.label, l.note ?? '']];
    if (l.kind === 'doc') return [['doc', l.id, l.doc, '', '', l.labels.join('|'), l.note ?? '']];
    return [];
  });
  return serializeCsv([[...csvColumns], ...rows]);
}

/** Parses `textLabelsToCsv` output; a bad row throws UserInputError with its 1-based line (header = 1). */
export function textLabelsFromCsv(text: string): Array<DocLabel | SpanLabel> {
  return parseCsvRecords(text).map((r, i) => {
    const line = i + 2;
    const fail = (why: string): never => {
      throw new UserInputError(`CSV line ${line}: ${why}`, { line });
    };
    if (!r.doc) fail('needs a doc');
    const id = r.id || `csv-${line}`;
    const note = r.note ? { note: r.note } : {};
    if (r.kind === 'doc') return { kind: 'doc', id, doc: r.doc!, labels: r.label ? r.label.split('|') : [], ...note };
    if (r.kind !== 'span') return fail(`kind must be doc or span, not "${r.kind ?? ''}"`);
    const start = Number(r.start);
    const end = Number(r.end);
    if (r.start === '' || !Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start) fail('a span needs whole-number start < end');
    if (!r.label) fail('a span needs a label');
    return { kind: 'span', id, doc: r.doc!, start, end, label: r.label!, ...note };
  });
}

/** A Label Studio export read as a new text set: its documents and their labels. */
export interface LabelStudioImport {
  /** One document per task: id `data.doc` when the task has one (Vajra's own exports), else `task:<id>`. */
  readonly docs: ReadonlyArray<{ readonly id: string; readonly text: string }>;
  readonly labels: ReadonlyArray<DocLabel | SpanLabel>;
  /** Document classes (choices) and span classes (labels), in order of first use. */
  readonly classes: readonly string[];
  readonly spanClasses: readonly string[];
  /** True when some document has more than one choice. */
  readonly multi: boolean;
}

/** Reads Label Studio text tasks (`data.text`) as documents with their annotations; a task without text throws naming it. */
export function labelStudioToTextSet(tasks: readonly LsTask[]): LabelStudioImport {
  const docKey = (task: LsTask, i: number) => (typeof task.data.doc === 'string' ? task.data.doc : `task:${String(task.id ?? i)}`);
  const docs = tasks.map((task, i) => {
    if (typeof task.data.text !== 'string') throw new UserInputError(`Label Studio task ${i + 1} has no data.text`, { task: i + 1 });
    return { id: docKey(task, i), text: task.data.text };
  });
  const labels = fromLabelStudio(tasks, docKey).labels.filter((l): l is DocLabel | SpanLabel => l.kind === 'doc' || l.kind === 'span');
  const classes = [...new Set(labels.flatMap((l) => (l.kind === 'doc' ? l.labels : [])))];
  const spanClasses = [...new Set(labels.flatMap((l) => (l.kind === 'span' ? [l.label] : [])))];
  return { docs, labels, classes, spanClasses, multi: labels.some((l) => l.kind === 'doc' && l.labels.length > 1) };
}
