import type { Table } from 'apache-arrow';
import type { Engine, QueryOptions } from './engine';
import { quoteIdent, quoteLiteral } from './engine';
import { TEMP_PREFIX } from './import-plan';

/** One column of a catalog entry: name, DuckDB type name, and whether NULLs are allowed. */
export interface CatalogColumn {
  name: string;
  type: string;
  nullable: boolean;
}

/**
 * A table or view of the database. `rowCount` for tables is DuckDB's stored row count
 * (`duckdb_tables().estimated_size`: exact after inserts, an over-count after deletes until a
 * checkpoint — hence `rowCountIsEstimate`); views are not scanned, so their count is null.
 * `previewSql` selects the first rows.
 */
export interface CatalogEntry {
  name: string;
  kind: 'table' | 'view';
  columns: CatalogColumn[];
  rowCount: number | null;
  rowCountIsEstimate: boolean;
  previewSql: string;
}

/** Rows shown by a preview. */
export const PREVIEW_ROWS = 100;

/** `SELECT * FROM "<name>" LIMIT n`: the preview of one catalog entry. */
export function previewQuery(name: string, limit = PREVIEW_ROWS): string {
  return `SELECT * FROM ${quoteIdent(name)} LIMIT ${Math.max(0, Math.floor(limit))}`;
}

const LIST_SQL = `
  SELECT table_name AS name, 'table' AS kind, estimated_size AS row_count FROM duckdb_tables()
    WHERE NOT internal AND NOT temporary AND schema_name = 'main'
  UNION ALL
  SELECT view_name, 'view', NULL FROM duckdb_views() WHERE NOT internal AND NOT temporary AND schema_name = 'main'
  ORDER BY name`;

const COLUMNS_SQL = `
  SELECT table_name AS owner, column_name AS name, data_type AS type, is_nullable AS nullable
  FROM duckdb_columns() WHERE NOT internal AND schema_name = 'main' ORDER BY table_name, column_index`;

/**
 * Every user table and view of the `main` schema with columns and cheap row counts, in name order.
 * Two catalog queries, no data scanned. Imports still in progress (`TEMP_PREFIX`) are left out.
 */
export async function listCatalog(engine: Engine, options: QueryOptions = {}): Promise<CatalogEntry[]> {
  const entries = objects(await engine.query(LIST_SQL, options));
  const columns = objects(await engine.query(COLUMNS_SQL, options));
  const byOwner = new Map<string, CatalogColumn[]>();
  for (const c of columns) {
    const list = byOwner.get(String(c['owner'])) ?? [];
    list.push({ name: String(c['name']), type: String(c['type']), nullable: c['nullable'] !== false });
    byOwner.set(String(c['owner']), list);
  }
  return entries
    .filter((e) => !String(e['name']).startsWith(TEMP_PREFIX))
    .map((e) => {
      const name = String(e['name']);
      const isTable = e['kind'] === 'table';
      return {
        name,
        kind: isTable ? 'table' : 'view',
        columns: byOwner.get(name) ?? [],
        rowCount: isTable ? Number(e['row_count'] ?? 0) : null,
        rowCountIsEstimate: isTable,
        previewSql: previewQuery(name),
      };
    });
}

/** Exact row count of one table or view (a scan for views over files). */
export async function countRows(engine: Engine, name: string, options: QueryOptions = {}): Promise<number> {
  const table = await engine.query(`SELECT count(*) AS n FROM ${quoteIdent(name)}`, options);
  return Number(objects(table)[0]?.['n'] ?? 0);
}

/** Whether a table or view called `name` exists (case-insensitive, like DuckDB names). */
export async function hasObject(engine: Engine, name: string, options: QueryOptions = {}): Promise<boolean> {
  const sql = `SELECT count(*) AS n FROM (SELECT table_name AS n FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views()) WHERE lower(n) = lower(${quoteLiteral(name)})`;
  return Number(objects(await engine.query(sql, options))[0]?.['n'] ?? 0) > 0;
}

function objects(table: Table): Record<string, unknown>[] {
  return table.toArray().map((row) => row.toJSON());
}
