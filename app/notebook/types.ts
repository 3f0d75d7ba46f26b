import type { CellId } from '../base/ids';

/** What a cell is. `foreign` is code in a language Vajra cannot run (kept read-only). */
export type CellKind = 'markdown' | 'sql' | 'js' | 'chart' | 'input' | 'foreign';

/** Every cell kind, in the order the UI offers them. */
export const cellKinds: readonly CellKind[] = ['markdown', 'sql', 'js', 'chart', 'input', 'foreign'];

/**
 * Options from a code cell's fence info string, in file order. A bare flag (`fold`) is `true`;
 * `key=value` is the string value. `name` and the `foreign` flag are never here (see NotebookCell).
 */
export type CellOptions = Readonly<Record<string, string | true>>;

/**
 * One cell. Invariants (checked by `validateNotebook`):
 * - markdown cells have no name, no language and no options; their source has no leading or
 *   trailing blank line and no trailing whitespace on any line;
 * - `language` is set exactly for foreign cells (e.g. `python`);
 * - `name`, when set, is an identifier (`[A-Za-z_][A-Za-z0-9_]*`);
 * - sources use `\n` line ends only.
 */
export interface NotebookCell {
  readonly id: CellId;
  readonly kind: CellKind;
  readonly name?: string | undefined;
  readonly language?: string | undefined;
  readonly options: CellOptions;
  readonly source: string;
}

/**
 * A notebook as held in memory. `frontMatter` is the raw YAML text between the `---` lines
 * (without them and without a final newline), kept byte for byte so unknown keys and comments
 * survive; `undefined` when the file has none. Outputs never live here.
 */
export interface NotebookDoc {
  readonly frontMatter?: string | undefined;
  readonly cells: readonly NotebookCell[];
}

/** Names that cells may define: what JS, SQL and `$param` references can spell. */
export const cellNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
