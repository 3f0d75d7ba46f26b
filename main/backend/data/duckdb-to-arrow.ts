import { DuckDBTypeId, type DuckDBType, type DuckDBVector } from '@duckdb/node-api';
import duckdbBindings from '@duckdb/node-bindings';
import * as arrow from 'apache-arrow';

type TypedArray = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;
type TypedArrayConstructor = { new (length: number): TypedArray; BYTES_PER_ELEMENT: number };

/** node-api's vectors keep their data in typed arrays it does not expose; read them directly. */
interface VectorInternals {
  items?: unknown;
  dataView?: DataView;
  validity?: { data: BigUint64Array | null; offset: number };
}

function internals(vector: DuckDBVector): VectorInternals {
  return vector as unknown as VectorInternals;
}

/** The validity bits of a vector as bytes (Arrow's LSB bit order), or null when all are valid. */
function validityBytes(vector: DuckDBVector): { bytes: Uint8Array; offset: number } | null {
  const validity = internals(vector).validity;
  if (!validity?.data) return null;
  return { bytes: new Uint8Array(validity.data.buffer, validity.data.byteOffset, validity.data.byteLength), offset: validity.offset };
}

function isValid(v: { bytes: Uint8Array; offset: number } | null, row: number): boolean {
  if (!v) return true;
  const bit = v.offset + row;
  return ((v.bytes[bit >> 3]! >> (bit & 7)) & 1) === 1;
}

/** Accumulates one result column chunk by chunk and builds its Arrow vector at the end. */
export interface ColumnCollector {
  readonly field: arrow.Field;
  add(vector: DuckDBVector, rows: number): void;
  finish(): arrow.Data;
}

/** A fixed-width numeric column: chunk values are copied as typed arrays, nulls as bits. */
class FixedWidthCollector implements ColumnCollector {
  private parts: TypedArray[] = [];
  private validity: Uint8Array[] = [];
  private nulls = 0;
  private length = 0;

  constructor(readonly field: arrow.Field, private readonly ctor: TypedArrayConstructor, private readonly fallback: (v: DuckDBVector, r: number) => unknown) {}

  add(vector: DuckDBVector, rows: number): void {
    const items = internals(vector).items;
    const values = new this.ctor(rows);
    if (items instanceof this.ctor && items.length >= rows) values.set(items.subarray(0, rows) as never);
    else for (let r = 0; r < rows; r++) (values as unknown as unknown[])[r] = this.fallback(vector, r) ?? (values instanceof BigInt64Array || values instanceof BigUint64Array ? 0n : 0);
    const valid = validityBytes(vector);
    const bits = new Uint8Array(Math.ceil(rows / 8)).fill(0xff);
    if (valid) {
      bits.fill(0);
      for (let r = 0; r < rows; r++) {
        if (isValid(valid, r)) bits[r >> 3]! |= 1 << (r & 7);
        else this.nulls++;
      }
    }
    this.parts.push(values);
    this.validity.push(bits);
    this.length += rows;
  }

  finish(): arrow.Data {
    const values = new this.ctor(this.length);
    const bitmap = new Uint8Array(Math.ceil(this.length / 8));
    let offset = 0;
    this.parts.forEach((part, i) => {
      values.set(part as never, offset);
      const bits = this.validity[i]!;
      for (let r = 0; r < part.length; r++) if ((bits[r >> 3]! >> (r & 7)) & 1) bitmap[(offset + r) >> 3]! |= 1 << ((offset + r) & 7);
      offset += part.length;
    });
    return arrow.makeData({ type: this.field.type, length: this.length, nullCount: this.nulls, data: values, nullBitmap: this.nulls > 0 ? bitmap : undefined } as never);
  }
}

/** Any other column: values read one by one (nulls detected from the bitmap, not per-item BigInt math). */
class BuilderCollector implements ColumnCollector {
  private readonly builder: arrow.Builder;

  constructor(readonly field: arrow.Field, private readonly read: (v: DuckDBVector, r: number) => unknown) {
    this.builder = arrow.makeBuilder({ type: field.type, nullValues: [null, undefined] });
  }

  add(vector: DuckDBVector, rows: number): void {
    const valid = validityBytes(vector);
    for (let r = 0; r < rows; r++) this.builder.append(isValid(valid, r) ? this.read(vector, r) : null);
  }

  finish(): arrow.Data {
    return this.builder.finish().flush();
  }
}

/**
 * A VARCHAR column built as Arrow Utf8 straight from DuckDB's string structs (16 bytes each:
 * length, then ≤ 12 inline bytes or a pointer): bytes are copied, never decoded to JS strings.
 */
class Utf8Collector implements ColumnCollector {
  private data = new Uint8Array(1 << 16);
  private used = 0;
  private offsets: number[] = [0];
  private bitmap: number[] = [];
  private nulls = 0;

  constructor(readonly field: arrow.Field) {}

  private append(bytes: Uint8Array): void {
    if (this.used + bytes.length > this.data.length) {
      const grown = new Uint8Array(Math.max(this.data.length * 2, this.used + bytes.length));
      grown.set(this.data.subarray(0, this.used));
      this.data = grown;
    }
    this.data.set(bytes, this.used);
    this.used += bytes.length;
  }

  add(vector: DuckDBVector, rows: number): void {
    const view = internals(vector).dataView;
    const valid = validityBytes(vector);
    const encoder = new TextEncoder();
    for (let r = 0; r < rows; r++) {
      const row = this.offsets.length - 1;
      if (!isValid(valid, r)) {
        this.nulls++;
        this.offsets.push(this.used);
        continue;
      }
      if (view) {
        const at = r * 16;
        const length = view.getUint32(at, true);
        this.append(length <= 12 ? new Uint8Array(view.buffer, view.byteOffset + at + 4, length) : duckdbBindings.get_data_from_pointer(view.buffer as ArrayBuffer, view.byteOffset + at + 8, length));
      } else {
        this.append(encoder.encode(String(vector.getItem(r))));
      }
      this.bitmap[row >> 3] = (this.bitmap[row >> 3] ?? 0) | (1 << (row & 7));
      this.offsets.push(this.used);
    }
  }

  finish(): arrow.Data {
    const length = this.offsets.length - 1;
    const bitmap = Uint8Array.from({ length: Math.ceil(length / 8) }, (_, i) => this.bitmap[i] ?? 0);
    return arrow.makeData({ type: new arrow.Utf8(), length, nullCount: this.nulls, valueOffsets: Int32Array.from(this.offsets), data: this.data.slice(0, this.used), nullBitmap: this.nulls > 0 ? bitmap : undefined } as never);
  }
}

const direct = (v: DuckDBVector, r: number) => v.getItem(r);
const asString = (v: DuckDBVector, r: number) => {
  const item = v.getItem(r);
  return item === null ? null : String(item);
};
const asNumber = (v: DuckDBVector, r: number) => {
  const item = v.getItem(r);
  return item === null ? null : Number(item);
};

const FIXED: Partial<Record<DuckDBTypeId, [() => arrow.DataType, TypedArrayConstructor]>> = {
  [DuckDBTypeId.TINYINT]: [() => new arrow.Int8(), Int8Array],
  [DuckDBTypeId.SMALLINT]: [() => new arrow.Int16(), Int16Array],
  [DuckDBTypeId.INTEGER]: [() => new arrow.Int32(), Int32Array],
  [DuckDBTypeId.BIGINT]: [() => new arrow.Int64(), BigInt64Array],
  [DuckDBTypeId.UTINYINT]: [() => new arrow.Uint8(), Uint8Array],
  [DuckDBTypeId.USMALLINT]: [() => new arrow.Uint16(), Uint16Array],
  [DuckDBTypeId.UINTEGER]: [() => new arrow.Uint32(), Uint32Array],
  [DuckDBTypeId.UBIGINT]: [() => new arrow.Uint64(), BigUint64Array],
  [DuckDBTypeId.FLOAT]: [() => new arrow.Float32(), Float32Array],
  [DuckDBTypeId.DOUBLE]: [() => new arrow.Float64(), Float64Array],
};

/** The collector for a DuckDB column type (same Arrow mapping as before, much faster for numbers). */
export function collectorFor(name: string, type: DuckDBType): ColumnCollector {
  const metadata = new Map([['duckdb_type', type.toString()]]);
  const fixed = FIXED[type.typeId];
  if (fixed) return new FixedWidthCollector(new arrow.Field(name, fixed[0](), true, metadata), fixed[1], direct);
  if (type.typeId === DuckDBTypeId.VARCHAR) return new Utf8Collector(new arrow.Field(name, new arrow.Utf8(), true, metadata));
  const [arrowType, read] = otherType(type);
  return new BuilderCollector(new arrow.Field(name, arrowType, true, metadata), read);
}

function otherType(type: DuckDBType): [arrow.DataType, (v: DuckDBVector, r: number) => unknown] {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN: return [new arrow.Bool(), direct];
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
    default:
      return [new arrow.Utf8(), asString];
  }
}
