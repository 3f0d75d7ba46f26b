import { open } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import {
  BIGINT, BOOLEAN, DATE, DOUBLE, DuckDBDataChunk, FLOAT, INTEGER, SMALLINT, TIMESTAMP, TINYINT, UBIGINT, UINTEGER,
  USMALLINT, UTINYINT, VARCHAR, dateValue, timestampValue, type DuckDBType, type DuckDBValue,
} from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { CancelledError } from '../../../app/base/errors';
import type { CancelSignal } from '../../../app/base/signal';
import { quoteIdent } from '../../../app/data/engine';
import type { NativeConnection } from './native-engine';

/** DuckDB's data chunks hold at most this many rows (STANDARD_VECTOR_SIZE). */
const CHUNK_ROWS = 2048;
const MS_PER_DAY = 86_400_000;

interface ColumnCodec {
  type: DuckDBType;
  convert: (value: unknown) => DuckDBValue;
}

/**
 * Copies an Arrow IPC file (file or stream format) into a new table `table` of `connection`, one
 * record batch at a time through DuckDB's appender. DuckDB has no offline Arrow reader, so this is
 * the path. `onBatch(bytesRead)` reports progress where the reader exposes it (stream format).
 * Timestamps keep millisecond precision (apache-arrow reads them as ms).
 */
export async function copyArrowFile(
  connection: NativeConnection,
  path: string,
  table: string,
  signal: CancelSignal | undefined,
  onBatch: (bytesRead: number) => void,
): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const magic = new Uint8Array(6);
    await handle.read(magic, 0, 6, 0);
    const isFile = new TextDecoder().decode(magic) === 'ARROW1';
    let bytesRead = 0;
    const reader = isFile
      ? await arrow.RecordBatchReader.from(handle)
      : await arrow.RecordBatchReader.from(countBytes(createReadStream(path, { highWaterMark: 1 << 20 }), (n) => (bytesRead += n)));
    await reader.open();
    const codecs = reader.schema.fields.map((field) => codecFor(field.type));
    const columns = reader.schema.fields.map((field, i) => `${quoteIdent(field.name)} ${codecs[i]!.type.toString()}`);
    await connection.exec(`CREATE TABLE ${quoteIdent(table)} (${columns.join(', ')})`);
    const appender = await connection.createAppender(table);
    try {
      for await (const batch of reader) {
        if (signal?.aborted) throw new CancelledError('Import cancelled');
        appendBatch(appender, batch, codecs);
        onBatch(bytesRead);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  } finally {
    await handle.close();
  }
}

async function* countBytes(stream: AsyncIterable<unknown>, count: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream) {
    if (chunk instanceof Uint8Array) {
      count(chunk.length);
      yield chunk;
    }
  }
}

function appendBatch(appender: { appendDataChunk(chunk: DuckDBDataChunk): void }, batch: arrow.RecordBatch, codecs: ColumnCodec[]): void {
  const types = codecs.map((c) => c.type);
  for (let start = 0; start < batch.numRows; start += CHUNK_ROWS) {
    const rows = Math.min(CHUNK_ROWS, batch.numRows - start);
    const chunk = DuckDBDataChunk.create(types, rows);
    for (let c = 0; c < codecs.length; c++) {
      const vector = batch.getChildAt(c);
      const { convert } = codecs[c]!;
      const values: DuckDBValue[] = new Array<DuckDBValue>(rows);
      for (let r = 0; r < rows; r++) {
        const value: unknown = vector?.get(start + r);
        values[r] = value === null || value === undefined ? null : convert(value);
      }
      chunk.setColumnValues(c, values);
    }
    appender.appendDataChunk(chunk);
  }
}

const same = (value: unknown): DuckDBValue => value as DuckDBValue;
const toBigInt = (value: unknown): DuckDBValue => (typeof value === 'bigint' ? value : BigInt(Number(value)));
const toText = (value: unknown): DuckDBValue => (typeof value === 'string' ? value : JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));

function codecFor(type: arrow.DataType): ColumnCodec {
  if (arrow.DataType.isBool(type)) return { type: BOOLEAN, convert: same };
  if (arrow.DataType.isInt(type)) return intCodec(type);
  if (arrow.DataType.isFloat(type)) return { type: type.precision === arrow.Precision.DOUBLE ? DOUBLE : FLOAT, convert: (v) => Number(v) };
  if (arrow.DataType.isDecimal(type)) return { type: DOUBLE, convert: (v) => Number(v) };
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type) || arrow.DataType.isDictionary(type)) return { type: VARCHAR, convert: (v) => String(v) };
  if (arrow.DataType.isDate(type)) return { type: DATE, convert: (v) => dateValue(Math.floor(Number(v) / MS_PER_DAY)) };
  if (arrow.DataType.isTimestamp(type)) return { type: TIMESTAMP, convert: (v) => timestampValue(BigInt(Math.round(Number(v) * 1000))) };
  return { type: VARCHAR, convert: toText };
}

function intCodec(type: arrow.Int): ColumnCodec {
  const signed = [TINYINT, SMALLINT, INTEGER, BIGINT] as const;
  const unsigned = [UTINYINT, USMALLINT, UINTEGER, UBIGINT] as const;
  const index = Math.log2(type.bitWidth / 8);
  const duck = (type.isSigned ? signed : unsigned)[index] ?? BIGINT;
  return { type: duck, convert: type.bitWidth === 64 ? toBigInt : same };
}
