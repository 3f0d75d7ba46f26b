/**
 * CoNLL-style token/tag files (one token per line, blank line between sentences) and the BIO / IO
 * tagging schemes. `parseConll` keeps everything needed to write the file back byte for byte:
 * the column separator, extra middle columns, `-DOCSTART-` lines and the blank-line layout.
 */
import { UserInputError } from '../base/errors';

/** One token line: first column, last column (the tag), and any columns in between. */
export interface ConllToken {
  readonly text: string;
  readonly tag: string;
  readonly extra: readonly string[];
}

/** A run of token lines, followed by `blankAfter` blank lines. */
export interface ConllSentence {
  readonly tokens: readonly ConllToken[];
  readonly blankAfter: number;
}

/** A parsed CoNLL file. */
export interface ConllDocument {
  /** Column separator, detected from the first token line: tab if it has one, else a space. */
  readonly separator: '\t' | ' ';
  /** Blank lines before the first sentence. */
  readonly blankBefore: number;
  readonly sentences: readonly ConllSentence[];
  /** Whether the last line ends with a newline. */
  readonly finalNewline: boolean;
}

/** Tagging scheme: BIO (B- opens an entity) or IO (a run of I-X is one entity). */
export type TagScheme = 'BIO' | 'IO';

/** Parses CoNLL text (LF or CRLF line ends are both read; CRLF is not preserved). */
export function parseConll(text: string): ConllDocument {
  const finalNewline = text.endsWith('\n');
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (finalNewline) lines.pop();
  const firstToken = lines.find((l) => l.trim() !== '');
  const separator = firstToken?.includes('\t') ? '\t' : ' ';
  const sentences: ConllSentence[] = [];
  let blankBefore = 0;
  let tokens: ConllToken[] = [];
  const flush = () => {
    if (tokens.length > 0) sentences.push({ tokens, blankAfter: 0 });
    tokens = [];
  };
  lines.forEach((line, idx) => {
    if (line === '') {
      flush();
      const last = sentences[sentences.length - 1];
      if (last) sentences[sentences.length - 1] = { ...last, blankAfter: last.blankAfter + 1 };
      else blankBefore++;
      return;
    }
    const cols = line.split(separator);
    if (cols.length < 2) throw new UserInputError(`CoNLL line ${idx + 1} has no tag column`, { line: idx + 1 });
    tokens.push({ text: cols[0]!, tag: cols[cols.length - 1]!, extra: cols.slice(1, -1) });
  });
  flush();
  return { separator, blankBefore, sentences, finalNewline };
}

/** Writes a ConllDocument back to text; `serializeConll(parseConll(t)) === t` for LF files. */
export function serializeConll(doc: ConllDocument): string {
  const out: string[] = [];
  for (let i = 0; i < doc.blankBefore; i++) out.push('');
  for (const s of doc.sentences) {
    for (const t of s.tokens) out.push([t.text, ...t.extra, t.tag].join(doc.separator));
    for (let i = 0; i < s.blankAfter; i++) out.push('');
  }
  return out.join('\n') + (doc.finalNewline && out.length > 0 ? '\n' : '');
}

/** True for the `-DOCSTART-` marker sentences of CoNLL-2003-style files. */
export function isDocStart(sentence: ConllSentence): boolean {
  return sentence.tokens.length === 1 && sentence.tokens[0]!.text === '-DOCSTART-';
}

/** BIO when any tag starts with "B-", else IO. */
export function detectScheme(tags: Iterable<string>): TagScheme {
  for (const t of tags) if (t.startsWith('B-')) return 'BIO';
  return 'IO';
}

/** An entity over tokens [start, end) of one sentence. */
export interface TokenSpan {
  readonly start: number;
  readonly end: number;
  readonly label: string;
}

/**
 * Entities from tags. In both schemes an I-X continuing an entity of type X extends it; an I-X
 * after O or another type opens a new entity (the usual lenient reading of ill-formed BIO).
 */
export function tagsToSpans(tags: readonly string[]): TokenSpan[] {
  const spans: TokenSpan[] = [];
  let open: { start: number; label: string } | undefined;
  const close = (end: number) => {
    if (open) spans.push({ start: open.start, end, label: open.label });
    open = undefined;
  };
  tags.forEach((tag, i) => {
    const prefix = tag.slice(0, 2);
    const type = tag.slice(2);
    if (prefix === 'B-' || (prefix === 'I-' && open?.label !== type)) {
      close(i);
      open = { start: i, label: type };
    } else if (prefix !== 'I-') close(i);
  });
  close(tags.length);
  return spans;
}

/** Tags for `n` tokens from non-overlapping spans in `scheme` (O outside entities). */
export function spansToTags(spans: readonly TokenSpan[], n: number, scheme: TagScheme): string[] {
  const tags = new Array<string>(n).fill('O');
  for (const s of spans) {
    for (let i = s.start; i < s.end; i++) tags[i] = `${scheme === 'BIO' && i === s.start ? 'B' : 'I'}-${s.label}`;
  }
  return tags;
}

/** A sentence as text (tokens joined by single spaces) with character spans of its entities. */
export function sentenceToText(sentence: ConllSentence): { text: string; tokenOffsets: Array<[number, number]>; spans: Array<{ start: number; end: number; label: string }> } {
  const tokenOffsets: Array<[number, number]> = [];
  let pos = 0;
  for (const t of sentence.tokens) {
    tokenOffsets.push([pos, pos + t.text.length]);
    pos += t.text.length + 1;
  }
  const text = sentence.tokens.map((t) => t.text).join(' ');
  const spans = tagsToSpans(sentence.tokens.map((t) => t.tag)).map((s) => ({ start: tokenOffsets[s.start]![0], end: tokenOffsets[s.end - 1]![1], label: s.label }));
  return { text, tokenOffsets, spans };
}

/** Token spans from character spans over `tokenOffsets`: a token belongs to a span it overlaps. */
export function charSpansToTokenSpans(spans: ReadonlyArray<{ start: number; end: number; label: string }>, tokenOffsets: ReadonlyArray<readonly [number, number]>): TokenSpan[] {
  const out: TokenSpan[] = [];
  for (const s of spans) {
    const hit = tokenOffsets.map(([a, b], i) => (b > s.start && a < s.end ? i : -1)).filter((i) => i >= 0);
    if (hit.length > 0) out.push({ start: hit[0]!, end: hit[hit.length - 1]! + 1, label: s.label });
  }
  return out;
}
