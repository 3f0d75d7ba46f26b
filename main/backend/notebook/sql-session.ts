import type { Table } from 'apache-arrow';
import { VajraError } from '../../../app/base/errors';
import type { CancelSignal } from '../../../app/base/signal';
import { quoteIdent, quoteLiteral, type Engine } from '../../../app/data/engine';
import type { ResultColumn, SqlCellRequest, SqlCellResult } from '../../../app/notebook/executor';
import { bindParamsAsVariables, isQueryStatement, notebookSchema, qualifiedName, setVariableSql, splitStatements } from '../../../app/notebook/sql-run';
import type { NativeDatabase } from '../data/native-engine';

const KEY_PREFIX = 'vajra-key:';

function linesBefore(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length - 1;
}

/** DuckDB's error with the line of the cell it points at (`LINE n:` counts from the statement). */
function cellError(error: unknown, lineOffset: number): VajraError {
  const message = error instanceof Error ? error.message : String(error);
  const line = /LINE (\d+):/.exec(message);
  const detail = line ? { line: Number(line[1]) + lineOffset } : undefined;
  const text = message.replace(/\n\s*\n[\s\S]*$/, '').trim();
  return new VajraError(error instanceof VajraError ? error.code : 'sql', text, detail, error instanceof VajraError ? error.name : 'SqlError');
}

/**
 * One notebook's SQL: its own connection to the workspace database, whose `search_path` puts
 * the notebook's schema (`nb_<path>`) first, so `FROM trips` reads the cell `trips` of this
 * notebook and else a workspace table. Cell results are stored as tables of that schema, each
 * commented with its cache key so a later session knows whether it is still current.
 */
export class NotebookSql {
  private constructor(readonly schema: string, private readonly engine: Engine) {}

  static async open(db: NativeDatabase, notebookPath: string): Promise<NotebookSql> {
    const schema = notebookSchema(notebookPath);
    const engine = await db.connect();
    await engine.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}; SET search_path = ${quoteLiteral(`${schema},main`)}`);
    return new NotebookSql(schema, engine);
  }

  /** Runs a cell's statements; the last one, when it yields rows, is stored as the cell's table. */
  async run(request: SqlCellRequest, signal?: CancelSignal): Promise<SqlCellResult> {
    const statements = splitStatements(request.sql);
    if (statements.length === 0) throw new VajraError('sql', 'The cell has no SQL statement.', undefined, 'SqlError');
    for (const [name, value] of Object.entries(request.params)) await this.engine.exec(setVariableSql(name, value));
    const options = signal ? { signal } : {};
    const last = statements[statements.length - 1]!;
    for (const statement of statements) {
      const bound = bindParamsAsVariables(statement.sql).sql;
      const lineOffset = linesBefore(request.sql, statement.offset);
      const isStored = statement === last && isQueryStatement(statement.sql);
      const relation = qualifiedName(this.schema, request.table);
      const sql = isStored ? `CREATE OR REPLACE TABLE ${relation} AS SELECT * FROM (${bound}\n)` : bound;
      await this.engine.exec(sql, options).catch((error: unknown) => {
        throw cellError(error, lineOffset);
      });
      if (!isStored) continue;
      await this.engine.exec(`COMMENT ON TABLE ${relation} IS ${quoteLiteral(`${KEY_PREFIX}${request.key ?? ''}`)}`);
      return { kind: 'table', relation, columns: await this.columns(request.table), rowCount: await this.count(relation) };
    }
    return { kind: 'statement' };
  }

  /** The first `limit` rows of one SELECT, on this notebook's search path. */
  fetchRows(sql: string, limit: number, signal?: CancelSignal): Promise<Table> {
    const body = sql.trim().replace(/;+\s*$/, '');
    return this.engine.query(`SELECT * FROM (${body}\n) AS q LIMIT ${Math.max(0, Math.floor(limit))}`, signal ? { signal } : {});
  }

  /** The stored cell tables whose key matches: `tables` maps table name → cache key. */
  async current(tables: Readonly<Record<string, string>>): Promise<Array<{ table: string; relation: string; columns: ResultColumn[]; rowCount: number }>> {
    const rows = (await this.engine.query(`SELECT table_name AS t, comment AS c, estimated_size AS n FROM duckdb_tables() WHERE schema_name = ${quoteLiteral(this.schema)}`)).toArray();
    const found: Array<{ table: string; relation: string; columns: ResultColumn[]; rowCount: number }> = [];
    for (const row of rows) {
      const o = row.toJSON();
      const table = String(o['t']);
      const key = tables[table];
      if (key === undefined || o['c'] !== `${KEY_PREFIX}${key}`) continue;
      const relation = qualifiedName(this.schema, table);
      found.push({ table, relation, columns: await this.columns(table), rowCount: await this.count(relation) });
    }
    return found;
  }

  close(): Promise<void> {
    return this.engine.close();
  }

  private async columns(table: string): Promise<ResultColumn[]> {
    const rows = (await this.engine.query(
      `SELECT column_name AS n, data_type AS t FROM duckdb_columns() WHERE schema_name = ${quoteLiteral(this.schema)} AND table_name = ${quoteLiteral(table)} ORDER BY column_index`,
    )).toArray();
    return rows.map((r) => ({ name: String(r.toJSON()['n']), type: String(r.toJSON()['t']) }));
  }

  private async count(relation: string): Promise<number> {
    return Number((await this.engine.query(`SELECT count(*) AS n FROM ${relation}`)).get(0)?.toJSON()['n'] ?? 0);
  }
}
