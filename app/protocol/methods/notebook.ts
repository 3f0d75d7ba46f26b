import { z } from 'zod';
import { bytes, method } from '../spec';
import { DataColumn } from './data';
import { workspacePath } from './workspace';

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).max(256);
const cacheKey = z.string().regex(/^[0-9a-f]{64}$/);

type Param = string | number | boolean | null | readonly Param[];
/** A `$name` value: scalars and (nested) lists of them, as `toSqlParam` makes. */
const paramValue: z.ZodType<Param> = z.lazy(() => z.union([z.string().max(1_000_000), z.number(), z.boolean(), z.null(), z.array(paramValue).max(100_000)]));

/** A cell result stored in DuckDB: the quoted, schema-qualified table, its columns and row count. */
export const StoredTable = z.object({ relation: z.string(), columns: z.array(DataColumn), rowCount: z.number() });

export const notebookMethods = {
  'notebook.runSql': method(
    z.object({
      path: workspacePath,
      cellId: z.string().min(1).max(256),
      table: z.string().min(1).max(256),
      sql: z.string().min(1).max(1_000_000),
      params: z.record(identifier, paramValue).default({}),
      key: cacheKey.optional(),
    }),
    z.discriminatedUnion('kind', [StoredTable.extend({ kind: z.literal('table') }), z.object({ kind: z.literal('statement') })]),
    "Run a SQL cell in the workspace DuckDB and store its result as a table of the notebook's schema (cancel interrupts the query).",
  ),
  'notebook.current': method(
    z.object({ path: workspacePath, tables: z.record(z.string().max(256), cacheKey) }),
    z.object({ tables: z.array(StoredTable.extend({ table: z.string() })) }),
    'Which stored cell tables of a notebook were made from the given cache keys (so they need not run again).',
  ),
  'notebook.fetch': method(
    z.object({ path: workspacePath, sql: z.string().min(1).max(1_000_000), limit: z.number().int().min(0).max(1_000_000) }),
    z.object({ ipc: bytes }),
    "The first rows of one SELECT on the notebook's search path, as an Arrow IPC stream.",
  ),
  'notebook.fingerprints': method(
    z.object({ files: z.array(z.string().max(4096)).max(10_000), tables: z.array(z.string().max(256)).max(10_000) }),
    z.object({ fingerprints: z.record(z.string(), z.string()) }),
    'Fingerprints of data files and workspace tables, for the cache keys of the cells that read them.',
  ),
  'notebook.cacheRead': method(
    z.object({ keys: z.array(cacheKey).max(10_000) }),
    z.object({ entries: z.array(z.object({ key: cacheKey, output: z.string() })) }),
    'Cached cell outputs by cache key (missing keys are left out).',
  ),
  'notebook.cacheWrite': method(
    z.object({ key: cacheKey, output: z.string().max(16 * 1024 * 1024) }),
    z.object({}),
    'Cache one cell output under its key, atomically.',
  ),
} as const;

export const notebookEvents = {} as const;
