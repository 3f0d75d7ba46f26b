import type { ColumnFilter } from '../../app/data/window';
import { profileKind } from '../../app/data/profile';

const NULL_WORDS = /^(is\s+)?null$/i;

function scalar(text: string, isNumeric: boolean): string | number {
  const trimmed = text.trim();
  if (isNumeric && trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
  return trimmed;
}

/**
 * A grid filter box's text as a SQL filter on `column` of DuckDB type `type`:
 * `null` → IS NULL; `=x` → equals; `a..b` → inclusive range; `>=a`, `>a`, `<=b`, `<b` → one-sided
 * range (bounds inclusive); for numbers and dates a bare value means equals; anything else is a
 * case-insensitive substring of the value's text. Empty text → null (no filter).
 */
export function filterFromText(column: string, type: string, text: string): ColumnFilter | null {
  const t = text.trim();
  if (t === '') return null;
  const kind = profileKind(type);
  const ordered = kind !== 'other';
  const isNumeric = kind === 'numeric';
  if (NULL_WORDS.test(t)) return { kind: 'equals', column, value: null };
  if (t.startsWith('=')) return { kind: 'equals', column, value: scalar(t.slice(1), isNumeric) };
  if (ordered) {
    const range = /^(.+?)\s*\.\.\s*(.+)$/.exec(t);
    if (range) return { kind: 'range', column, min: scalar(range[1]!, isNumeric), max: scalar(range[2]!, isNumeric) };
    const bound = /^(>=|<=|>|<)\s*(.+)$/.exec(t);
    if (bound) {
      const value = scalar(bound[2]!, isNumeric);
      return bound[1]!.startsWith('>') ? { kind: 'range', column, min: value } : { kind: 'range', column, max: value };
    }
    if (isNumeric && Number.isFinite(Number(t))) return { kind: 'equals', column, value: Number(t) };
  }
  return { kind: 'contains', column, text: t };
}
