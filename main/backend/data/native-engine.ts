import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection, type DuckDBResult } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { CancelledError, VajraError } from '../../../app/base/errors';
import type { Engine, QueryOptions } from '../../../app/data/engine';
import { collectorFor } from './duckdb-to-arrow';

/**
 * The workspace's native DuckDB (`@duckdb/node-api`): multi-threaded, Parquet and JSON built in,
 * out-of-core. `path` is a database file, or ':memory:'.
 */
export class NativeDatabase {
  private constructor(private readonly instance: DuckDBInstance) {}

  static async open(path = ':memory:', options: Record<string, string> = {}): Promise<NativeDatabase> {
    const instance = await DuckDBInstance.create(path, { threads: '2', ...options });
    return new NativeDatabase(instance);
  }

  /** A new connection behind the Engine interface. Queries on one connection run one at a time. */
  async connect(): Promise<Engine> {
    return new NativeConnection(await this.instance.connect());
  }

  /** A new connection with the native extras (query progress, appender) that importers need. */
  async connectNative(): Promise<NativeConnection> {
    return new NativeConnection(await this.instance.connect());
  }

  close(): void {
    this.instance.closeSync();
  }
}

/** An Engine on one native connection, plus progress of its running query and an appender. */
export class NativeConnection implements Engine {
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly connection: DuckDBConnection) {}

  query(sql: string, options: QueryOptions = {}): Promise<arrow.Table> {
    return this.serial(() => this.withCancel(options, async () => resultToArrow(await this.connection.run(sql), options)));
  }

  exec(sql: string, options: QueryOptions = {}): Promise<void> {
    return this.serial(() => this.withCancel(options, async () => void (await this.connection.run(sql))));
  }

  /**
   * Progress of the running query in percent (DuckDB's estimate; for file scans the share of bytes
   * read), or -1 when unknown. Needs `SET enable_progress_bar=true` on this connection.
   */
  progressPercent(): number {
    return this.connection.progress.percentage;
  }

  /** An appender into `table` (fast bulk insert of data chunks); close it when done. */
  createAppender(table: string): Promise<DuckDBAppender> {
    return this.connection.createAppender(table);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    this.connection.closeSync();
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new VajraError('closed', 'The database connection is closed.'));
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async withCancel<T>(options: QueryOptions, work: () => Promise<T>): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) throw new CancelledError('Query cancelled');
    const onAbort = () => this.connection.interrupt();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await work();
    } catch (error) {
      if (signal?.aborted) throw new CancelledError('Query cancelled');
      throw sqlError(error);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

function sqlError(error: unknown): VajraError {
  if (error instanceof VajraError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new VajraError('sql', message, undefined, 'SqlError');
}

async function resultToArrow(result: DuckDBResult, options: QueryOptions): Promise<arrow.Table> {
  const names = result.columnNames();
  const types = result.columnTypes();
  const columns = names.map((name, i) => collectorFor(name, types[i]!));
  for (;;) {
    if (options.signal?.aborted) throw new CancelledError('Query cancelled');
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (let c = 0; c < columns.length; c++) columns[c]!.add(chunk.getColumnVector(c), chunk.rowCount);
  }
  const schema = new arrow.Schema(columns.map((c) => c.field));
  const children = columns.map((c) => c.finish());
  const length = children[0]?.length ?? 0;
  const data = arrow.makeData({ type: new arrow.Struct(schema.fields), length, nullCount: 0, children });
  return new arrow.Table(schema, [new arrow.RecordBatch(schema, data)]);
}

/** Serialises an Arrow table as one Arrow IPC stream (what crosses to the renderer). */
export function tableToIpc(table: arrow.Table): Uint8Array {
  return arrow.tableToIPC(table, 'stream');
}
