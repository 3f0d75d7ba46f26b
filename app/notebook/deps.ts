import { assertNever } from '../base/assert';
import { parseChartSpec } from './cell-specs';
import { findInterpolations } from './interpolation';
import { jsFreeVariables } from './js-refs';
import { sqlReferences } from './sql-refs';
import type { NotebookCell } from './types';

/**
 * A name a cell reads. `table` references (SQL FROM/JOIN, a chart's table) match cell names
 * case-insensitively, as DuckDB does; `variable` references (JS, `$param`, `${…}`) match exactly.
 */
export interface CellRef {
  name: string;
  via: 'table' | 'variable';
}

/** What a cell reads: names of other cells or data sets, files read directly, and any error. */
export interface CellReads {
  refs: CellRef[];
  /** Files the cell reads itself (SQL string literals after FROM, `read_csv('…')` …), workspace-relative as written. */
  files: string[];
  /** Why the cell's code could not be analysed (syntax error, bad chart spec); refs are then partial. */
  error?: string;
}

/** The names a cell defines for others: its own name, for every kind but Markdown and foreign. */
export function cellDefines(cell: NotebookCell): string[] {
  if (cell.kind === 'markdown' || cell.kind === 'foreign' || cell.name === undefined) return [];
  return [cell.name];
}

function variables(names: readonly string[]): CellRef[] {
  return names.map((name) => ({ name, via: 'variable' }));
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

function markdownReads(source: string): CellReads {
  const refs = new Map<string, CellRef>();
  for (const found of findInterpolations(source)) {
    if (!found.analysis.ok) return { refs: [...refs.values()], files: [], error: `line ${lineOf(source, found.start)}: \${…} ${found.analysis.message}` };
    for (const name of found.analysis.free) refs.set(name, { name, via: 'variable' });
  }
  return { refs: [...refs.values()], files: [] };
}

/**
 * The names a cell reads: SQL tables and `$params`, JS free variables, Markdown `${…}` free
 * variables, a chart's `table`. Inputs and foreign cells read nothing. Never throws.
 */
export function cellReferences(cell: NotebookCell): CellReads {
  switch (cell.kind) {
    case 'sql': {
      const sql = sqlReferences(cell.source);
      return { refs: [...sql.tables.map((name): CellRef => ({ name, via: 'table' })), ...variables(sql.params)], files: sql.files };
    }
    case 'js': {
      const js = jsFreeVariables(cell.source);
      if (js.ok) return { refs: variables(js.free), files: [] };
      return { refs: [], files: [], error: `line ${lineOf(cell.source, js.offset)}: ${js.message}` };
    }
    case 'markdown':
      return markdownReads(cell.source);
    case 'chart': {
      const spec = parseChartSpec(cell.source);
      return spec.ok ? { refs: [{ name: spec.value.table, via: 'table' }], files: [] } : { refs: [], files: [], error: spec.message };
    }
    case 'input':
    case 'foreign':
      return { refs: [], files: [] };
    default:
      return assertNever(cell.kind, 'cell kind');
  }
}
