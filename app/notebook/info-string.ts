import { UserInputError } from '../base/errors';
import { cellNamePattern, type CellKind, type CellOptions } from './types';

/** What a code fence's info string says about its cell. */
export interface FenceInfo {
  kind: Exclude<CellKind, 'markdown'>;
  name: string | undefined;
  language: string | undefined;
  options: CellOptions;
}

const runnableKinds: Readonly<Record<string, Exclude<CellKind, 'markdown' | 'foreign'>>> = {
  sql: 'sql',
  js: 'js',
  javascript: 'js',
  chart: 'chart',
  input: 'input',
};

/** Option keys: identifier-like, dashes allowed (`hide`, `fold`, `max-rows`). */
export const optionKeyPattern = /^[A-Za-z_][A-Za-z0-9_-]*$/;

type Token = { key: string; value: string | true };

/**
 * Splits an info string (the text after the opening backticks) into its words. Values are bare
 * (`min=0`) or JSON strings (`label="Max depth"`). Throws UserInputError naming `line`.
 */
function tokenize(info: string, line: number): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < info.length) {
    if (/\s/.test(info[i]!)) { i++; continue; }
    const keyMatch = /^[^\s="]+/.exec(info.slice(i));
    if (!keyMatch) throw new UserInputError(`line ${line}: unexpected ${JSON.stringify(info[i])} in the cell header`, { line });
    const key = keyMatch[0];
    i += key.length;
    if (info[i] !== '=') { tokens.push({ key, value: true }); continue; }
    i++;
    if (info[i] === '"') {
      const end = closingQuote(info, i);
      if (end < 0) throw new UserInputError(`line ${line}: the value of ${key} opens a quote that is never closed`, { line });
      tokens.push({ key, value: decodeQuoted(info.slice(i, end + 1), key, line) });
      i = end + 1;
    } else {
      const bare = /^[^\s"]*/.exec(info.slice(i))![0];
      tokens.push({ key, value: bare });
      i += bare.length;
    }
  }
  return tokens;
}

function closingQuote(text: string, open: number): number {
  for (let j = open + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j;
  }
  return -1;
}

function decodeQuoted(quoted: string, key: string, line: number): string {
  try {
    const value: unknown = JSON.parse(quoted);
    if (typeof value === 'string') return value;
  } catch {
    // reported below with the line number
  }
  throw new UserInputError(`line ${line}: the value of ${key} is not a valid quoted string`, { line });
}

/**
 * Reads a cell fence's info string, or returns undefined when the fence is not a cell (then it
 * is a code example inside prose). A fence is a cell when its first word is sql, js, javascript,
 * chart or input, or when it carries the `foreign` flag. `line` (1-based) goes into errors.
 */
export function parseFenceInfo(info: string, line: number): FenceInfo | undefined {
  const headWord = /^\s*([^\s="]+)(?=\s|$)/.exec(info)?.[1];
  if (headWord === undefined || (!runnableKinds[headWord] && !/(^|\s)foreign(\s|$)/.test(info))) return undefined;
  const tokens = tokenize(info, line);
  const head = tokens[0];
  if (!head || head.value !== true) return undefined;
  const isForeign = tokens.slice(1).some((t) => t.key === 'foreign' && t.value === true);
  const runnable = runnableKinds[head.key];
  if (!isForeign && !runnable) return undefined;
  let name: string | undefined;
  const options: Record<string, string | true> = {};
  for (const token of tokens.slice(1)) {
    if (isForeign && token.key === 'foreign' && token.value === true) continue;
    if (token.key === 'name') {
      if (token.value === true || !cellNamePattern.test(token.value)) {
        throw new UserInputError(`line ${line}: name must be an identifier (letters, digits, _), got ${JSON.stringify(token.value === true ? '' : token.value)}`, { line });
      }
      if (name !== undefined) throw new UserInputError(`line ${line}: name is given twice`, { line });
      name = token.value;
      continue;
    }
    if (!optionKeyPattern.test(token.key)) throw new UserInputError(`line ${line}: ${JSON.stringify(token.key)} is not a valid option name`, { line });
    if (Object.hasOwn(options, token.key)) throw new UserInputError(`line ${line}: option ${token.key} is given twice`, { line });
    options[token.key] = token.value;
  }
  if (isForeign) return { kind: 'foreign', name, language: head.key, options };
  return { kind: runnable!, name, language: undefined, options };
}

/** Quotes a value only when a bare word would not read back the same. Backticks are escaped so
 * the info string stays valid CommonMark (a backtick fence's info may not contain one). */
function formatValue(value: string): string {
  if (/^[^\s"`=]+$/.test(value)) return value;
  return JSON.stringify(value).replaceAll('`', '\\u0060');
}

/** Writes the canonical info string: kind or language, `foreign`, `name=…`, then options in order. */
export function formatFenceInfo(info: FenceInfo): string {
  const words: string[] = [info.kind === 'foreign' ? (info.language ?? 'text') : info.kind];
  if (info.kind === 'foreign') words.push('foreign');
  if (info.name !== undefined) words.push(`name=${info.name}`);
  for (const [key, value] of Object.entries(info.options)) words.push(value === true ? key : `${key}=${formatValue(value)}`);
  return words.join(' ');
}
