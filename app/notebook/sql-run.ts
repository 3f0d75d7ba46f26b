import { UserInputError } from '../base/errors';
import { quoteIdent, quoteLiteral } from '../data/engine';
import { tokenizeSql } from './sql-tokens';

/** A `;` or a `$name` parameter found outside strings, comments and quoted identifiers. */
interface Mark {
  kind: 'semicolon' | 'param';
  start: number;
  end: number;
  name: string;
}

/** End of a quoted run opened at `i` by `quote` (doubled quotes escape; E'…' also backslashes). */
function quotedEnd(sql: string, i: number, quote: string, hasBackslash: boolean): number {
  let j = i + 1;
  while (j < sql.length) {
    if (hasBackslash && sql[j] === '\\') { j += 2; continue; }
    if (sql[j] === quote) {
      if (sql[j + 1] === quote) { j += 2; continue; }
      return j + 1;
    }
    j++;
  }
  return sql.length;
}

function blockCommentEnd(sql: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < sql.length) {
    if (sql.startsWith('/*', j)) { depth++; j += 2; continue; }
    if (sql.startsWith('*/', j)) { depth--; j += 2; if (depth === 0) return j; continue; }
    j++;
  }
  return j;
}

/** Reads `$…` at `i`: a dollar-quoted string is skipped, `$name` is a parameter mark. */
function dollarAt(sql: string, i: number, marks: Mark[]): number {
  const rest = sql.slice(i);
  const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(rest);
  if (tag) {
    const close = sql.indexOf(tag[0], i + tag[0].length);
    return close < 0 ? sql.length : close + tag[0].length;
  }
  const param = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
  if (param) {
    marks.push({ kind: 'param', start: i, end: i + param[0].length, name: param[1]! });
    return i + param[0].length;
  }
  return i + 1;
}

/** Semicolons and named parameters with their offsets, as DuckDB's lexer would see them. */
function scan(sql: string): Mark[] {
  const marks: Mark[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (sql.startsWith('--', i)) { const nl = sql.indexOf('\n', i); i = nl < 0 ? sql.length : nl + 1; }
    else if (sql.startsWith('/*', i)) i = blockCommentEnd(sql, i);
    else if (ch === "'") i = quotedEnd(sql, i, "'", false);
    else if ((ch === 'E' || ch === 'e') && sql[i + 1] === "'" && !/[\p{L}\p{N}_]/u.test(sql[i - 1] ?? '')) i = quotedEnd(sql, i + 1, "'", true);
    else if (ch === '"') i = quotedEnd(sql, i, '"', false);
    else if (ch === '$' && !/[\p{L}\p{N}_]/u.test(sql[i - 1] ?? '')) i = dollarAt(sql, i, marks);
    else if (ch === ';') { marks.push({ kind: 'semicolon', start: i, end: i + 1, name: ';' }); i++; }
    else i++;
  }
  return marks;
}

/** One statement of a SQL cell: its text and where it starts in the cell (for error lines). */
export interface SqlStatement {
  sql: string;
  offset: number;
}

/**
 * Splits a cell's SQL at top-level `;` (never inside strings, comments or quoted identifiers)
 * into its non-empty statements, in order. Comment-only pieces are dropped.
 */
export function splitStatements(sql: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let from = 0;
  const push = (to: number) => {
    const text = sql.slice(from, to);
    if (tokenizeSql(text).length > 0) out.push({ sql: text, offset: from });
  };
  for (const mark of scan(sql)) {
    if (mark.kind !== 'semicolon') continue;
    push(mark.start);
    from = mark.end;
  }
  push(sql.length);
  return out;
}

const queryWords = new Set(['SELECT', 'WITH', 'FROM', 'VALUES', 'TABLE', 'SUMMARIZE', 'DESCRIBE', 'PIVOT', 'UNPIVOT', 'SHOW']);

/** Whether a statement yields rows DuckDB can store with `CREATE TABLE … AS SELECT * FROM (…)`. */
export function isQueryStatement(sql: string): boolean {
  const first = tokenizeSql(sql).find((t) => !(t.type === 'punct' && t.text === '('));
  return first?.type === 'word' && queryWords.has(first.upper);
}

/**
 * Rewrites each `$name` parameter as `getvariable('name')`, DuckDB's typed session variable,
 * so a statement with parameters can be stored by `CREATE TABLE AS` (which DuckDB cannot
 * PREPARE). Values are set with `SET VARIABLE` (see `setVariableSql`), never spliced into the
 * query. Line structure is kept, so DuckDB's `LINE n` in errors still points at the cell's line.
 */
export function bindParamsAsVariables(sql: string): { sql: string; names: string[] } {
  const names: string[] = [];
  let out = '';
  let last = 0;
  for (const mark of scan(sql)) {
    if (mark.kind !== 'param') continue;
    out += `${sql.slice(last, mark.start)}getvariable(${quoteLiteral(variableName(mark.name))})`;
    last = mark.end;
    if (!names.includes(mark.name)) names.push(mark.name);
  }
  return { sql: out + sql.slice(last), names };
}

/** The session variable that carries the cell value `name` (prefixed so users' own variables never clash). */
export function variableName(name: string): string {
  return `vajra_${name}`;
}

/** A value a parameter can carry: what inputs and JS cells produce that SQL can compare with. */
export type SqlParamValue = string | number | boolean | bigint | null | readonly SqlParamValue[];

/** Narrows any JS value to a bindable parameter, or explains why it cannot be one. */
export function toSqlParam(name: string, value: unknown): SqlParamValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UserInputError(`$${name} is ${value}; SQL parameters must be finite numbers.`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => toSqlParam(name, v));
  throw new UserInputError(`$${name} is ${typeof value === 'object' ? 'an object' : `a ${typeof value}`}; SQL parameters take numbers, text, booleans, null or arrays of them.`);
}

function literal(value: SqlParamValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return quoteLiteral(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'bigint') return `${value}::HUGEINT`;
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? `${value}::BIGINT` : `${value}::DOUBLE`;
  return `[${value.map(literal).join(', ')}]`;
}

/** `SET VARIABLE vajra_name = <typed literal>`: the value of one `$name` for the next statement. */
export function setVariableSql(name: string, value: SqlParamValue): string {
  return `SET VARIABLE ${quoteIdent(variableName(name))} = ${literal(value)}`;
}

/** The DuckDB schema of one notebook's tables: `nb_` + its path in identifier characters. */
export function notebookSchema(notebookPath: string): string {
  const stem = notebookPath.replace(/\.notebook\.md$/i, '').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toLowerCase();
  return `nb_${stem || 'notebook'}`;
}

/** The table a SQL cell's result is stored as: its name, or `_cell_<id>` for an unnamed cell. */
export function cellTableName(cell: { id: string; name?: string | undefined }): string {
  return cell.name ?? `_cell_${cell.id.replace(/[^A-Za-z0-9]+/g, '_')}`;
}

/** `"schema"."table"`: a fully qualified, quoted relation name. */
export function qualifiedName(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}
