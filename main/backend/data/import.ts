import { stat } from 'node:fs/promises';
import { CancelledError, UserInputError, VajraError } from '../../../app/base/errors';
import type { CancelSignal, ProgressSink } from '../../../app/base/signal';
import { quoteIdent, quoteLiteral } from '../../../app/data/engine';
import { baseName, deriveTableName, detectFormat, readFunctionSql, TEMP_PREFIX, type FileFormat } from '../../../app/data/import-plan';
import { copyArrowFile } from './arrow-import';
import { findCsvProblem } from './csv-diagnose';
import type { NativeConnection, NativeDatabase } from './native-engine';

/** How to import: `table` copies the data into the database; `view` reads the file in place. */
export type ImportMode = 'table' | 'view';

/** Options of `importFile`. `name` overrides the name derived from the file name. */
export interface ImportOptions {
  mode?: ImportMode;
  name?: string;
  format?: FileFormat;
  header?: boolean;
  signal?: CancelSignal;
  /** Bytes read of the file's total size, a few times a second. */
  onProgress?: ProgressSink;
}

/** What an import created. `rowCount` is exact for tables, null for views (not scanned). */
export interface ImportedDataset {
  name: string;
  mode: ImportMode;
  format: FileFormat;
  path: string;
  rowCount: number | null;
  columns: { name: string; type: string }[];
}

/**
 * Imports the file at `path` into `db` as a table (copied through a temporary name and renamed
 * when complete, so a failure or cancel leaves nothing behind) or as a view over the file. Bad
 * files throw `UserInputError` naming the file, the line where known, and the reason; existing
 * tables are never touched. Arrow IPC can only be copied (DuckDB has no offline Arrow reader).
 */
export async function importFile(db: NativeDatabase, path: string, options: ImportOptions = {}): Promise<ImportedDataset> {
  const mode = options.mode ?? 'table';
  const file = baseName(path);
  const size = await fileSize(path, file);
  const format = options.format ?? detectFormat(path);
  if (format === null) throw new UserInputError(`${file}: unknown file type (expected CSV, TSV, JSON, NDJSON, Parquet or Arrow).`, { file: path });
  if (format === 'arrow' && mode === 'view') throw new UserInputError(`${file}: Arrow IPC files can only be imported as a table (copy), not as a view.`, { file: path });
  const connection = await db.connectNative();
  try {
    const name = await chooseName(connection, path, options.name);
    const reader = readFunctionSql(format, path, { header: options.header ?? true });
    if (mode === 'view') {
      await connection.exec(`CREATE VIEW ${quoteIdent(name)} AS SELECT * FROM ${reader}`).catch((e: unknown) => rethrow(e, path, format));
    } else {
      await copyIntoTable(connection, { path, name, format, reader, size, options });
    }
    return await describe(connection, { name, mode, format, path });
  } finally {
    await connection.close();
  }
}

async function fileSize(path: string, file: string): Promise<number> {
  const info = await stat(path).catch(() => null);
  if (info === null) throw new UserInputError(`${file}: file not found or not readable.`, { file: path });
  if (!info.isFile()) throw new UserInputError(`${file}: not a file.`, { file: path });
  if (info.size === 0) throw new UserInputError(`${file}: the file is empty.`, { file: path, reason: 'empty' });
  return info.size;
}

async function chooseName(connection: NativeConnection, path: string, requested: string | undefined): Promise<string> {
  const taken = (await connection.query('SELECT table_name AS n FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views()'))
    .toArray().map((row) => String(row.toJSON()['n']));
  if (requested === undefined) return deriveTableName(path, taken);
  if (requested.trim() === '' || requested.startsWith(TEMP_PREFIX)) throw new UserInputError(`"${requested}" is not a usable table name.`);
  if (taken.some((n) => n.toLowerCase() === requested.toLowerCase())) throw new UserInputError(`A table or view named "${requested}" already exists.`);
  return requested;
}

interface CopyJob {
  path: string;
  name: string;
  format: FileFormat;
  reader: string | null;
  size: number;
  options: ImportOptions;
}

async function copyIntoTable(connection: NativeConnection, job: CopyJob): Promise<void> {
  const { path, name, format, reader, size, options } = job;
  const temp = `${TEMP_PREFIX}${name}`;
  const report = (bytes: number) => options.onProgress?.({ done: Math.min(size, Math.max(0, Math.round(bytes))), total: size, message: `Reading ${baseName(path)}` });
  await connection.exec(`SET enable_progress_bar=true; SET enable_progress_bar_print=false; DROP TABLE IF EXISTS ${quoteIdent(temp)}`);
  const timer = setInterval(() => {
    const percent = connection.progressPercent();
    if (percent >= 0) report((percent / 100) * size);
  }, 100);
  try {
    report(0);
    if (reader === null) {
      await copyArrowFile(connection, path, temp, options.signal, report);
    } else {
      await connection.exec(`CREATE TABLE ${quoteIdent(temp)} AS SELECT * FROM ${reader}`, { signal: options.signal });
    }
    if (options.signal?.aborted) throw new CancelledError('Import cancelled');
    await connection.exec(`BEGIN; ALTER TABLE ${quoteIdent(temp)} RENAME TO ${quoteIdent(name)}; COMMIT`);
    report(size);
  } catch (error) {
    await connection.exec(`ROLLBACK`).catch(() => undefined);
    await connection.exec(`DROP TABLE IF EXISTS ${quoteIdent(temp)}`).catch(() => undefined);
    return rethrow(error, path, format);
  } finally {
    clearInterval(timer);
  }
}

async function describe(connection: NativeConnection, base: Omit<ImportedDataset, 'rowCount' | 'columns'>): Promise<ImportedDataset> {
  const columns = (await connection.query(`SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ${quoteLiteral(base.name)} ORDER BY column_index`))
    .toArray().map((row) => ({ name: String(row.toJSON()['column_name']), type: String(row.toJSON()['data_type']) }));
  let rowCount: number | null = null;
  if (base.mode === 'table') {
    const counted = await connection.query(`SELECT count(*) AS n FROM ${quoteIdent(base.name)}`);
    rowCount = Number(counted.get(0)?.toJSON()['n'] ?? 0);
  }
  return { ...base, rowCount, columns };
}

/** Turns an engine error about a file into a UserInputError naming file, line and reason. */
async function rethrow(error: unknown, path: string, format: FileFormat): Promise<never> {
  if (error instanceof CancelledError || error instanceof UserInputError) throw error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof VajraError && error.code !== 'sql') throw error;
  const file = baseName(path);
  if (format === 'csv' || format === 'tsv') {
    const problem = await findCsvProblem(path, format === 'csv' ? 0x2c : 0x09).catch(() => null);
    if (problem) throw new UserInputError(`${file}, line ${problem.line}: ${problem.reason}.`, { file: path, line: problem.line, reason: problem.reason });
  }
  const line = /(?:on Line|in line|record\/value)[:\s]+(\d+)/i.exec(message)?.[1];
  const reason = firstLine(message);
  const where = line === undefined ? '' : `, line ${line}`;
  throw new UserInputError(`${file}${where}: ${reason}`, { file: path, ...(line === undefined ? {} : { line: Number(line) }), reason });
}

function firstLine(message: string): string {
  const line = message.split('\n').find((l) => l.trim() !== '') ?? message;
  return line.replace(/^[A-Za-z ]*Error:\s*/, '').trim();
}
