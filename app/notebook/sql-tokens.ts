/** A significant token of DuckDB SQL. Whitespace and comments are dropped. */
export type SqlToken =
  | { type: 'word'; text: string; upper: string }
  | { type: 'quoted'; text: string }
  | { type: 'string'; text: string }
  | { type: 'param'; text: string }
  | { type: 'number'; text: string }
  | { type: 'punct'; text: string };

function skipBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) { depth++; i += 2; continue; }
    if (sql.startsWith('*/', i)) { depth--; i += 2; if (depth === 0) return i; continue; }
    i++;
  }
  return i;
}

/** Reads a quoted run starting at `start` (the quote); a doubled quote is an escaped one. */
function readQuoted(sql: string, start: number, quote: string, hasBackslashEscapes: boolean): { text: string; end: number } {
  let text = '';
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (hasBackslashEscapes && ch === '\\' && i + 1 < sql.length) { text += sql[i + 1]; i += 2; continue; }
    if (ch === quote) {
      if (sql[i + 1] === quote) { text += quote; i += 2; continue; }
      return { text, end: i + 1 };
    }
    text += ch;
    i++;
  }
  return { text, end: i };
}

const wordStart = /[\p{L}_]/u;
const wordPart = /[\p{L}\p{N}_$]/u;

function readDollar(sql: string, i: number): { token: SqlToken | undefined; end: number } {
  const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
  if (tag) {
    const close = sql.indexOf(tag[0], i + tag[0].length);
    const end = close < 0 ? sql.length : close;
    return { token: { type: 'string', text: sql.slice(i + tag[0].length, end) }, end: close < 0 ? end : end + tag[0].length };
  }
  const param = /^\$([A-Za-z_][A-Za-z0-9_]*|\d+)/.exec(sql.slice(i));
  if (param) return { token: { type: 'param', text: param[1]! }, end: i + param[0].length };
  return { token: { type: 'punct', text: '$' }, end: i + 1 };
}

/**
 * Splits DuckDB SQL into significant tokens: words (keywords and bare identifiers), quoted
 * identifiers ("a ""b"""), strings ('…', E'…' with backslash escapes, $tag$…$tag$), parameters
 * ($name, $1; `?` is punctuation), numbers and punctuation. `--` and nested block comments are
 * skipped. Never throws: an unterminated string or comment runs to the end of the text.
 */
export function tokenizeSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (/\s/.test(ch)) { i++; continue; }
    if (sql.startsWith('--', i)) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
      continue;
    }
    if (sql.startsWith('/*', i)) { i = skipBlockComment(sql, i); continue; }
    if (ch === "'") {
      const { text, end } = readQuoted(sql, i, "'", false);
      tokens.push({ type: 'string', text });
      i = end;
      continue;
    }
    if ((ch === 'E' || ch === 'e') && sql[i + 1] === "'") {
      const { text, end } = readQuoted(sql, i + 1, "'", true);
      tokens.push({ type: 'string', text });
      i = end;
      continue;
    }
    if (ch === '"') {
      const { text, end } = readQuoted(sql, i, '"', false);
      tokens.push({ type: 'quoted', text });
      i = end;
      continue;
    }
    if (ch === '$') {
      const { token, end } = readDollar(sql, i);
      if (token) tokens.push(token);
      i = end;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(\d[\d_]*)?(\.\d*)?([eE][+-]?\d+)?/.exec(sql.slice(i))!;
      const text = m[0] === '' ? ch : m[0];
      tokens.push({ type: 'number', text });
      i += text.length;
      continue;
    }
    if (wordStart.test(ch)) {
      let j = i + 1;
      while (j < sql.length && wordPart.test(sql[j]!)) j++;
      const text = sql.slice(i, j);
      tokens.push({ type: 'word', text, upper: text.toUpperCase() });
      i = j;
      continue;
    }
    tokens.push({ type: 'punct', text: ch });
    i++;
  }
  return tokens;
}
