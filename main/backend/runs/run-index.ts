import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appendDurable, writeFileAtomic } from '../fs/atomic';
import type { MetricSummary, RunSummary } from '../../../app/tracking/run-model';
import { isMissing } from './metrics-log';

/**
 * The run list index: a derived cache so that opening 10,000 runs reads two files, not 20,000.
 *
 * - `runs/index.bin` — a snapshot. Run metadata as one JSON header; metric summaries as binary
 *   columns (Uint32 key ids, Float64 values), because parsing 1M summaries from JSON text takes
 *   ~0.9 s while viewing them from a Float64Array takes milliseconds.
 * - `runs/index.ndjson` — a journal appended (fsynced) after every record change: a full summary
 *   line per change, `dirty` before a run.json write (so a crash between the two is detected and
 *   that run re-read), `gone` on delete. Replaying it over the snapshot is idempotent.
 *
 * Both are rebuildable from the run folders (run.json + summary.json); the run folders are the
 * truth.
 */

const MAGIC = 'VJRIDX1\n';
const VALUES_PER_METRIC = 6;

/** A journal entry. */
export type JournalEntry = { run: RunSummary } | { dirty: string } | { gone: string };

/** The in-memory index plus the ids whose disk state must be re-read (dirty or running). */
export interface LoadedIndex {
  runs: Map<string, RunSummary>;
  dirty: Set<string>;
  journalLines: number;
}

function num(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

function unnum(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  return raw === 'Infinity' ? Number.POSITIVE_INFINITY : raw === '-Infinity' ? Number.NEGATIVE_INFINITY : Number.NaN;
}

/** Metric summaries as JSON-safe arrays (NaN/±Infinity as strings). */
export function encodeSummaries(metrics: Record<string, MetricSummary>): Record<string, (number | string)[]> {
  const out: Record<string, (number | string)[]> = {};
  for (const [key, s] of Object.entries(metrics)) out[key] = [num(s.last), num(s.min), num(s.max), s.lastStep, s.lastTimestamp, s.count];
  return out;
}

/** Inverse of `encodeSummaries`. */
export function decodeSummaries(raw: Record<string, unknown[]>): Record<string, MetricSummary> {
  const out: Record<string, MetricSummary> = {};
  for (const [key, v] of Object.entries(raw)) {
    out[key] = { last: unnum(v[0]), min: unnum(v[1]), max: unnum(v[2]), lastStep: unnum(v[3]), lastTimestamp: unnum(v[4]), count: unnum(v[5]) };
  }
  return out;
}

type SummaryMeta = Omit<RunSummary, 'metrics'>;

function encodeSummaryLine(summary: RunSummary): string {
  return JSON.stringify({ run: { ...summary, metrics: encodeSummaries(summary.metrics) } });
}

/** Appends journal entries durably (one fsync for the batch). */
export async function appendJournal(root: string, entries: readonly JournalEntry[]): Promise<void> {
  const text = entries.map((e) => ('run' in e ? encodeSummaryLine(e.run) : JSON.stringify(e))).join('\n');
  await appendDurable(join(root, 'index.ndjson'), `${text}\n`);
}

/** Encodes the whole index as the binary snapshot format described above. */
export function encodeSnapshot(runs: Iterable<RunSummary>): Buffer {
  const keyIds = new Map<string, number>();
  const metas: (SummaryMeta & { n: number })[] = [];
  const keyColumn: number[] = [];
  const valueColumn: number[] = [];
  for (const run of runs) {
    const { metrics, ...meta } = run;
    const entries = Object.entries(metrics);
    metas.push({ ...meta, n: entries.length });
    for (const [key, s] of entries) {
      let id = keyIds.get(key);
      if (id === undefined) keyIds.set(key, (id = keyIds.size));
      keyColumn.push(id);
      valueColumn.push(s.last, s.min, s.max, s.lastStep, s.lastTimestamp, s.count);
    }
  }
  const header = Buffer.from(JSON.stringify({ runs: metas, keys: [...keyIds.keys()] }));
  const headerEnd = align8(MAGIC.length + 4 + header.length);
  const keysEnd = align8(headerEnd + keyColumn.length * 4);
  const out = Buffer.alloc(keysEnd + valueColumn.length * 8);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(header.length, MAGIC.length);
  header.copy(out, MAGIC.length + 4);
  new Uint32Array(out.buffer, out.byteOffset + headerEnd, keyColumn.length).set(keyColumn);
  new Float64Array(out.buffer, out.byteOffset + keysEnd, valueColumn.length).set(valueColumn);
  return out;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** Decodes a snapshot; throws on a foreign or truncated file (the caller then rebuilds). */
export function decodeSnapshot(bytes: Buffer): Map<string, RunSummary> {
  if (bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error('index.bin: not a Vajra run index');
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const header = JSON.parse(bytes.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headerLength)) as { runs: (SummaryMeta & { n: number })[]; keys: string[] };
  const total = header.runs.reduce((sum, r) => sum + r.n, 0);
  const headerEnd = align8(MAGIC.length + 4 + headerLength);
  const keysEnd = align8(headerEnd + total * 4);
  if (bytes.length < keysEnd + total * VALUES_PER_METRIC * 8) throw new Error('index.bin: truncated');
  // Copy into aligned memory: a Buffer from readFile may sit at any byte offset of its pool.
  const keyColumn = new Uint32Array(bytes.buffer.slice(bytes.byteOffset + headerEnd, bytes.byteOffset + headerEnd + total * 4));
  const values = new Float64Array(bytes.buffer.slice(bytes.byteOffset + keysEnd, bytes.byteOffset + keysEnd + total * 48));
  const runs = new Map<string, RunSummary>();
  let at = 0;
  for (const { n, ...meta } of header.runs) {
    const metrics: Record<string, MetricSummary> = {};
    for (let i = 0; i < n; i++, at++) {
      const v = at * VALUES_PER_METRIC;
      metrics[header.keys[keyColumn[at]!]!] = { last: values[v]!, min: values[v + 1]!, max: values[v + 2]!, lastStep: values[v + 3]!, lastTimestamp: values[v + 4]!, count: values[v + 5]! };
    }
    runs.set(meta.id, { ...meta, metrics });
  }
  return runs;
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** Applies journal text over `runs`; a torn last line (crash mid-append) is ignored. */
export function replayJournal(text: string, runs: Map<string, RunSummary>, dirty: Set<string>): number {
  const lines = text.split('\n');
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    let entry: { run?: RunSummary & { metrics: Record<string, unknown[]> }; dirty?: string; gone?: string };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch (error) {
      if (i === lines.length - 1) break;
      throw error;
    }
    count++;
    if (entry.run) {
      runs.set(entry.run.id, { ...entry.run, metrics: decodeSummaries(entry.run.metrics) });
      dirty.delete(entry.run.id);
    } else if (entry.dirty !== undefined) {
      dirty.add(entry.dirty);
    } else if (entry.gone !== undefined) {
      runs.delete(entry.gone);
      dirty.delete(entry.gone);
    }
  }
  return count;
}

/** Loads snapshot + journal; an unreadable snapshot counts as empty (the caller re-reads runs). */
export async function loadIndex(root: string): Promise<LoadedIndex> {
  const snapshot = await readOptional(join(root, 'index.bin'));
  let runs = new Map<string, RunSummary>();
  if (snapshot) {
    try {
      runs = decodeSnapshot(snapshot);
    } catch {
      // A damaged snapshot is only a cache: the store re-reads every run folder missing here.
      runs = new Map();
    }
  }
  const dirty = new Set<string>();
  const journal = await readOptional(join(root, 'index.ndjson'));
  const journalLines = journal ? replayJournal(journal.toString('utf8'), runs, dirty) : 0;
  return { runs, dirty, journalLines };
}

/** Writes a fresh snapshot, then empties the journal (its entries are now in the snapshot). */
export async function compactIndex(root: string, runs: Iterable<RunSummary>): Promise<void> {
  await writeFileAtomic(join(root, 'index.bin'), encodeSnapshot(runs));
  await writeFileAtomic(join(root, 'index.ndjson'), '');
}
