import { tokenizeSql, type SqlToken } from './sql-tokens';

/** What a SQL cell reads. Names keep their spelling; DuckDB matches them case-insensitively. */
export interface SqlReferences {
  /** Tables read after FROM/JOIN (and DESCRIBE, SUMMARIZE, TABLE …), CTE names excluded; `a.b` when qualified. */
  tables: string[];
  /** String literals read as tables: `FROM 'x.csv'`, `read_csv('x.csv')`, `read_parquet('x.parquet')` … */
  files: string[];
  /** Named prepared-statement parameters `$name`, bound from other cells (inputs, JS values). */
  params: string[];
}

const queryStarts = new Set(['SELECT', 'WITH', 'FROM', 'VALUES', 'TABLE', 'SUMMARIZE', 'DESCRIBE', 'PIVOT', 'UNPIVOT']);
const tableListEnds = new Set([
  'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'QUALIFY', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT',
  'SELECT', 'ON', 'USING', 'RETURNING', 'SET', 'VALUES',
]);
/** Words after FROM/JOIN that are syntax, not a table name. */
const notTables = new Set([...tableListEnds, 'LATERAL', 'ONLY', 'JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'NATURAL', 'ASOF', 'POSITIONAL', 'ANTI', 'SEMI']);
/** Statements whose first word is followed by a table to read. */
const tableStatements = new Set(['TABLE', 'DESCRIBE', 'SUMMARIZE', 'PIVOT', 'UNPIVOT']);

interface Walk {
  tokens: SqlToken[];
  match: number[];
  tables: Set<string>;
  files: Set<string>;
  params: Set<string>;
}

function isWord(token: SqlToken | undefined, upper: string): boolean {
  return token?.type === 'word' && token.upper === upper;
}

function isPunct(token: SqlToken | undefined, text: string): boolean {
  return token?.type === 'punct' && token.text === text;
}

/** Index of the matching `)` for every `(` (the end of the text when unbalanced). */
function matchParens(tokens: SqlToken[]): number[] {
  const match = new Array<number>(tokens.length).fill(-1);
  const open: number[] = [];
  tokens.forEach((t, i) => {
    if (isPunct(t, '(')) open.push(i);
    else if (isPunct(t, ')') && open.length > 0) match[open.pop()!] = i;
  });
  for (const i of open) match[i] = tokens.length;
  return match;
}

function isQueryGroup(token: SqlToken | undefined): boolean {
  return token?.type === 'word' && queryStarts.has(token.upper);
}

/**
 * Reads the table reference starting at `k`; returns the index of the first token after it.
 * A `(` is left for the caller (a subquery or table-function arguments, walked as a group).
 */
function readTableRef(w: Walk, k: number, visible: ReadonlySet<string>): number {
  while (isWord(w.tokens[k], 'LATERAL') || isWord(w.tokens[k], 'ONLY')) k++;
  const first = w.tokens[k];
  if (first?.type === 'string') { w.files.add(first.text); return k + 1; }
  if (!first || (first.type !== 'word' && first.type !== 'quoted') || (first.type === 'word' && notTables.has(first.upper))) return k;
  const parts = [first.text];
  let j = k + 1;
  while (isPunct(w.tokens[j], '.') && (w.tokens[j + 1]?.type === 'word' || w.tokens[j + 1]?.type === 'quoted')) {
    parts.push(w.tokens[j + 1]!.text);
    j += 2;
  }
  if (isPunct(w.tokens[j], '(')) {
    const arg = w.tokens[j + 1];
    if (parts.length === 1 && /^(read_|parquet_scan|sniff_csv)/i.test(first.text) && arg?.type === 'string') w.files.add(arg.text);
    return j;
  }
  if (parts.length > 1 || !visible.has(first.text.toLowerCase())) w.tables.add(parts.join('.'));
  return j;
}

/** Reads `WITH [RECURSIVE] a [(cols)] AS [[NOT] MATERIALIZED] (…), …` at `k`; adds the names to `visible`. */
function readCtes(w: Walk, k: number, visible: Set<string>): number {
  const isRecursive = isWord(w.tokens[k], 'RECURSIVE');
  if (isRecursive) k++;
  for (;;) {
    const name = w.tokens[k];
    if (!name || (name.type !== 'word' && name.type !== 'quoted')) return k;
    const key = name.text.toLowerCase();
    k++;
    if (isPunct(w.tokens[k], '(')) k = w.match[k]! + 1;
    if (!isWord(w.tokens[k], 'AS')) return k;
    k++;
    if (isWord(w.tokens[k], 'NOT')) k++;
    if (isWord(w.tokens[k], 'MATERIALIZED')) k++;
    if (!isPunct(w.tokens[k], '(')) return k;
    const bodyVisible = new Set(visible);
    if (isRecursive) bodyVisible.add(key);
    walkGroup(w, k + 1, w.match[k]!, bodyVisible, true);
    visible.add(key);
    k = w.match[k]! + 1;
    if (!isPunct(w.tokens[k], ',')) return k;
    k++;
  }
}

/** Walks tokens [from, to) of one parenthesised level; FROM/JOIN only count in a query level. */
function walkGroup(w: Walk, from: number, to: number, inherited: ReadonlySet<string>, isQuery: boolean): void {
  let visible = new Set(inherited);
  let inTableList = false;
  let isStatementStart = true;
  for (let i = from; i < to; i++) {
    const t = w.tokens[i]!;
    const atStart = isStatementStart;
    isStatementStart = false;
    if (t.type === 'param') {
      if (!/^\d+$/.test(t.text)) w.params.add(t.text);
    } else if (t.type === 'punct') {
      if (t.text === '(') {
        const end = Math.min(w.match[i]!, to);
        walkGroup(w, i + 1, end, visible, isQueryGroup(w.tokens[i + 1]));
        i = end;
      } else if (t.text === ',' && inTableList && isQuery) {
        i = readTableRef(w, i + 1, visible) - 1;
      } else if (t.text === ';') {
        visible = new Set(inherited);
        inTableList = false;
        isStatementStart = true;
      }
    } else if (t.type === 'word' && isQuery) {
      if (t.upper === 'WITH') {
        i = readCtes(w, i + 1, visible) - 1;
      } else if ((t.upper === 'FROM' && !isWord(w.tokens[i - 1], 'DISTINCT')) || t.upper === 'JOIN') {
        inTableList = true;
        i = readTableRef(w, i + 1, visible) - 1;
      } else if (atStart && tableStatements.has(t.upper) && !isQueryGroup(w.tokens[i + 1]) && !isPunct(w.tokens[i + 1], '(')) {
        i = readTableRef(w, i + 1, visible) - 1;
      } else if (tableListEnds.has(t.upper)) {
        inTableList = false;
      }
    }
  }
}

/**
 * The tables, files and `$name` parameters a DuckDB query reads, from a real tokenizer: strings,
 * comments and quoted identifiers never leak names; `FROM` inside `EXTRACT(… FROM …)`, `TRIM`,
 * `IS DISTINCT FROM` is not a table; CTE names are excluded where they are visible
 * (`WITH x AS (…) SELECT * FROM x JOIN trips` reads only `trips`). Each list is in first-use order.
 */
export function sqlReferences(sql: string): SqlReferences {
  const tokens = tokenizeSql(sql);
  const w: Walk = { tokens, match: matchParens(tokens), tables: new Set(), files: new Set(), params: new Set() };
  walkGroup(w, 0, tokens.length, new Set(), true);
  return { tables: [...w.tables], files: [...w.files], params: [...w.params] };
}
