import { Table } from 'apache-arrow';
import { assertNever } from '../../../app/base/assert';

/**
 * A JSON-safe snapshot of any JS value for the inspector: what a cell shows and what the output
 * cache keeps. Depth and breadth are capped, so a huge value never freezes the page.
 */
export type Inspected =
  | { t: 'prim'; cls: 'number' | 'string' | 'boolean' | 'null' | 'undefined' | 'bigint' | 'symbol' | 'function'; text: string }
  | { t: 'array'; name: string; length: number; items: Inspected[] }
  | { t: 'object'; name: string; entries: Array<[string, Inspected]>; more: number }
  | { t: 'table'; rows: number; columns: Array<{ name: string; type: string }>; preview: string[][] }
  | { t: 'dom'; html: string }
  | { t: 'error'; text: string };

const MAX_ITEMS = 100;
const MAX_DEPTH = 4;
const PREVIEW_ROWS = 10;

function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '';
  return String(value);
}

function inspectTable(table: Table): Inspected {
  const columns = table.schema.fields.map((f) => ({ name: f.name, type: f.metadata.get('duckdb_type') ?? String(f.type) }));
  const preview: string[][] = [];
  for (let i = 0; i < Math.min(PREVIEW_ROWS, table.numRows); i++) {
    preview.push(columns.map((c) => cellText(table.getChild(c.name)?.get(i))));
  }
  return { t: 'table', rows: table.numRows, columns, preview };
}

function primitive(value: unknown): Inspected | undefined {
  switch (typeof value) {
    case 'number': return { t: 'prim', cls: 'number', text: String(value) };
    case 'string': return { t: 'prim', cls: 'string', text: value.length > 10_000 ? `${value.slice(0, 10_000)}…` : value };
    case 'boolean': return { t: 'prim', cls: 'boolean', text: String(value) };
    case 'bigint': return { t: 'prim', cls: 'bigint', text: `${value}n` };
    case 'symbol': return { t: 'prim', cls: 'symbol', text: value.toString() };
    case 'undefined': return { t: 'prim', cls: 'undefined', text: 'undefined' };
    case 'function': return { t: 'prim', cls: 'function', text: `ƒ ${value.name || '(anonymous)'}()` };
    default: return value === null ? { t: 'prim', cls: 'null', text: 'null' } : undefined;
  }
}

function nameOf(value: object): string {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null) return 'Object';
  const ctor: unknown = typeof proto === 'object' && 'constructor' in proto ? proto.constructor : undefined;
  return typeof ctor === 'function' && ctor.name ? ctor.name : 'Object';
}

/** Snapshot of `value` for the inspector (see Inspected). */
export function inspect(value: unknown, depth = 0): Inspected {
  const prim = primitive(value);
  if (prim || typeof value !== 'object' || value === null) return prim ?? { t: 'prim', cls: 'undefined', text: String(value) };
  if (typeof Node !== 'undefined' && value instanceof Node) {
    return { t: 'dom', html: value instanceof Element ? value.outerHTML : value.textContent ?? '' };
  }
  if (value instanceof Table) return inspectTable(value);
  if (value instanceof Error) return { t: 'error', text: `${value.name}: ${value.message}` };
  if (value instanceof Date) return { t: 'prim', cls: 'string', text: value.toISOString() };
  const object = value;
  if (Array.isArray(object) || ArrayBuffer.isView(object)) {
    const list = Array.from(object as ArrayLike<unknown>);
    const items = depth >= MAX_DEPTH ? [] : list.slice(0, MAX_ITEMS).map((v) => inspect(v, depth + 1));
    return { t: 'array', name: nameOf(object), length: list.length, items };
  }
  if (object instanceof Map) {
    const entries = [...object.entries()].slice(0, MAX_ITEMS).map(([k, v]): [string, Inspected] => [cellText(k), inspect(v, depth + 1)]);
    return { t: 'object', name: `Map(${object.size})`, entries: depth >= MAX_DEPTH ? [] : entries, more: Math.max(0, object.size - MAX_ITEMS) };
  }
  if (object instanceof Set) {
    const items = depth >= MAX_DEPTH ? [] : [...object].slice(0, MAX_ITEMS).map((v) => inspect(v, depth + 1));
    return { t: 'array', name: 'Set', length: object.size, items };
  }
  const keys = Object.keys(object);
  const entries = depth >= MAX_DEPTH ? [] : keys.slice(0, MAX_ITEMS).map((k): [string, Inspected] => [k, inspect(Reflect.get(object, k), depth + 1)]);
  return { t: 'object', name: nameOf(object), entries, more: keys.length - entries.length };
}

/** A one-line summary of an inspected value (collapsed inspector rows, tests). */
export function summarize(value: Inspected): string {
  switch (value.t) {
    case 'prim': return value.cls === 'string' ? JSON.stringify(value.text) : value.text;
    case 'array': return `${value.name}(${value.length}) [${value.items.slice(0, 5).map(summarize).join(', ')}${value.length > 5 ? ', …' : ''}]`;
    case 'object': {
      const shown = value.entries.slice(0, 4).map(([k, v]) => `${k}: ${summarize(v)}`);
      const isCut = value.entries.length > 4 || value.more > 0;
      return `${value.name === 'Object' ? '' : `${value.name} `}{${shown.join(', ')}${isCut ? (shown.length > 0 ? ', …' : '…') : ''}}`;
    }
    case 'table': return `Table ${value.rows.toLocaleString('en-US')} rows × ${value.columns.length} columns`;
    case 'dom': return 'DOM node';
    case 'error': return value.text;
    default: return assertNever(value, 'inspected value');
  }
}
