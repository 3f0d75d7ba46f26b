import type { Engine } from '../../../app/data/engine';
import { coarsenLevelSql, levelFromRowsSql, m4FromLevelSql, m4Sql, pickLevel, type M4Level } from '../../../app/labels/downsample';
import type { CancelSignal } from '../../../app/base/signal';
import type { Table } from 'apache-arrow';
import type { ResolvedSeries } from './series-sql';
import { seriesExtent } from './series-sql';

/** Series with at most this many rows are always downsampled from the raw rows. */
export const PYRAMID_MIN_ROWS = 500_000;
/** Rows per bucket of the first level, and the factor between levels. */
const FACTOR = 16;
/** No level coarser than this many buckets is built (a 3-views-wide window at 2× needs ~12k). */
const MIN_BUCKETS = 8192;

/**
 * Pre-aggregated M4 levels of one long series, as temporary tables on one connection (memory
 * only, rebuilt after a restart): level 1 has ~16 rows per bucket, each next level 16× fewer
 * buckets. A window then reads the coarsest level at least twice as fine as its pixel columns,
 * or the raw rows when zoomed in that far (few rows in view, pruned by zone maps).
 */
export class SeriesPyramid {
  private constructor(private readonly series: ResolvedSeries, readonly levels: readonly M4Level[]) {}

  /** Builds the levels (one scan of the rows, then small merges); none for a short series. */
  static async build(engine: Engine, series: ResolvedSeries, name: string, limits: { minRows?: number; minBuckets?: number } = {}): Promise<SeriesPyramid> {
    const extent = await seriesExtent(engine, series);
    const span = extent.to - extent.from;
    const minBuckets = limits.minBuckets ?? MIN_BUCKETS;
    if (extent.rows <= (limits.minRows ?? PYRAMID_MIN_ROWS) || !(span > 0)) return new SeriesPyramid(series, []);
    const levels: M4Level[] = [];
    let buckets = Math.ceil(extent.rows / FACTOR);
    let previous: M4Level | undefined;
    for (let k = 1; buckets >= minBuckets; k++, buckets = Math.ceil(buckets / FACTOR)) {
      const width = span / buckets;
      const table = `"m4_${name}_l${k}"`;
      const select = previous ? coarsenLevelSql(previous.table, series.valueColumns.length, extent.from, width) : levelFromRowsSql(series, extent.from, width);
      await engine.exec(`CREATE OR REPLACE TEMP TABLE ${table} AS ${select}`);
      previous = { table, origin: extent.from, width, buckets };
      levels.push(previous);
    }
    return new SeriesPyramid(series, levels);
  }

  /** Drops the level tables (after a rebuild replaced this pyramid). */
  async drop(engine: Engine): Promise<void> {
    for (const level of this.levels) await engine.exec(`DROP TABLE IF EXISTS ${level.table}`);
  }

  /** The M4 window (columns of `m4Sql`) of [from, to] at `pixels` columns, from the best level or the rows. */
  window(engine: Engine, from: number, to: number, pixels: number, signal?: CancelSignal): Promise<Table> {
    const level = pickLevel(this.levels, from, to, pixels);
    const sql = level ? m4FromLevelSql(level, this.series.valueColumns.length, from, to, pixels) : m4Sql({ ...this.series, from, to, pixels });
    return engine.query(sql, signal ? { signal } : {});
  }
}
