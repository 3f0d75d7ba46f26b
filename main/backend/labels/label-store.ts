import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VajraError, UserInputError } from '../../../app/base/errors';
import { parseSnapshot, recordOp, replay, serializeSnapshot } from '../../../app/labels/log';
import { emptyLabelSet, type LabelSetState } from '../../../app/labels/model';
import type { LabelOp } from '../../../app/labels/ops';
import { LabelSetMeta, type ReviewedRange } from '../../../app/protocol/methods/labels';
import { appendDurable, writeFileAtomic } from '../fs/atomic';
import { readNdjson, readVersions, recordVersion, type SavedVersion } from './versions-file';

const RECENT_OPS = 1000;
const TAIL_LINES = 64;

/**
 * One label set on disk, a folder `labels/<name>/`:
 * - `labelset.json`  meta (classes, target series), written atomically;
 * - `snapshot.json`  the full state at some seq, written atomically;
 * - `ops.ndjson`     every op after the snapshot, one fsynced line each, appended BEFORE the op is
 *                    acknowledged;
 * - `versions.ndjson` saved version ids; `reviewed.ndjson` reviewed stretches of the series.
 * Compaction writes a new snapshot, then empties the log; a kill between the two leaves log lines
 * at or below the snapshot's seq, which replay skips, so no acknowledged op is ever lost.
 */
export class LabelStore {
  private queue: Promise<unknown> = Promise.resolve();
  /** Ops applied since this process opened the set, by seq, to recognise a retried op. */
  private readonly recent = new Map<number, string>();
  private readonly tail: string[] = [];
  private sinceSnapshot = 0;

  private constructor(
    readonly dir: string,
    readonly meta: LabelSetMeta,
    private current: LabelSetState,
    private reviewedRanges: ReviewedRange[],
    private readonly snapshotEvery: number,
  ) {}

  /** Creates the folder and its files; fails when a set of that name exists. */
  static async create(dir: string, meta: LabelSetMeta, options: { snapshotEvery?: number } = {}): Promise<LabelStore> {
    await mkdir(join(dir, '..'), { recursive: true });
    await mkdir(dir).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EEXIST' ? new UserInputError(`A label set named "${meta.name}" already exists.`) : error;
    });
    const state = emptyLabelSet(meta.id, meta.name, { target: 'timeseries', classes: meta.classes.map((c) => c.name) });
    await writeFileAtomic(join(dir, 'snapshot.json'), serializeSnapshot(state));
    await writeFileAtomic(join(dir, 'labelset.json'), `${JSON.stringify(meta, null, 2)}\n`);
    return new LabelStore(dir, meta, state, [], options.snapshotEvery ?? 200);
  }

  /** Opens a set: snapshot + replay of the log. A torn last line (kill mid-append) is dropped from the file. */
  static async open(dir: string, options: { snapshotEvery?: number } = {}): Promise<LabelStore> {
    const metaText = await readFile(join(dir, 'labelset.json'), 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? new UserInputError(`No label set at ${dir}.`) : error;
    });
    const meta = LabelSetMeta.parse(JSON.parse(metaText));
    const snapText = await readFile(join(dir, 'snapshot.json'), 'utf8').catch(() => undefined);
    const base = snapText === undefined ? emptyLabelSet(meta.id, meta.name, { target: 'timeseries', classes: meta.classes.map((c) => c.name) }) : parseSnapshot(snapText);
    const logPath = join(dir, 'ops.ndjson');
    const logText = await readFile(logPath, 'utf8').catch(() => '');
    const { state, report } = replay(base, logText);
    // The next append must start on a fresh line: drop a torn tail, or end a complete last line.
    const clean = report.tornTail !== undefined ? logText.slice(0, logText.length - report.tornTail.length) : logText;
    if (clean !== logText || (clean !== '' && !clean.endsWith('\n'))) await writeFileAtomic(logPath, clean === '' || clean.endsWith('\n') ? clean : `${clean}\n`);
    const reviewed = await readNdjson(join(dir, 'reviewed.ndjson'));
    const store = new LabelStore(dir, meta, state, reviewed.filter(isReviewedRange), options.snapshotEvery ?? 200);
    store.sinceSnapshot = report.applied;
    for (const line of clean.split('\n')) store.remember(line);
    return store;
  }

  get state(): LabelSetState {
    return this.current;
  }

  get reviewed(): readonly ReviewedRange[] {
    return this.reviewedRanges;
  }

  /**
   * Applies `op` and resolves once its log line is fsynced. With `baseSeq` (the seq the client
   * saw before the op), a retry of an op already applied returns its seq with `duplicate: true`;
   * any other mismatch is a conflict error.
   */
  apply(op: LabelOp, baseSeq?: number): Promise<{ seq: number; duplicate: boolean }> {
    return this.serial(async () => {
      const key = JSON.stringify(op);
      if (baseSeq !== undefined && baseSeq !== this.current.seq) {
        if (baseSeq < this.current.seq && this.recent.get(baseSeq + 1) === key) return { seq: baseSeq + 1, duplicate: true };
        throw new VajraError('conflict', `The label set changed elsewhere (at ${this.current.seq}, the edit was made at ${baseSeq}). Reopen it.`, { seq: this.current.seq }, 'ConflictError');
      }
      const { state, line } = recordOp(this.current, op);
      await appendDurable(join(this.dir, 'ops.ndjson'), line);
      this.current = state;
      this.remember(line.slice(0, -1));
      if (++this.sinceSnapshot >= this.snapshotEvery) await this.compactNow();
      return { seq: state.seq, duplicate: false };
    });
  }

  /** Writes a snapshot of the current state, then empties the log (see the class comment). */
  compact(): Promise<void> {
    return this.serial(() => this.compactNow());
  }

  /** Records the current version id in versions.ndjson (fsynced) and returns it. */
  saveVersion(note?: string): Promise<{ version: string; seq: number }> {
    return this.serial(() => recordVersion(this.dir, this.current, note));
  }

  /** Saved versions, oldest first. */
  versions(): Promise<SavedVersion[]> {
    return readVersions(this.dir);
  }

  /** Marks a stretch of the series reviewed (fsynced append). */
  markReviewed(range: ReviewedRange): Promise<void> {
    return this.serial(async () => {
      await appendDurable(join(this.dir, 'reviewed.ndjson'), `${JSON.stringify(range)}\n`);
      this.reviewedRanges = [...this.reviewedRanges, range];
    });
  }

  /** Waits for pending writes; the store needs no other cleanup. */
  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  private async compactNow(): Promise<void> {
    await writeFileAtomic(join(this.dir, 'snapshot.json'), serializeSnapshot(this.current));
    // The last lines stay (replay skips them: seq ≤ snapshot) so a reopened set still recognises
    // a client's retry of an op acknowledged just before the compaction.
    await writeFileAtomic(join(this.dir, 'ops.ndjson'), this.tail.join(''));
    this.sinceSnapshot = 0;
  }

  /** Keeps one complete log line (without newline) for retry recognition and compaction. */
  private remember(line: string): void {
    if (line.trim() === '') return;
    try {
      const entry: unknown = JSON.parse(line);
      if (typeof entry !== 'object' || entry === null || !('seq' in entry) || !('op' in entry) || typeof entry.seq !== 'number') return;
      this.recent.set(entry.seq, JSON.stringify(entry.op));
      this.recent.delete(entry.seq - RECENT_OPS);
      this.tail.push(`${line}\n`);
      if (this.tail.length > TAIL_LINES) this.tail.shift();
    } catch {
      // Not a log line: nothing to remember.
    }
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function isReviewedRange(v: unknown): v is ReviewedRange {
  return typeof v === 'object' && v !== null && 'series' in v && 'start' in v && 'end' in v && typeof v.start === 'number' && typeof v.end === 'number';
}
