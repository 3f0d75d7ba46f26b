/**
 * The execution plan of an LFs file over a table: one DuckDB SELECT that computes the vote of
 * every keyword, regex, length and SQL LF for every row (integer class index, −1 = abstain), so
 * LFs run where the data is, over the whole table. JS LFs run in the backend's sandbox over the
 * same rows; their columns are left out of the SELECT.
 */
import { quoteIdent, quoteLiteral } from '../../data/engine';
import { classIndex, type LfFile, type TextLf } from './lf-file';

/** Column alias of LF j's votes in the plan's result. */
export function voteColumn(j: number): string {
  return `__lf_${j}`;
}

/** Column alias of the row number (0-based, scan order) in the plan's result. */
export const ROW_COLUMN = '__row';

/** Column alias of the text (coalesced to '') in the plan's result. */
export const TEXT_COLUMN = '__text';

const when = (predicate: string, label: number) => `CASE WHEN ${predicate} THEN ${label} ELSE -1 END`;

/**
 * The DuckDB expression of one LF's vote. Keyword: lower-cased substring (as app/labels/lf.ts).
 * Regex: RE2 `regexp_matches` with the file's flags (`i` → case-insensitive, `s` → dot matches
 * newline; JS and RE2 agree on the usual patterns, not on look-around, which RE2 lacks).
 * Length in words counts runs of non-whitespace; in chars, Unicode code points. JS → NULL.
 */
export function lfVoteSql(file: LfFile, lf: TextLf, text: string): string | null {
  switch (lf.kind) {
    case 'keyword': {
      const lowered = `lower(${text})`;
      return when(`(${lf.keywords.map((k) => `contains(${lowered}, ${quoteLiteral(k.toLowerCase())})`).join(' OR ')})`, classIndex(file.classes, lf.label));
    }
    case 'regex': {
      const flags = lf.flags ?? '';
      // RE2 in DuckDB: '.' matches newline unless told otherwise; JS's '.' does not (without s).
      const options = `${flags.includes('i') ? 'i' : 'c'}${flags.includes('s') ? 's' : 'n'}`;
      return when(`regexp_matches(${text}, ${quoteLiteral(lf.pattern)}, ${quoteLiteral(options)})`, classIndex(file.classes, lf.label));
    }
    case 'length': {
      const len = lf.unit === 'words' ? `len(regexp_extract_all(${text}, '[^\\s\\x{00A0}\\x{FEFF}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{1680}\\x{0B}]+'))` : `length(${text})`;
      const tests = [lf.lessThan !== undefined ? `${len} < ${lf.lessThan}` : '', lf.greaterThan !== undefined ? `${len} > ${lf.greaterThan}` : ''].filter(Boolean);
      return when(`(${tests.join(' AND ')})`, classIndex(file.classes, lf.label));
    }
    case 'sql':
      return when(`(${lf.where})`, classIndex(file.classes, lf.label));
    case 'js':
      return null;
  }
}

/**
 * SELECT over `relation` (a table name or `read_csv(…)` expression, already SQL) returning
 * `__row` (scan order), `__text` (the text column as VARCHAR, '' for NULL), `extra` columns as
 * given, and `__lf_j` (INTEGER) for each non-JS LF j. With `includeAll`, every column of the
 * relation comes too (`*`), which JS LFs need as their `row`.
 */
export function lfVotesSql(file: LfFile, relation: string, options: { extra?: readonly string[]; includeAll?: boolean } = {}): string {
  const text = `coalesce(CAST(${quoteIdent(file.text)} AS VARCHAR), '')`;
  const votes = file.lfs.flatMap((lf, j) => {
    const expr = lfVoteSql(file, lf, '__t');
    return expr === null ? [] : [`CAST(${expr} AS INTEGER) AS ${voteColumn(j)}`];
  });
  const extra = (options.extra ?? []).map((c) => `${quoteIdent(c)}`);
  const cols = [`${ROW_COLUMN}`, `__t AS ${TEXT_COLUMN}`, ...(options.includeAll ? ['* EXCLUDE (__row, __t)'] : extra), ...votes];
  return `SELECT ${cols.join(', ')} FROM (SELECT *, (row_number() OVER () - 1)::BIGINT AS ${ROW_COLUMN}, ${text} AS __t FROM ${relation}) ORDER BY ${ROW_COLUMN}`;
}

/**
 * A DuckDB relation for a workspace data file by extension (csv/tsv via read_csv, parquet, json),
 * or the quoted table name. `path` is relative to the workspace root (the database's file search path).
 */
export function relationSql(source: { readonly file?: string; readonly table?: string }): string {
  if (source.table !== undefined) return quoteIdent(source.table);
  const file = source.file ?? '';
  const ext = file.toLowerCase().split('.').at(-1);
  if (ext === 'parquet') return `read_parquet(${quoteLiteral(file)})`;
  if (ext === 'json' || ext === 'ndjson' || ext === 'jsonl') return `read_json_auto(${quoteLiteral(file)})`;
  return `read_csv(${quoteLiteral(file)}, header = true)`;
}
