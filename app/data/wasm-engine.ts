import type { Table } from 'apache-arrow';
import { CancelledError, VajraError } from '../base/errors';
import type { Engine, QueryOptions } from './engine';
import { decodeIpc } from './ipc';

/**
 * The part of duckdb-wasm's bindings the engine uses, for one connection id. Both the blocking
 * bindings (`duckdb-node-blocking`, sync) and `AsyncDuckDB` (worker, promises) satisfy it, so app/
 * needs no import of duckdb-wasm. Results travel as Arrow IPC bytes, which keeps duckdb-wasm's own
 * apache-arrow copy out of our tables.
 */
export interface WasmBindings {
  startPendingQuery(conn: number, text: string, allowStreamResult: boolean): Uint8Array | null | Promise<Uint8Array | null>;
  pollPendingQuery(conn: number): Uint8Array | null | Promise<Uint8Array | null>;
  cancelPendingQuery(conn: number): boolean | Promise<boolean>;
  fetchQueryResults(conn: number): Uint8Array | null | Promise<Uint8Array | null>;
  disconnect(conn: number): void | Promise<void>;
}

/** Options of `createWasmEngine`. */
export interface WasmEngineOptions {
  /**
   * Called between polls of a running query. The blocking build computes inside poll calls, so a
   * macrotask yield here (e.g. `setImmediate`) is what lets a cancel request arrive; the async
   * build yields by itself.
   */
  yieldBetweenPolls?: () => Promise<void>;
}

/** An `Engine` over one duckdb-wasm connection: same contract as the native engine. */
export function createWasmEngine(bindings: WasmBindings, connectionId: number, options: WasmEngineOptions = {}): Engine {
  return new WasmEngine(bindings, connectionId, options.yieldBetweenPolls ?? (() => Promise.resolve()));
}

class WasmEngine implements Engine {
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly bindings: WasmBindings,
    private readonly conn: number,
    private readonly pause: () => Promise<void>,
  ) {}

  query(sql: string, options: QueryOptions = {}): Promise<Table> {
    return this.serial(async () => decodeIpc(await this.run(sql, options)));
  }

  exec(sql: string, options: QueryOptions = {}): Promise<void> {
    return this.serial(async () => void (await this.run(sql, options)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    await this.bindings.disconnect(this.conn);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new VajraError('closed', 'The database connection is closed.'));
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs `sql` to completion and returns its result as IPC stream chunks (header first). */
  private async run(sql: string, { signal }: QueryOptions): Promise<Uint8Array[]> {
    if (signal?.aborted) throw new CancelledError('Query cancelled');
    try {
      let header = await this.bindings.startPendingQuery(this.conn, sql, false);
      while (header === null) {
        await this.pause();
        if (signal?.aborted) {
          await this.bindings.cancelPendingQuery(this.conn);
          throw new CancelledError('Query cancelled');
        }
        header = await this.bindings.pollPendingQuery(this.conn);
      }
      const chunks = [header];
      for (;;) {
        const chunk = await this.bindings.fetchQueryResults(this.conn);
        if (chunk === null || chunk.length === 0) return chunks;
        chunks.push(chunk);
      }
    } catch (error) {
      if (error instanceof VajraError) throw error;
      if (signal?.aborted) throw new CancelledError('Query cancelled');
      throw new VajraError('sql', wasmErrorMessage(error), undefined, 'SqlError');
    }
  }
}

/** duckdb-wasm reports errors as JSON; give them the native engine's `<Type> Error: <message>` form. */
function wasmErrorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (!text.startsWith('{')) return text;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'exception_message' in parsed && typeof parsed.exception_message === 'string') {
      const type = 'exception_type' in parsed && typeof parsed.exception_type === 'string' ? parsed.exception_type : 'SQL';
      return `${type} Error: ${parsed.exception_message}`;
    }
  } catch {
    // Not JSON after all: the raw text is the best message there is.
  }
  return text;
}
