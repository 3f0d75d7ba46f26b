import { z } from 'zod';
import { assertNever } from '../../../app/base/assert';
import type { CellValue } from '../../../app/notebook/executor';
import { inspect, type Inspected } from './inspect';

const inspected: z.ZodType<Inspected> = z.lazy(() => z.discriminatedUnion('t', [
  z.object({ t: z.literal('prim'), cls: z.enum(['number', 'string', 'boolean', 'null', 'undefined', 'bigint', 'symbol', 'function']), text: z.string() }),
  z.object({ t: z.literal('array'), name: z.string(), length: z.number(), items: z.array(inspected) }),
  z.object({ t: z.literal('object'), name: z.string(), entries: z.array(z.tuple([z.string(), inspected])), more: z.number() }),
  z.object({ t: z.literal('table'), rows: z.number(), columns: z.array(z.object({ name: z.string(), type: z.string() })), preview: z.array(z.array(z.string())) }),
  z.object({ t: z.literal('dom'), html: z.string() }),
  z.object({ t: z.literal('error'), text: z.string() }),
]));

const column = z.object({ name: z.string(), type: z.string() });

/** What a cell shows, and what the output cache stores (JSON) under the cell's key. */
export const CellOutput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('table'), relation: z.string(), columns: z.array(column), rowCount: z.number() }),
  z.object({ kind: z.literal('statement') }),
  z.object({ kind: z.literal('value'), view: inspected }),
  z.object({ kind: z.literal('markdown'), html: z.string() }),
  z.object({ kind: z.literal('chart'), rows: z.array(z.record(z.string(), z.unknown())), code: z.string(), query: z.string() }),
  z.object({ kind: z.literal('input'), value: z.unknown() }),
]);
export type CellOutput = z.infer<typeof CellOutput>;

/** A cached output with the time it took to compute. */
export const CachedOutput = z.object({ output: CellOutput, ms: z.number() });
export type CachedOutput = z.infer<typeof CachedOutput>;

/** The output of a value computed this session (JS values are snapshotted for the inspector and cache). */
export function outputOf(value: CellValue): CellOutput {
  switch (value.kind) {
    case 'table': return { kind: 'table', relation: value.relation, columns: value.columns, rowCount: value.rowCount };
    case 'statement': return { kind: 'statement' };
    case 'js': return { kind: 'value', view: inspect(value.value) };
    case 'markdown': return { kind: 'markdown', html: value.html };
    case 'chart': return { kind: 'chart', rows: value.rows, code: value.code, query: value.query };
    case 'input': return { kind: 'input', value: value.value };
    default: return assertNever(value, 'cell value');
  }
}

/** Parses a cache entry's JSON; undefined when it is unreadable or of another shape. */
export function parseCached(text: string): CachedOutput | undefined {
  try {
    const parsed = CachedOutput.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** JSON of a cached output; dates become ISO text, 64-bit integers numbers. */
export function serializeCached(cached: CachedOutput): string {
  return JSON.stringify(cached, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
}
