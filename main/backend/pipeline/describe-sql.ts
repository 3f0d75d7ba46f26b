import { UserInputError } from '../../../app/base/errors';
import type { CancelSignal } from '../../../app/base/signal';
import type { Engine } from '../../../app/data/engine';
import { columnTableFromArrow } from '../../../app/pipeline/run/columns';

/** A column of a query's result as column pickers show it (typed as the pipeline runner reads it). */
export interface SqlColumn {
  name: string;
  type: 'number' | 'string';
}

/** Describes a Source node's SQL: its result columns, without reading any row. `forget()` empties the cache. */
export type SqlDescriber = ((engine: Engine, sql: string, signal?: CancelSignal) => Promise<SqlColumn[]>) & { forget(): void };

/** DuckDB's message up to its first blank line (the LINE/caret context that follows is for a terminal). */
function duckMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split(/\n\s*\n/)[0] ?? text).replace(/\s+/g, ' ').trim().slice(0, 400);
}

/**
 * A describer with a cache per SQL text (at most `limit` queries, oldest first out). It runs the
 * query exactly as a Source node reads it, wrapped in `SELECT * … LIMIT 0`, so the column names and
 * types are the ones a run would see, and statements that are not queries fail. Invalid SQL gives
 * a UserInputError with DuckDB's message; failures are not cached (the tables may appear later).
 */
export function createSqlDescriber(limit = 64): SqlDescriber {
  const cache = new Map<string, SqlColumn[]>();
  const describe = async (engine: Engine, sql: string, signal?: CancelSignal): Promise<SqlColumn[]> => {
    const key = sql.trim().replace(/;+$/, '');
    if (key === '') throw new UserInputError('Write a query.');
    const hit = cache.get(key);
    if (hit) return hit;
    let columns: SqlColumn[];
    try {
      const arrow = await engine.query(`SELECT * FROM (${key}) AS source LIMIT 0`, signal ? { signal } : {});
      columns = columnTableFromArrow(arrow).columns.map((c) => ({ name: c.name, type: c.type }));
    } catch (error) {
      if (error instanceof Error && error.name === 'CancelledError') throw error;
      throw new UserInputError(`DuckDB cannot run this query: ${duckMessage(error)}`);
    }
    cache.set(key, columns);
    while (cache.size > limit) cache.delete(cache.keys().next().value!);
    return columns;
  };
  return Object.assign(describe, { forget: () => cache.clear() });
}
