import { parseDocument } from 'yaml';
import { UserInputError } from '../base/errors';
import { deriveCellIds, type UnidentifiedCell } from './cell-ids';
import { formatFenceInfo, parseFenceInfo } from './info-string';
import type { NotebookCell, NotebookDoc } from './types';

/** The line that starts a new Markdown cell (see FORMAT.md). */
export const cellMarker = '<!-- cell -->';

const cellFenceOpen = /^(`{3,})([^`]*)$/;
const proseFenceOpen = /^ {0,3}(`{3,}(?=[^`]*$)|~{3,})/;

interface ProseFence {
  char: string;
  length: number;
}

function closesFence(line: string, char: string, length: number): boolean {
  const m = /^ {0,3}(`+|~+)[ \t]*$/.exec(line);
  return m !== null && m[1]![0] === char && m[1]!.length >= length;
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

function trimBlankLines(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && isBlank(lines[start]!)) start++;
  while (end > start && isBlank(lines[end - 1]!)) end--;
  return lines.slice(start, end);
}

/** Splits text into lines: strips a byte-order mark and turns CRLF and lone CR into LF. */
function toLines(text: string): string[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return body.replace(/\r\n?/g, '\n').split('\n');
}

function readFrontMatter(lines: string[]): { frontMatter: string | undefined; next: number } {
  if (lines[0]?.trimEnd() !== '---') return { frontMatter: undefined, next: 0 };
  const close = lines.findIndex((line, i) => i > 0 && line.trimEnd() === '---');
  if (close < 0) throw new UserInputError('line 1: the front matter opened here is never closed (expected a line ---)', { line: 1 });
  const frontMatter = lines.slice(1, close).join('\n');
  const yaml = parseDocument(frontMatter);
  const firstError = yaml.errors[0];
  if (firstError) {
    const line = 2 + (firstError.linePos?.[0].line ?? 1) - 1;
    throw new UserInputError(`line ${line}: front matter is not valid YAML: ${firstError.message.split('\n')[0]}`, { line });
  }
  const value: unknown = yaml.toJS();
  if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
    throw new UserInputError('line 2: front matter must be a YAML mapping (key: value lines)', { line: 2 });
  }
  return { frontMatter, next: close + 1 };
}

/** Parses the cells of a body of lines starting at `first` (0-based); `lineBase` maps to file lines. */
function parseCells(lines: string[], first: number): UnidentifiedCell[] {
  const cells: UnidentifiedCell[] = [];
  let prose: string[] = [];
  let isExplicit = false;
  let proseFence: (ProseFence & { line: number }) | undefined;

  const flush = () => {
    const kept = trimBlankLines(prose);
    if (isExplicit || kept.length > 0) cells.push({ kind: 'markdown', options: {}, source: kept.join('\n') });
    prose = [];
    isExplicit = false;
  };

  for (let i = first; i < lines.length; i++) {
    const line = lines[i]!;
    if (proseFence) {
      prose.push(line);
      if (closesFence(line, proseFence.char, proseFence.length)) proseFence = undefined;
      continue;
    }
    if (line.trimEnd() === cellMarker) {
      flush();
      isExplicit = true;
      continue;
    }
    const open = cellFenceOpen.exec(line.trimEnd());
    const info = open ? parseFenceInfo(open[2]!, i + 1) : undefined;
    if (open && info) {
      flush();
      const close = lines.findIndex((l, j) => j > i && closesFence(l, '`', open[1]!.length));
      if (close < 0) throw new UserInputError(`line ${i + 1}: the ${info.kind} cell opened here is never closed (expected a line ${open[1]})`, { line: i + 1 });
      cells.push({ ...info, source: lines.slice(i + 1, close).join('\n') });
      i = close;
      continue;
    }
    const prosefence = proseFenceOpen.exec(line);
    if (prosefence) proseFence = { char: prosefence[1]![0]!, length: prosefence[1]!.length, line: i + 1 };
    prose.push(line);
  }
  if (proseFence) {
    throw new UserInputError(`line ${proseFence.line}: the code block opened here in Markdown is never closed`, { line: proseFence.line });
  }
  flush();
  return cells;
}

/**
 * Parses a `.notebook.md` file (FORMAT.md). Accepts CRLF, a BOM, extra blank lines and trailing
 * whitespace on fence lines; throws UserInputError with `detail.line` (1-based) for malformed
 * input. Cell ids are derived from names and positions (`deriveCellIds`), so they survive reload.
 */
export function parseNotebook(text: string): NotebookDoc {
  const lines = toLines(text);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const { frontMatter, next } = readFrontMatter(lines);
  const cells = deriveCellIds(parseCells(lines, next));
  return frontMatter === undefined ? { cells } : { frontMatter, cells };
}

/** The shortest backtick fence that no line of `source` can close: at least 3. */
function fenceFor(source: string): string {
  let longest = 0;
  for (const m of source.matchAll(/^ {0,3}(`+)[ \t]*$/gm)) longest = Math.max(longest, m[1]!.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

function block(open: string, body: string, close: string): string {
  return body === '' ? `${open}\n${close}` : `${open}\n${body}\n${close}`;
}

function needsMarker(cell: NotebookCell, previous: NotebookCell | undefined, hasFrontMatter: boolean): boolean {
  if (previous?.kind === 'markdown' || cell.source === '') return true;
  const firstLine = cell.source.split('\n', 1)[0]!;
  return previous === undefined && !hasFrontMatter && firstLine.trimEnd() === '---';
}

/**
 * Writes the canonical text of `doc`: front matter, then cells separated by one blank line, a
 * final newline, no outputs. For a valid doc (`validateNotebook`), `parseNotebook` gives it back
 * (ids aside, which are derived); for canonical text, `serializeNotebook(parseNotebook(t)) === t`.
 */
export function serializeNotebook(doc: NotebookDoc): string {
  const blocks: string[] = [];
  if (doc.frontMatter !== undefined) blocks.push(block('---', doc.frontMatter, '---'));
  doc.cells.forEach((cell, i) => {
    if (cell.kind === 'markdown') {
      const previous = i > 0 ? doc.cells[i - 1] : undefined;
      if (needsMarker(cell, previous, doc.frontMatter !== undefined)) blocks.push(cell.source === '' ? cellMarker : `${cellMarker}\n\n${cell.source}`);
      else blocks.push(cell.source);
      return;
    }
    const fence = fenceFor(cell.source);
    const info = formatFenceInfo({ kind: cell.kind, name: cell.name, language: cell.language, options: cell.options });
    blocks.push(block(`${fence}${info}`, cell.source, fence));
  });
  return blocks.length === 0 ? '' : `${blocks.join('\n\n')}\n`;
}
