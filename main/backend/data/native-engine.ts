import { DuckDBInstance, DuckDBTypeId, type DuckDBAppender, type DuckDBConnection, type DuckDBResult, type DuckDBType, type DuckDBVector } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { CancelledError, VajraError } from '../../../app/base/errors';
import type { Engine, QueryOptions } from '../../../app/data/engine';

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

interface ColumnPlan {
  field: arrow.Field;
  builder: arrow.Builder;
  read: (vector: DuckDBVector, row: number) => unknown;
}

async function resultToArrow(result: DuckDBResult, options: QueryOptions): Promise<arrow.Table> {
  const names = result.columnNames();
  const types = result.columnTypes();
  const plans = names.map((name, i) => planColumn(name, types[i]!));
  for (;;) {
    if (options.signal?.aborted) throw new CancelledError('Query cancelled');
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const rows = chunk.rowCount;
    for (let c = 0; c < plans.length; c++) {
      const plan = plans[c]!;
      const vector = chunk.getColumnVector(c);
      for (let r = 0; r < rows; r++) plan.builder.append(plan.read(vector, r));
    }
  }
  const schema = new arrow.Schema(plans.map((p) => p.field));
  const children = plans.map((p) => p.builder.finish().flush());
  const length = children[0]?.length ?? 0;
  const data = arrow.makeData({ type: new arrow.Struct(schema.fields), length, nullCount: 0, children });
  return new arrow.Table(schema, [new arrow.RecordBatch(schema, data)]);
}

function planColumn(name: string, type: DuckDBType): ColumnPlan {
  const [arrowType, read] = mapType(type);
  return {
    field: new arrow.Field(name, arrowType, true, new Map([['duckdb_type', type.toString()]])),
    builder: arrow.makeBuilder({ type: arrowType, nullValues: [null, undefined] }),
    read,
  };
}

type Reader = (vector: DuckDBVector, row: number) => unknown;

const direct: Reader = (v, r) => v.getItem(r);
const asString: Reader = (v, r) => {
  const item = v.getItem(r);
  return item === null ? null : String(item);
};
const asNumber: Reader = (v, r) => {
  const item = v.getItem(r);
  return item === null ? null : Number(item);
};

function mapType(type: DuckDBType): [arrow.DataType, Reader] {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN: return [new arrow.Bool(), direct];
    case DuckDBTypeId.TINYINT: return [new arrow.Int8(), direct];
    case DuckDBTypeId.SMALLINT: return [new arrow.Int16(), direct];
    case DuckDBTypeId.INTEGER: return [new arrow.Int32(), direct];
    case DuckDBTypeId.BIGINT: return [new arrow.Int64(), direct];
    case DuckDBTypeId.UTINYINT: return [new arrow.Uint8(), direct];
    case DuckDBTypeId.USMALLINT: return [new arrow.Uint16(), direct];
    case DuckDBTypeId.UINTEGER: return [new arrow.Uint32(), direct];
    case DuckDBTypeId.UBIGINT: return [new arrow.Uint64(), direct];
    case DuckDBTypeId.FLOAT: return [new arrow.Float32(), direct];
    case DuckDBTypeId.DOUBLE: return [new arrow.Float64(), direct];
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.DECIMAL: return [new arrow.Float64(), asNumber];
    case DuckDBTypeId.VARCHAR: return [new arrow.Utf8(), direct];
    case DuckDBTypeId.DATE:
      return [new arrow.DateDay(), (v, r) => {
        const item = v.getItem(r) as { days: number } | null;
        return item === null ? null : item.days * 86_400_000;
      }];
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return [new arrow.TimestampMillisecond(type.typeId === DuckDBTypeId.TIMESTAMP_TZ ? 'UTC' : null), (v, r) => {
        const item = v.getItem(r) as { micros: bigint } | null;
        return item === null ? null : Number(item.micros / 1000n);
      }];
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return [new arrow.Utf8(), asString];
    default:
      return [new arrow.Utf8(), asString];
  }
}

/** Serialises an Arrow table as one Arrow IPC stream (what crosses to the renderer). */
export function tableToIpc(table: arrow.Table): Uint8Array {
  return arrow.tableToIPC(table, 'stream');
}
