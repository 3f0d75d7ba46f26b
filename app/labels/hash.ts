import { sha256Hex } from '../base/sha256';

/** SHA-256 hex (re-exported: label code hashes through this module). */
export { sha256Hex };
/**
 * Content hashing for label-set versions: canonical JSON (sorted keys, no whitespace) and
 * SHA-256 over its UTF-8 bytes, in pure TypeScript so it runs in workers and Node alike.
 */

/** JSON with object keys sorted recursively; `undefined` members are dropped as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}




/** SHA-256 hex of a string's UTF-8 encoding. */
export function sha256Text(text: string): string {
  return sha256Hex(new TextEncoder().encode(text));
}
