/**
 * Plain label file formats: CSV rows of ranges, JSON Lines of labels, and NAB's window JSON
 * (`{"dir/file.csv": [["start", "end"], …]}` with "YYYY-MM-DD HH:MM:SS.ffffff" timestamps).
 */
import { UserInputError } from '../base/errors';
import { parseCsvRecords, serializeCsv } from './csv';
import type { Label, RangeLabel } from './model';
import { parseNabTimestamp } from './nab';

const rangeColumns = ['id', 'series', 'start', 'end', 'label', 'note'] as const;

/** Range labels as CSV with header id,series,start,end,label,note (numbers in JS shortest form). */
export function rangesToCsv(ranges: readonly RangeLabel[]): string {
  return serializeCsv([[...rangeColumns], ...ranges.map((r) => [r.id, r.series, String(r.start), String(r.end), r.label, r.note ?? ''])]);
}

/** Parses CSV of ranges (columns by header name; `id` optional → "row-N"; empty note → none). */
export function rangesFromCsv(text: string): RangeLabel[] {
  return parseCsvRecords(text).map((r, i) => {
    const start = Number(r.start);
    const end = Number(r.end);
    if (!Number.isFinite(start) || !Number.isFinite(end) || !r.series || !r.label) {
      throw new UserInputError(`ranges CSV row ${i + 2}: needs series, numeric start/end and label`, { row: i + 2 });
    }
    const base = { kind: 'range' as const, id: r.id || `row-${i + 1}`, series: r.series, start, end, label: r.label };
    return r.note ? { ...base, note: r.note } : base;
  });
}

/** Labels as JSON Lines: one label object per line, trailing newline. */
export function labelsToJsonl(labels: readonly Label[]): string {
  return labels.map((l) => JSON.stringify(l)).join('\n') + (labels.length > 0 ? '\n' : '');
}

const kinds = new Set(['range', 'point', 'doc', 'span']);

/** Parses JSON Lines of labels; blank lines are skipped; a line that is not a label throws UserInputError naming it. */
export function labelsFromJsonl(text: string): Label[] {
  const out: Label[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new UserInputError(`JSONL line ${i + 1} is not valid JSON`, { line: i + 1 });
    }
    if (typeof v !== 'object' || v === null || !('kind' in v) || !kinds.has(String(v.kind)) || !('id' in v)) {
      throw new UserInputError(`JSONL line ${i + 1} is not a label`, { line: i + 1 });
    }
    out.push(v as Label);
  });
  return out;
}

/** Formats epoch ms (UTC) as NAB's "YYYY-MM-DD HH:MM:SS.ffffff". */
export function formatNabTimestamp(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const { y, m, d } = civilFromDays(days);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000);
  rest -= mi * 60_000;
  const s = Math.floor(rest / 1000);
  const micro = Math.round((rest - s * 1000) * 1000);
  const p = (v: number, n = 2) => String(v).padStart(n, '0');
  return `${p(y, 4)}-${p(m)}-${p(d)} ${p(h)}:${p(mi)}:${p(s)}.${p(micro, 6)}`;
}

/** Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm). */
function civilFromDays(z0: number): { y: number; m: number; d: number } {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** NAB window JSON → range labels (series = file key, class `label`, ids "file#i", x in epoch ms). */
export function nabWindowsToRanges(json: Readonly<Record<string, ReadonlyArray<readonly string[]>>>, label = 'anomaly'): RangeLabel[] {
  return Object.entries(json).flatMap(([file, windows]) =>
    windows.map(([a, b], i): RangeLabel => {
      const start = parseNabTimestamp(a ?? '');
      const end = parseNabTimestamp(b ?? '');
      if (!Number.isFinite(start) || !Number.isFinite(end)) throw new UserInputError(`bad NAB window ${file}#${i}`);
      return { kind: 'range', id: `${file}#${i}`, series: file, start, end, label };
    }),
  );
}

/**
 * Range labels (x in epoch ms) → NAB window JSON, windows sorted by start per file. `series`
 * lists files to include even when they have no window (NAB keeps them as empty lists).
 */
export function rangesToNabWindows(ranges: readonly RangeLabel[], series: readonly string[] = []): Record<string, string[][]> {
  const out: Record<string, string[][]> = {};
  for (const s of series) out[s] = [];
  const sorted = [...ranges].sort((a, b) => (a.series < b.series ? -1 : a.series > b.series ? 1 : a.start - b.start));
  for (const r of sorted) (out[r.series] ??= []).push([formatNabTimestamp(r.start), formatNabTimestamp(r.end)]);
  return out;
}
