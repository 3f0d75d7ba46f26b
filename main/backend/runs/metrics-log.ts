import { readFile } from 'node:fs/promises';
import type { MetricPoint } from '../../../app/tracking/run-model';

/**
 * `metrics.ndjson`: one metric point per line, `["key",value,step,timestamp]`. Non-finite values
 * are written as the strings "NaN", "Infinity", "-Infinity" (JSON has no such numbers). The file
 * is only ever appended (fsynced per batch), so after a crash at most the last line is torn.
 */
export function encodeMetricLines(points: readonly MetricPoint[]): string {
  let out = '';
  for (const p of points) {
    const value = Number.isFinite(p.value) ? p.value : String(p.value);
    out += `${JSON.stringify([p.key, value, p.step, p.timestamp])}\n`;
  }
  return out;
}

function toValue(raw: unknown): number | undefined {
  if (typeof raw === 'number') return raw;
  if (raw === 'NaN') return Number.NaN;
  if (raw === 'Infinity') return Number.POSITIVE_INFINITY;
  if (raw === '-Infinity') return Number.NEGATIVE_INFINITY;
  return undefined;
}

function parseLine(line: string): MetricPoint | undefined {
  let row: unknown;
  try {
    row = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!Array.isArray(row) || row.length !== 4) return undefined;
  const [key, raw, step, timestamp] = row;
  const value = toValue(raw);
  if (typeof key !== 'string' || value === undefined || typeof step !== 'number' || typeof timestamp !== 'number') return undefined;
  return { key, value, step, timestamp };
}

/** Result of reading a metrics log: the points and how many bytes of whole lines they cover. */
export interface MetricsRead {
  points: MetricPoint[];
  /** Byte length of the complete lines read; a torn tail after it is ignored. */
  validBytes: number;
  /** True when a torn or unparsable last line was skipped. */
  hadTornTail: boolean;
}

/**
 * Parses a metrics log. A last line without its newline is a torn write (crash mid-append) and is
 * ignored; an unparsable line in the middle is corruption and throws, with its line number.
 */
export function parseMetricLines(text: string): MetricsRead {
  const points: MetricPoint[] = [];
  const end = text.lastIndexOf('\n') + 1;
  let start = 0;
  let line = 0;
  while (start < end) {
    const nl = text.indexOf('\n', start);
    line++;
    const p = parseLine(text.slice(start, nl));
    if (!p) throw new Error(`metrics.ndjson line ${line} is corrupt`);
    points.push(p);
    start = nl + 1;
  }
  return { points, validBytes: Buffer.byteLength(text.slice(0, end)), hadTornTail: end < text.length };
}

/** Reads a metrics log; a missing file is an empty history. */
export async function readMetricsFile(path: string): Promise<MetricsRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return { points: [], validBytes: 0, hadTornTail: false };
    throw error;
  }
  return parseMetricLines(text);
}

/** True for ENOENT (a missing file or folder). */
export function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
