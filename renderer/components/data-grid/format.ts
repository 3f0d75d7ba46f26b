import { profileKind } from '../../../app/data/profile';

/** How a column's cells are laid out and formatted, from its DuckDB type name. */
export type CellKind = 'number' | 'date' | 'timestamp' | 'boolean' | 'text';

/** The cell kind of a DuckDB type (`BIGINT` → number, `DATE` → date, `TIMESTAMP` → timestamp …). */
export function cellKind(duckdbType: string): CellKind {
  const type = duckdbType.trim().toUpperCase();
  if (type === 'BOOLEAN') return 'boolean';
  if (type === 'DATE') return 'date';
  const kind = profileKind(type);
  if (kind === 'temporal') return 'timestamp';
  if (kind === 'numeric') return 'number';
  return 'text';
}

/** Default column width in px for a kind, widened for long names and capped. */
export function columnWidth(name: string, kind: CellKind): number {
  const base = kind === 'number' ? 120 : kind === 'date' ? 110 : kind === 'timestamp' ? 180 : kind === 'boolean' ? 80 : 170;
  return Math.min(320, Math.max(base, 24 + name.length * 8));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function isoDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function isoTimestamp(d: Date): string {
  const ms = d.getUTCMilliseconds();
  return `${isoDate(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${ms ? `.${pad(ms, 3)}` : ''}`;
}

function formatNumber(value: number): string {
  if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1e15 || abs < 1e-6) return value.toExponential(4);
  // Ten significant digits fit a default column; the full value is in the cell's tooltip.
  return String(Number(value.toPrecision(10)));
}

/** Text of a non-null cell. Dates and timestamps are shown in UTC, as DuckDB prints them. */
export function formatCell(value: unknown, kind: CellKind): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (kind === 'date') return isoDate(new Date(value));
    if (kind === 'timestamp') return isoTimestamp(new Date(value));
    return formatNumber(value);
  }
  if (value instanceof Date) return kind === 'date' ? isoDate(value) : isoTimestamp(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
}

/** A count with thousands separators (`32,561`), the same in every locale so tests and users agree. */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A count in a few characters for tight spaces: `950`, `21k`, `9.0M`, `1.2B`. */
export function compactCount(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (abs >= 1e4) return `${Math.round(n / 1e3)}k`;
  return formatCount(n);
}
