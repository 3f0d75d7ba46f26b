import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserInputError } from '../../../app/base/errors';
import { labelSetVersion, parseSnapshot, recordOps, replay, serializeSnapshot } from '../../../app/labels/log';
import { emptyLabelSet, type LabelSetState } from '../../../app/labels/model';
import type { LabelOp } from '../../../app/labels/ops';
import { TextSetMeta } from '../../../app/protocol/methods/text-labels';
import { appendDurable, writeFileAtomic } from '../fs/atomic';
import { readVersions, recordVersion, type SavedVersion } from '../labels/versions-file';

/** The file holding a text set's meta; its presence tells a text set from a time-series one. */
export const TEXT_META_FILE = 'textset.json';

function schemaOf(meta: TextSetMeta) {
  return {
    target: 'text' as const,
    classes: meta.classes.map((c) => c.name),
    docMode: meta.docMode,
    spanClasses: meta.spanClasses.map((c) => c.name),
    tokenSnap: meta.tokenSnap,
  };
}

/**
 * A text label set on disk, `labels/<name>/`, in the same durable format as the time-series
 * label store (main/backend/labels/label-store.ts): `snapshot.json` (atomic) + `ops.ndjson`
 * (one fsynced line per op, appended before the op is acknowledged), replayed by
 * app/labels/log.ts, so a kill -9 loses no acknowledged label; saved versions go to
 * `versions.ndjson` (main/backend/labels/versions-file.ts, shared with that store). Only the meta file differs
 * (`textset.json`: the table, its text column and the classes), which the time-series store's
 * schema cannot describe.
 */
export class TextLabelStore {
  private queue: Promise<unknown> = Promise.resolve();
  private sinceSnapshot = 0;

  private constructor(readonly dir: string, private currentMeta: TextSetMeta, private current: LabelSetState, private readonly snapshotEvery: number) {}

  /** Creates the folder; fails when a set of that name exists. */
  static async create(dir: string, meta: TextSetMeta, options: { snapshotEvery?: number } = {}): Promise<TextLabelStore> {
    await mkdir(join(dir, '..'), { recursive: true });
    await mkdir(dir).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EEXIST' ? new UserInputError(`A label set named "${meta.name}" already exists.`) : error;
    });
    const state = emptyLabelSet(meta.id, meta.name, schemaOf(meta));
    await writeFileAtomic(join(dir, 'snapshot.json'), serializeSnapshot(state));
    await writeFileAtomic(join(dir, TEXT_META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
    return new TextLabelStore(dir, meta, state, options.snapshotEvery ?? 200);
  }

  /** Opens a set: snapshot + replay of the log; a torn last line (kill mid-append) is cut off the file. */
  static async open(dir: string, options: { snapshotEvery?: number } = {}): Promise<TextLabelStore> {
    const metaText = await readFile(join(dir, TEXT_META_FILE), 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? new UserInputError(`No text label set at ${dir}.`) : error;
    });
    const meta = TextSetMeta.parse(JSON.parse(metaText));
    const snapText = await readFile(join(dir, 'snapshot.json'), 'utf8').catch(() => undefined);
    const base = snapText === undefined ? emptyLabelSet(meta.id, meta.name, schemaOf(meta)) : parseSnapshot(snapText);
    const logPath = join(dir, 'ops.ndjson');
    const logText = await readFile(logPath, 'utf8').catch(() => '');
    const { state, report } = replay(base, logText);
    const clean = report.tornTail !== undefined ? logText.slice(0, logText.length - report.tornTail.length) : logText;
    if (clean !== logText || (clean !== '' && !clean.endsWith('\n'))) await writeFileAtomic(logPath, clean === '' || clean.endsWith('\n') ? clean : `${clean}\n`);
    const store = new TextLabelStore(dir, meta, state, options.snapshotEvery ?? 200);
    store.sinceSnapshot = report.applied;
    return store;
  }

  get state(): LabelSetState {
    return this.current;
  }

  get meta(): TextSetMeta {
    return this.currentMeta;
  }

  /** Replaces the meta (classes, scheme …; never the id or name) with an atomic rewrite of its file. */
  updateMeta(meta: TextSetMeta): Promise<void> {
    return this.serial(async () => {
      if (meta.id !== this.currentMeta.id || meta.name !== this.currentMeta.name) throw new UserInputError('The id and name of a label set do not change.');
      const checked = TextSetMeta.parse(meta);
      await writeFileAtomic(join(this.dir, TEXT_META_FILE), `${JSON.stringify(checked, null, 2)}\n`);
      this.currentMeta = checked;
    });
  }

  /**
   * Applies `ops` in order and appends their log lines in one fsynced write; resolves with the new
   * seq once they are durable. An op that does not fit the state throws before anything is
   * written, so a batch applies whole or not at all (a kill mid-write may keep a prefix of it,
   * none of which was acknowledged). With `baseSeq`, refuses (conflict) when the set moved on
   * since the client's view.
   */
  apply(ops: readonly LabelOp[], baseSeq?: number): Promise<number> {
    return this.serial(async () => {
      if (baseSeq !== undefined && baseSeq !== this.current.seq) throw new UserInputError(`The label set changed elsewhere (at ${this.current.seq}, the edit was made at ${baseSeq}). Reopen it.`);
      const { state, lines } = recordOps(this.current, ops);
      if (lines !== '') await appendDurable(join(this.dir, 'ops.ndjson'), lines);
      this.current = state;
      this.sinceSnapshot += ops.length;
      if (this.sinceSnapshot >= this.snapshotEvery) await this.compactNow();
      return this.current.seq;
    });
  }

  /** The content id of the current labels (labelSetVersion: the same for the same content, whatever the history). */
  get version(): string {
    return labelSetVersion(this.current);
  }

  /** Records the current content id in versions.ndjson (fsynced, after any pending edit) and returns it. */
  saveVersion(note?: string): Promise<{ version: string; seq: number }> {
    return this.serial(() => recordVersion(this.dir, this.current, note));
  }

  /** Saved versions, oldest first. */
  versions(): Promise<SavedVersion[]> {
    return readVersions(this.dir);
  }

  /** Waits for pending writes. */
  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  private async compactNow(): Promise<void> {
    await writeFileAtomic(join(this.dir, 'snapshot.json'), serializeSnapshot(this.current));
    // A kill between the two writes leaves lines ≤ the snapshot's seq, which replay skips.
    await writeFileAtomic(join(this.dir, 'ops.ndjson'), '');
    this.sinceSnapshot = 0;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
