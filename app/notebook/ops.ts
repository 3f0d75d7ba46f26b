import { parseDocument } from 'yaml';
import { assertNever } from '../base/assert';
import { UserInputError } from '../base/errors';
import type { CellId } from '../base/ids';
import { withId } from './cell-ids';
import type { CellKind, CellOptions, NotebookCell, NotebookDoc } from './types';

/**
 * An edit of a notebook as plain data. `moveCell.toIndex` is the cell's index after the move;
 * `editSource` replaces the UTF-16 range [from, to) of the source with `insert`; `setKind` to
 * markdown drops name, language and options (a Markdown cell has none); `setMeta` sets (or, with
 * `value` undefined, removes) one front-matter key and keeps the rest of the YAML as written.
 */
export type NotebookOp =
  | { type: 'insertCell'; index: number; cell: NotebookCell }
  | { type: 'deleteCell'; id: CellId }
  | { type: 'moveCell'; id: CellId; toIndex: number }
  | { type: 'editSource'; id: CellId; from: number; to: number; insert: string }
  | { type: 'setName'; id: CellId; name: string | undefined }
  | { type: 'setOptions'; id: CellId; options: CellOptions }
  | { type: 'setKind'; id: CellId; kind: CellKind; language?: string }
  | { type: 'replaceCell'; cell: NotebookCell }
  | { type: 'setFrontMatter'; frontMatter: string | undefined }
  | { type: 'setMeta'; key: string; value: unknown }
  | { type: 'batch'; ops: NotebookOp[] };

/** The new doc and the op that turns it back into the old one. */
export interface AppliedOp {
  doc: NotebookDoc;
  inverse: NotebookOp;
}

function indexOf(doc: NotebookDoc, id: CellId): number {
  const i = doc.cells.findIndex((c) => c.id === id);
  if (i < 0) throw new UserInputError(`no cell with id ${id}`, { cellId: id });
  return i;
}

function withCells(doc: NotebookDoc, cells: NotebookCell[]): NotebookDoc {
  return doc.frontMatter === undefined ? { cells } : { frontMatter: doc.frontMatter, cells };
}

function withFrontMatter(doc: NotebookDoc, frontMatter: string | undefined): NotebookDoc {
  return frontMatter === undefined ? { cells: doc.cells } : { frontMatter, cells: doc.cells };
}

function replaceAt(doc: NotebookDoc, i: number, cell: NotebookCell): NotebookDoc {
  const cells = [...doc.cells];
  cells[i] = withId(cell.id, cell);
  return withCells(doc, cells);
}

function editSource(doc: NotebookDoc, op: Extract<NotebookOp, { type: 'editSource' }>): AppliedOp {
  const i = indexOf(doc, op.id);
  const old = doc.cells[i]!;
  if (!(op.from >= 0 && op.from <= op.to && op.to <= old.source.length)) {
    throw new UserInputError(`edit range ${op.from}..${op.to} is outside the source (length ${old.source.length})`, { cellId: op.id });
  }
  const source = old.source.slice(0, op.from) + op.insert + old.source.slice(op.to);
  return {
    doc: replaceAt(doc, i, { ...old, source }),
    inverse: { type: 'editSource', id: op.id, from: op.from, to: op.from + op.insert.length, insert: old.source.slice(op.from, op.to) },
  };
}

function setKind(old: NotebookCell, op: Extract<NotebookOp, { type: 'setKind' }>): NotebookCell {
  if (op.kind === 'foreign' && op.language === undefined) throw new UserInputError('a foreign cell needs a language', { cellId: op.id });
  if (op.kind === 'markdown') return { id: old.id, kind: 'markdown', options: {}, source: old.source };
  return withId(old.id, { kind: op.kind, name: old.name, language: op.kind === 'foreign' ? op.language : undefined, options: old.options, source: old.source });
}

function setMeta(doc: NotebookDoc, key: string, value: unknown): NotebookDoc {
  const yaml = parseDocument(doc.frontMatter ?? '');
  if (yaml.errors.length > 0) throw new UserInputError('the front matter is not valid YAML; fix it before setting a key');
  if (value === undefined) yaml.delete(key);
  else yaml.set(key, value);
  return withFrontMatter(doc, yaml.toString().replace(/\n$/, ''));
}

function applyBatch(doc: NotebookDoc, ops: readonly NotebookOp[]): AppliedOp {
  let current = doc;
  const inverses: NotebookOp[] = [];
  for (const op of ops) {
    const applied = applyNotebookOp(current, op);
    current = applied.doc;
    inverses.unshift(applied.inverse);
  }
  return { doc: current, inverse: { type: 'batch', ops: inverses } };
}

function applyCellOp(doc: NotebookDoc, op: Extract<NotebookOp, { id: CellId }>): AppliedOp {
  const i = indexOf(doc, op.id);
  const old = doc.cells[i]!;
  switch (op.type) {
    case 'deleteCell':
      return { doc: withCells(doc, doc.cells.filter((c) => c.id !== op.id)), inverse: { type: 'insertCell', index: i, cell: old } };
    case 'moveCell': {
      if (!Number.isInteger(op.toIndex) || op.toIndex < 0 || op.toIndex >= doc.cells.length) throw new UserInputError(`cannot move a cell to index ${op.toIndex}`);
      const cells = doc.cells.filter((c) => c.id !== op.id);
      cells.splice(op.toIndex, 0, old);
      return { doc: withCells(doc, cells), inverse: { type: 'moveCell', id: op.id, toIndex: i } };
    }
    case 'editSource':
      return editSource(doc, op);
    case 'setName':
      if (old.kind === 'markdown' && op.name !== undefined) throw new UserInputError('a Markdown cell has no name', { cellId: op.id });
      return { doc: replaceAt(doc, i, { ...old, name: op.name }), inverse: { type: 'setName', id: op.id, name: old.name } };
    case 'setOptions':
      return { doc: replaceAt(doc, i, { ...old, options: { ...op.options } }), inverse: { type: 'setOptions', id: op.id, options: old.options } };
    case 'setKind':
      return { doc: replaceAt(doc, i, setKind(old, op)), inverse: { type: 'replaceCell', cell: old } };
    default:
      return assertNever(op, 'cell op');
  }
}

/**
 * Applies one edit purely: returns the new doc (the old one is untouched) and the inverse op,
 * such that applying the inverse to the new doc gives a doc deep-equal to the old one. Throws
 * UserInputError for an unknown cell id, an index out of range, a duplicate id or a bad range.
 */
export function applyNotebookOp(doc: NotebookDoc, op: NotebookOp): AppliedOp {
  switch (op.type) {
    case 'insertCell': {
      if (doc.cells.some((c) => c.id === op.cell.id)) throw new UserInputError(`a cell with id ${op.cell.id} already exists`);
      if (!Number.isInteger(op.index) || op.index < 0 || op.index > doc.cells.length) throw new UserInputError(`cannot insert a cell at index ${op.index}`);
      const cells = [...doc.cells];
      cells.splice(op.index, 0, withId(op.cell.id, op.cell));
      return { doc: withCells(doc, cells), inverse: { type: 'deleteCell', id: op.cell.id } };
    }
    case 'replaceCell':
      return { doc: replaceAt(doc, indexOf(doc, op.cell.id), op.cell), inverse: { type: 'replaceCell', cell: doc.cells[indexOf(doc, op.cell.id)]! } };
    case 'setFrontMatter':
      return { doc: withFrontMatter(doc, op.frontMatter), inverse: { type: 'setFrontMatter', frontMatter: doc.frontMatter } };
    case 'setMeta':
      return { doc: setMeta(doc, op.key, op.value), inverse: { type: 'setFrontMatter', frontMatter: doc.frontMatter } };
    case 'batch':
      return applyBatch(doc, op.ops);
    case 'deleteCell':
    case 'moveCell':
    case 'editSource':
    case 'setName':
    case 'setOptions':
    case 'setKind':
      return applyCellOp(doc, op);
    default:
      return assertNever(op, 'notebook op');
  }
}
