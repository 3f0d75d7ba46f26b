/** A cell's output as a report shows it (plain data: what the notebook run produced). */
export type CellOutput =
  | { kind: 'table'; columns: readonly { name: string; type: string }[]; rows: readonly (readonly (string | number | boolean | null)[])[]; totalRows: number }
  | { kind: 'svg'; svg: string }
  | { kind: 'html'; html: string }
  | { kind: 'text'; text: string }
  | { kind: 'value'; value: unknown }
  /** A Markdown cell after `${…}` interpolation. */
  | { kind: 'markdown'; text: string }
  | { kind: 'input'; value: unknown }
  | { kind: 'error'; message: string };

/** How code cells appear: shown, folded behind a disclosure, or hidden. */
export type CodeMode = 'show' | 'fold' | 'hide';

export interface ReportOptions {
  title?: string;
  /** Default for code cells; a cell's `hide=code` / `fold` options override it. */
  codeMode?: CodeMode;
  /** Table rows shown per result (the row count is always shown). */
  maxRows?: number;
  /** Shown in the header, e.g. "Generated 2026-11-23 14:05 from census.notebook.md". */
  subtitle?: string;
}
