import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appendDurable, writeFileAtomic } from '../fs/atomic';
import type { MetricSummary, RunSummary } from '../../../app/tracking/run-model';
import { fieldValue, type FieldReader } from '../../../app/tracking/run-query';
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
  /** Reads fields fast for snapshot-backed runs, plainly for the others. */
  readField: FieldReader;
  columns: MetricColumns | undefined;
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
export function encodeSnapshot(runs: Iterable<RunSummary>, columns?: MetricColumns): Buffer {
  const keyIds = new Map<string, number>();
  const keyIdOf = (key: string) => {
    let id = keyIds.get(key);
    if (id === undefined) keyIds.set(key, (id = keyIds.size));
    return id;
  };
  const metas: (SummaryMeta & { n: number })[] = [];
  const keyColumn: number[] = [];
  const valueColumn: number[] = [];
  for (const run of runs) {
    const { id, experiment, name, status, startTime, endTime, params, tags, parentRunId } = run;
    const before = keyColumn.length;
    if (!columns?.copyInto(run, keyIdOf, keyColumn, valueColumn)) {
      for (const [key, s] of Object.entries(run.metrics)) {
        keyColumn.push(keyIdOf(key));
        valueColumn.push(s.last, s.min, s.max, s.lastStep, s.lastTimestamp, s.count);
      }
    }
    metas.push({ id, experiment, name, status, startTime, endTime, params, tags, ...(parentRunId !== undefined ? { parentRunId } : {}), n: keyColumn.length - before });
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

/**
 * Metric summaries of the snapshot kept as columns. A run's `metrics` record is built only when
 * something reads it (a visible row, a detail view); sorting and filtering 10k runs by one
 * metric read the columns through `readField` instead, because building 1M summary objects
 * takes seconds while scanning the columns takes milliseconds.
 */
export class MetricColumns {
  private readonly spans = new WeakMap<RunSummary, { start: number; n: number }>();

  constructor(
    private readonly keys: readonly string[],
    private readonly keyIds: Map<string, number>,
    private readonly keyColumn: Uint32Array,
    private readonly values: Float64Array,
  ) {}

  /** Makes `run.metrics` a lazy, enumerable property backed by entries [start, start + n). */
  attach(run: Omit<RunSummary, 'metrics'>, start: number, n: number): RunSummary {
    let built: Record<string, MetricSummary> | undefined;
    const materialize = () => (built ??= this.materialize(start, n));
    Object.defineProperty(run, 'metrics', { enumerable: true, configurable: true, get: materialize });
    const summary = run as RunSummary;
    this.spans.set(summary, { start, n });
    return summary;
  }

  private materialize(start: number, n: number): Record<string, MetricSummary> {
    const metrics: Record<string, MetricSummary> = {};
    for (let at = start; at < start + n; at++) {
      const v = at * VALUES_PER_METRIC;
      const x = this.values;
      metrics[this.keys[this.keyColumn[at]!]!] = { last: x[v]!, min: x[v + 1]!, max: x[v + 2]!, lastStep: x[v + 3]!, lastTimestamp: x[v + 4]!, count: x[v + 5]! };
    }
    return metrics;
  }

  /** Appends a snapshot-backed run's raw entries to the output columns; false if not backed. */
  copyInto(run: RunSummary, keyIdOf: (key: string) => number, keysOut: number[], valuesOut: number[]): boolean {
    const span = this.spans.get(run);
    if (!span) return false;
    for (let at = span.start; at < span.start + span.n; at++) {
      keysOut.push(keyIdOf(this.keys[this.keyColumn[at]!]!));
      for (let j = 0; j < VALUES_PER_METRIC; j++) valuesOut.push(this.values[at * VALUES_PER_METRIC + j]!);
    }
    return true;
  }

  /** A `FieldReader` that answers metric fields from the columns when `run` is snapshot-backed. */
  readField: FieldReader = (run, field) => {
    const span = field.kind === 'metric' ? this.spans.get(run) : undefined;
    if (!span || field.kind !== 'metric') return fieldValue(run, field);
    const id = this.keyIds.get(field.key);
    if (id === undefined) return undefined;
    const offset = field.agg === 'min' ? 1 : field.agg === 'max' ? 2 : 0;
    for (let at = span.start; at < span.start + span.n; at++) {
      if (this.keyColumn[at] === id) return this.values[at * VALUES_PER_METRIC + offset];
    }
    return undefined;
  };
}

function view<T extends Uint32Array | Float64Array>(make: (buffer: ArrayBufferLike, offset: number, length: number) => T, bytes: Buffer, offset: number, length: number, width: number): T {
  const at = bytes.byteOffset + offset;
  // readFile's Buffer may start at any byte of a pooled ArrayBuffer: copy only when misaligned.
  if (at % width === 0) return make(bytes.buffer, at, length);
  return make(bytes.buffer.slice(at, at + length * width), 0, length);
}

/** Decodes a snapshot; throws on a foreign or truncated file (the caller then re-reads runs). */
export function decodeSnapshot(bytes: Buffer): { runs: Map<string, RunSummary>; columns: MetricColumns } {
  if (bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error('index.bin: not a Vajra run index');
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const header = JSON.parse(bytes.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headerLength)) as { runs: (SummaryMeta & { n: number })[]; keys: string[] };
  const total = header.runs.reduce((sum, r) => sum + r.n, 0);
  const headerEnd = align8(MAGIC.length + 4 + headerLength);
  const keysEnd = align8(headerEnd + total * 4);
  if (bytes.length < keysEnd + total * VALUES_PER_METRIC * 8) throw new Error('index.bin: truncated');
  const keyColumn = view((b, o, l) => new Uint32Array(b, o, l), bytes, headerEnd, total, 4);
  const values = view((b, o, l) => new Float64Array(b, o, l), bytes, keysEnd, total * VALUES_PER_METRIC, 8);
  const columns = new MetricColumns(header.keys, new Map(header.keys.map((k, i) => [k, i])), keyColumn, values);
  const runs = new Map<string, RunSummary>();
  let at = 0;
  for (const { n, ...meta } of header.runs) {
    runs.set(meta.id, columns.attach(meta, at, n));
    at += n;
  }
  return { runs, columns };
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
  let columns: MetricColumns | undefined;
  if (snapshot) {
    try {
      ({ runs, columns } = decodeSnapshot(snapshot));
    } catch {
      // A damaged snapshot is only a cache: the store re-reads every run folder missing here.
      runs = new Map();
    }
  }
  const dirty = new Set<string>();
  const journal = await readOptional(join(root, 'index.ndjson'));
  const journalLines = journal ? replayJournal(journal.toString('utf8'), runs, dirty) : 0;
  return { runs, readField: columns?.readField ?? fieldValue, columns, dirty, journalLines };
}

/** Writes a fresh snapshot, then empties the journal (its entries are now in the snapshot). */
export async function compactIndex(root: string, runs: Iterable<RunSummary>, columns?: MetricColumns): Promise<void> {
  await writeFileAtomic(join(root, 'index.bin'), encodeSnapshot(runs, columns));
  await writeFileAtomic(join(root, 'index.ndjson'), '');
}
