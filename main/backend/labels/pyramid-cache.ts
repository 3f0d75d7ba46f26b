import { stat } from 'node:fs/promises';
import type { Engine } from '../../../app/data/engine';
import { quoteIdent } from '../../../app/data/engine';
import { SeriesPyramid } from './series-pyramid';
import type { ResolvedSeries } from './series-sql';

/**
 * What identifies the rows behind a series: for a file, its size and mtime (no scan); for a
 * table, the row count and a wrapping sum of row hashes over the time and value columns (one
 * scan; integer arithmetic, so the same rows always give the same text whatever the thread
 * order), which any insert, delete or value update changes (short of a hash collision).
 */
export async function seriesFingerprint(engine: Engine, series: ResolvedSeries, file?: string): Promise<string> {
  if (file !== undefined) {
    const s = await stat(file);
    return `file:${s.size}:${s.mtimeMs}`;
  }
  const columns = [series.timeColumn, ...series.valueColumns].map(quoteIdent).join(', ');
  const row = (await engine.query(`SELECT count(*)::VARCHAR AS n, sum(hash(${columns})::HUGEINT)::VARCHAR AS h FROM ${series.relation}`)).get(0)?.toJSON() ?? {};
  return `table:${String(row['n'])}:${String(row['h'])}`;
}

interface Entry {
  pyramid: Promise<SeriesPyramid>;
  fingerprint: Promise<string>;
  checkedAt: number;
  checking?: Promise<void>;
}

/** Options of a PyramidCache; injectable for tests. */
export interface PyramidCacheOptions {
  /** A fingerprint is rechecked at most this often per series (ms). Default 1000 for files (a stat), 5000 for tables (a scan). */
  readonly recheckMs?: number;
  readonly now?: () => number;
  /** Level limits passed to SeriesPyramid.build (tests build small pyramids). */
  readonly limits?: { minRows?: number; minBuckets?: number };
  /** Runs a fingerprint query of a table on its own connection, so it never delays a window. Default: the cache's engine. */
  readonly scan?: <T>(work: (engine: Engine) => Promise<T>) => Promise<T>;
}

/**
 * Pyramids of series on one connection, keyed by the caller's key, rebuilt when the rows change.
 * A request at most `recheckMs` after the last check reuses the pyramid. A later one checks the
 * fingerprint: a file's (a stat) before answering, so the answer is fresh; a table's (a scan) in
 * the background, so no redraw waits for it — the rebuilt pyramid serves the next request. A
 * rebuild uses fresh table names and drops the old levels once the new ones exist.
 */
export class PyramidCache {
  private readonly entries = new Map<string, Entry>();
  private built = 0;

  constructor(private readonly engine: Engine, private readonly options: PyramidCacheOptions = {}) {}

  /** The pyramid of `series` (`file`: the absolute path when it is read from a file). */
  async get(key: string, series: ResolvedSeries, file?: string): Promise<SeriesPyramid> {
    const now = (this.options.now ?? Date.now)();
    const entry = this.entries.get(key);
    if (!entry) return this.build(key, series, file, now).pyramid;
    if (now - entry.checkedAt >= (this.options.recheckMs ?? (file !== undefined ? 1000 : 5000)) && !entry.checking) {
      entry.checkedAt = now;
      entry.checking = this.recheck(key, entry, series, file).finally(() => {
        entry.checking = undefined;
      });
      if (file !== undefined) await entry.checking;
    }
    return (this.entries.get(key) ?? entry).pyramid;
  }

  /** Resolves when no fingerprint check is running (tests; shutdown). */
  async settled(): Promise<void> {
    for (const entry of this.entries.values()) await entry.checking?.catch(() => undefined);
    for (const entry of this.entries.values()) await entry.pyramid.catch(() => undefined);
  }

  /** Times a pyramid was built (first builds and rebuilds). */
  get builds(): number {
    return this.built;
  }

  private fingerprint(series: ResolvedSeries, file?: string): Promise<string> {
    if (file !== undefined || !this.options.scan) return seriesFingerprint(this.engine, series, file);
    return this.options.scan((engine) => seriesFingerprint(engine, series));
  }

  private async recheck(key: string, entry: Entry, series: ResolvedSeries, file?: string): Promise<void> {
    const [before, current] = await Promise.all([entry.fingerprint.catch(() => ''), this.fingerprint(series, file)]);
    if (this.entries.get(key) !== entry || before === current) return;
    const next = this.build(key, series, file, (this.options.now ?? Date.now)(), current);
    await next.pyramid.catch(() => undefined);
    await entry.pyramid.then((old) => old.drop(this.engine), () => undefined);
  }

  private build(key: string, series: ResolvedSeries, file: string | undefined, now: number, known?: string): Entry {
    // Fingerprint and build run side by side (the first open should not pay two scans in a row).
    const fingerprint = known !== undefined ? Promise.resolve(known) : this.fingerprint(series, file);
    const pyramid = SeriesPyramid.build(this.engine, series, `p${this.built++}`, this.options.limits);
    const entry: Entry = { pyramid, fingerprint, checkedAt: now };
    pyramid.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    this.entries.set(key, entry);
    return entry;
  }
}
