import type { Table } from 'apache-arrow';
import type { CancelSignal } from '../base/signal';

/** Options of one engine call. Cancelling the signal interrupts the running query. */
export interface QueryOptions {
  signal?: CancelSignal;
}

/**
 * The one SQL engine interface (ARCHITECTURE.md): SQL in, Arrow out, cancellable. Implemented by
 * native DuckDB in the backend (`main/backend/data/native-engine.ts`) and by duckdb-wasm where no
 * backend exists. Both speak DuckDB's dialect and must give the same results.
 */
export interface Engine {
  /** Runs one statement and returns its whole result as an Arrow table. */
  query(sql: string, options?: QueryOptions): Promise<Table>;
  /** Runs one or more statements whose results are not needed (DDL, INSERT, SET …). */
  exec(sql: string, options?: QueryOptions): Promise<void>;
  /** Releases the connection; further calls fail. */
  close(): Promise<void>;
}

/** Quotes an identifier for DuckDB SQL (`"a ""b"""`). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal for DuckDB SQL (`'it''s'`). */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
