import { z } from 'zod';
import { bytes, method } from '../spec';
import { workspacePath } from './workspace';

/** A DuckDB identifier as users type it: any text but empty, without NUL. */
const objectName = z.string().min(1).max(256).refine((n) => !n.includes('\0'), { message: 'must not contain NUL' });

/** What a grid shows: a catalog table/view by name, or the result of one SELECT (app/data/window.ts). */
export const WindowSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('table'), name: objectName }),
  z.object({ kind: z.literal('query'), sql: z.string().min(1).max(1_000_000) }),
]);
export type WindowSource = z.infer<typeof WindowSource>;

const filterValue = z.union([z.string().max(10_000), z.number(), z.boolean()]);

/** A per-column filter pushed down to SQL (`ColumnFilter` of app/data/window.ts). */
export const ColumnFilter = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('contains'), column: z.string(), text: z.string().max(10_000) }),
  z.object({ kind: z.literal('equals'), column: z.string(), value: filterValue.nullable() }),
  z.object({ kind: z.literal('range'), column: z.string(), min: filterValue.optional(), max: filterValue.optional() }),
]);
export type ColumnFilter = z.infer<typeof ColumnFilter>;

export const SortKey = z.object({ column: z.string(), direction: z.enum(['asc', 'desc']) });
export type SortKey = z.infer<typeof SortKey>;

/** A result column: name and DuckDB type name (`BIGINT`, `VARCHAR`, `DECIMAL(9,2)` …). */
export const DataColumn = z.object({ name: z.string(), type: z.string() });
export type DataColumn = z.infer<typeof DataColumn>;

/**
 * A table or view of the workspace database. `rowCount` is null for a view not counted;
 * `file` is the workspace path a file-backed view reads or a table was imported from.
 */
export const CatalogItem = z.object({
  name: z.string(),
  kind: z.enum(['table', 'view']),
  columns: z.array(DataColumn.extend({ nullable: z.boolean() })),
  rowCount: z.number().nullable(),
  rowCountIsEstimate: z.boolean(),
  file: z.string().nullable(),
});
export type CatalogItem = z.infer<typeof CatalogItem>;

/** A data file the database could not expose, with the reason in plain words. */
export const DataProblem = z.object({ path: z.string(), message: z.string() });
export type DataProblem = z.infer<typeof DataProblem>;

/** Column summary of the grid header (`ColumnProfile` of app/data/profile.ts). */
export const ColumnProfile = z.object({
  column: z.string(),
  type: z.string(),
  kind: z.enum(['numeric', 'temporal', 'other']),
  rows: z.number(),
  nulls: z.number(),
  nullFraction: z.number(),
  distinct: z.number(),
  min: z.string().nullable(),
  max: z.string().nullable(),
  histogram: z.object({ binLow: z.number(), binHigh: z.number(), counts: z.array(z.number()) }).nullable(),
});
export type ColumnProfile = z.infer<typeof ColumnProfile>;

/** The largest window one call returns; a grid asks for a few hundred rows at a time. */
export const MAX_WINDOW_ROWS = 10_000;

const importMode = z.enum(['table', 'view']);

export const dataMethods = {
  'data.catalog': method(
    z.object({ countViews: z.boolean().default(false) }),
    z.object({ items: z.array(CatalogItem), problems: z.array(DataProblem), persistent: z.boolean() }),
    'Every table and view of the workspace database with columns, DuckDB types and row counts (views counted on request).',
  ),
  'data.openFile': method(
    z.object({ path: workspacePath }),
    CatalogItem,
    'The table or view of a workspace data file, creating a view over the file in place when it has none.',
  ),
  'data.query': method(
    z.object({
      source: WindowSource,
      window: z.object({ offset: z.number().int().min(0), limit: z.number().int().min(0).max(MAX_WINDOW_ROWS) }),
      sort: z.array(SortKey).max(16).default([]),
      filters: z.array(ColumnFilter).max(256).default([]),
      count: z.boolean().default(true),
    }),
    z.object({ ipc: bytes, totalRows: z.number().nullable(), columns: z.array(DataColumn) }),
    'One window of rows of a table or SELECT, sorted and filtered in SQL, as an Arrow IPC stream; totalRows counts the filtered source.',
  ),
  'data.profile': method(
    z.object({ source: WindowSource, column: z.string(), type: z.string().optional() }),
    ColumnProfile,
    'Profile of one column: type, nulls, approximate distinct count, min/max and a histogram.',
  ),
  'data.import': method(
    z.object({ path: workspacePath, mode: importMode.default('table'), name: objectName.optional() }),
    CatalogItem,
    'Import a workspace file as a table (copy, with progress; cancellable) or a view over the file.',
  ),
  'data.importBytes': method(
    z.object({ fileName: z.string().min(1).max(255), bytes, mode: importMode.default('table'), name: objectName.optional() }),
    CatalogItem.extend({ path: z.string() }),
    'Save a dropped file into data/ (atomically, never overwriting) and import it.',
  ),
  'data.createView': method(
    z.object({ name: objectName, sql: z.string().min(1).max(1_000_000), replace: z.boolean().default(false) }),
    CatalogItem,
    'Create (or replace) a view from one SELECT.',
  ),
  'data.drop': method(z.object({ name: objectName }), z.object({ dropped: z.boolean() }), 'Drop a table or view (files stay on disk).'),
} as const;

export const dataEvents = {
  /** Tables or views were created, replaced or dropped (by imports, data files or other clients). */
  'data.catalogChanged': z.object({ names: z.array(z.string()) }),
} as const;
