import { parseDocument } from 'yaml';
import type { CellId } from '../base/ids';
import { cellMarker, parseNotebook } from './format';
import { optionKeyPattern } from './info-string';
import { cellNamePattern, type NotebookCell, type NotebookDoc } from './types';

/** A reason the doc cannot be written and read back as it is. `cellId` is absent for the front matter. */
export interface NotebookIssue {
  cellId?: CellId;
  message: string;
}

/** Foreign languages as they may appear first in a fence's info string. */
export const languagePattern = /^[A-Za-z0-9_+#.-]+$/;

function frontMatterIssues(frontMatter: string | undefined): NotebookIssue[] {
  if (frontMatter === undefined) return [];
  if (frontMatter.includes('\r')) return [{ message: 'front matter contains a carriage return' }];
  if (frontMatter.split('\n').some((line) => line.trimEnd() === '---')) return [{ message: 'front matter contains a line ---' }];
  const yaml = parseDocument(frontMatter);
  if (yaml.errors.length > 0) return [{ message: `front matter is not valid YAML: ${yaml.errors[0]!.message.split('\n')[0]}` }];
  const value: unknown = yaml.toJS();
  if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
    return [{ message: 'front matter must be a YAML mapping' }];
  }
  return [];
}

function markdownIssue(cell: NotebookCell): string | undefined {
  if (cell.name !== undefined || cell.language !== undefined || Object.keys(cell.options).length > 0) {
    return 'a Markdown cell has no name, language or options';
  }
  const lines = cell.source.split('\n');
  if (cell.source !== '' && (lines[0]!.trim() === '' || lines[lines.length - 1]!.trim() === '')) {
    return 'a Markdown cell does not start or end with a blank line';
  }
  try {
    const back = parseNotebook(`${cellMarker}\n\n${cell.source}\n`).cells;
    if (back.length !== 1 || back[0]!.kind !== 'markdown' || back[0]!.source !== cell.source) {
      return `this Markdown would split into cells: it has a line ${cellMarker} or a code fence that starts a cell`;
    }
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return undefined;
}

function codeIssue(cell: NotebookCell): string | undefined {
  if (cell.name !== undefined && !cellNamePattern.test(cell.name)) return `name ${JSON.stringify(cell.name)} is not an identifier`;
  if (cell.kind === 'foreign' ? cell.language === undefined || !languagePattern.test(cell.language) : cell.language !== undefined) {
    return 'a foreign cell needs a language word (e.g. python); other cells have none';
  }
  for (const [key, value] of Object.entries(cell.options)) {
    if (!optionKeyPattern.test(key) || key === 'name') return `option ${JSON.stringify(key)} cannot be written in a cell header`;
    if (key === 'foreign' && value === true) return 'the foreign flag is the cell kind, not an option';
  }
  return undefined;
}

/**
 * Lists what stops `doc` from round-tripping through the file format: duplicate ids, invalid
 * front matter, names, languages or option keys, and Markdown that would read back as several
 * cells. An empty list means `parseNotebook(serializeNotebook(doc))` gives the doc back (ids aside).
 */
export function validateNotebook(doc: NotebookDoc): NotebookIssue[] {
  const issues = frontMatterIssues(doc.frontMatter);
  const seen = new Set<string>();
  for (const cell of doc.cells) {
    if (seen.has(cell.id)) issues.push({ cellId: cell.id, message: `cell id ${cell.id} is used twice` });
    seen.add(cell.id);
    if (cell.source.includes('\r')) issues.push({ cellId: cell.id, message: 'the source contains a carriage return' });
    const message = cell.kind === 'markdown' ? markdownIssue(cell) : codeIssue(cell);
    if (message !== undefined) issues.push({ cellId: cell.id, message });
  }
  return issues;
}
