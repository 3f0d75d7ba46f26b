import { createContext, Script } from 'node:vm';
import { UserInputError } from '../../../app/base/errors';

/** A JS labeling function: the body of `function (row, helpers)` returning a class name/index or null. */
export interface JsLf {
  readonly name: string;
  readonly code: string;
}

/** Default wall-clock budget for all JS LFs over one batch of rows. */
export const JS_LF_TIMEOUT_MS = 5_000;

// Runs inside the context: the helpers, each LF compiled once, then one pass over the rows. The
// whole pass is one `runInContext` call so the timeout bounds the user's code, loops included.
const RUNNER = `
'use strict';
const helpers = {
  keyword: (text, ...words) => { const t = String(text ?? '').toLowerCase(); return words.some((w) => t.includes(String(w).toLowerCase())); },
  regex: (text, pattern, flags) => new RegExp(pattern, String(flags ?? '').replace('g', '')).test(String(text ?? '')),
  words: (text) => { const t = String(text ?? '').trim(); return t === '' ? 0 : t.split(/\\s+/).length; },
};
const { keyword, regex, words } = helpers;
const fns = __sources.map((src, j) => {
  try { return new Function('row', 'keyword', 'regex', 'words', src); }
  catch (e) { throw new Error('LF ' + __names[j] + ': ' + e.message); }
});
const out = fns.map(() => new Int32Array(__rows.length));
for (let i = 0; i < __rows.length; i++) {
  const row = __rows[i];
  for (let j = 0; j < fns.length; j++) {
    let v;
    try { v = fns[j](row, keyword, regex, words); }
    catch (e) { throw new Error('LF ' + __names[j] + ' failed on row ' + i + ': ' + (e && e.message)); }
    let code = -1;
    if (typeof v === 'string') code = __classes.indexOf(v);
    else if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < __classes.length) code = v;
    if (v !== null && v !== undefined && code < 0 && v !== -1) throw new Error('LF ' + __names[j] + ' returned ' + JSON.stringify(v) + ' on row ' + i + ', not a class or null');
    out[j][i] = code;
  }
}
out;
`;

const runner = new Script(RUNNER, { filename: 'vajra-js-lfs.js' });

/**
 * Votes of JS LFs over `rows` (column name → value), one Int32Array of class indices (−1 =
 * abstain) per LF. The user's own code runs in a fresh `node:vm` context (no require, no process,
 * no I/O globals) with a wall-clock `timeoutMs` for the whole batch. This isolates mistakes
 * (infinite loops, thrown errors), not hostile code — it is the workspace owner's code.
 * Errors name the LF and the row; a timeout says so.
 */
export function runJsLfs(lfs: readonly JsLf[], classes: readonly string[], rows: ReadonlyArray<Record<string, unknown>>, timeoutMs = JS_LF_TIMEOUT_MS): Int32Array[] {
  if (lfs.length === 0) return [];
  const context = createContext({ __sources: lfs.map((lf) => lf.code), __names: lfs.map((lf) => lf.name), __classes: [...classes], __rows: rows }, { codeGeneration: { strings: true, wasm: false } });
  try {
    const result: unknown = runner.runInContext(context, { timeout: timeoutMs });
    if (!Array.isArray(result)) throw new Error('no result');
    // Typed arrays made in another context fail `instanceof`; copy into this realm's arrays.
    return result.map((col: ArrayLike<number>) => Int32Array.from(col));
  } catch (error) {
    const message = messageOf(error);
    if (/timed out/i.test(message)) throw new UserInputError(`The JS labeling functions took longer than ${timeoutMs} ms over ${rows.length} rows and were stopped.`);
    throw new UserInputError(message);
  }
}

/** The message of an error thrown in another realm (not `instanceof Error` here). */
function messageOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
}
