import { asId, type CellId } from '../base/ids';
import type { NotebookCell } from './types';

/** A cell before it has an id (as read from a file or an imported notebook). */
export type UnidentifiedCell = Omit<NotebookCell, 'id'>;

/**
 * Gives cells the ids they get on every load of the same file, since ids are not stored in it:
 * a cell with a name no other cell shares gets `@name`; every other cell gets `kind-n`, n
 * counting the unnamed (or duplicate-named) cells of that kind from the top, starting at 1.
 * So a named cell keeps its id when cells move; renaming it changes the id on the next load only.
 */
export function deriveCellIds(cells: readonly UnidentifiedCell[]): NotebookCell[] {
  const nameCounts = new Map<string, number>();
  for (const cell of cells) if (cell.name !== undefined) nameCounts.set(cell.name, (nameCounts.get(cell.name) ?? 0) + 1);
  const ordinals = new Map<string, number>();
  return cells.map((cell) => {
    let id: CellId;
    if (cell.name !== undefined && nameCounts.get(cell.name) === 1) {
      id = asId<CellId>(`@${cell.name}`);
    } else {
      const n = (ordinals.get(cell.kind) ?? 0) + 1;
      ordinals.set(cell.kind, n);
      id = asId<CellId>(`${cell.kind}-${n}`);
    }
    return withId(id, cell);
  });
}

/** Builds a cell with only the optional fields that are set, so equal cells compare equal. */
export function withId(id: CellId, cell: UnidentifiedCell): NotebookCell {
  return {
    id,
    kind: cell.kind,
    ...(cell.name !== undefined ? { name: cell.name } : {}),
    ...(cell.language !== undefined ? { language: cell.language } : {}),
    options: { ...cell.options },
    source: cell.source,
  };
}
