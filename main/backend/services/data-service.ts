import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { UserInputError, VajraError } from '../../../app/base/errors';
import type { CancelSignal } from '../../../app/base/signal';
import { countRows, listCatalog } from '../../../app/data/catalog';
import { quoteIdent, quoteLiteral, type Engine } from '../../../app/data/engine';
import { baseName, deriveTableName, detectFormat, readFunctionSql } from '../../../app/data/import-plan';
import { tableToIpc } from '../../../app/data/ipc';
import { buildProfileQuery, parseProfile } from '../../../app/data/profile';
import { buildCountQuery, buildWindowQuery, sourceSql, type WindowSource } from '../../../app/data/window';
import type { CatalogItem, DataColumn, DataProblem, dataMethods } from '../../../app/protocol/methods/data';
import type { DomainHandlers } from '../../../app/protocol/spec';
import type { Backend, WorkspaceResource } from '../backend';
import { importFile } from '../data/import';
import { NativeDatabase } from '../data/native-engine';
import type { Workspace } from '../workspace/workspace';

/** Where the workspace database lives, relative to the workspace root (hidden from the tree). */
export const DATABASE_FILE = '.vajra/workspace.duckdb';
/** Files in this folder are exposed as views without any action of the user. */
export const DATA_FOLDER = 'data';

const META = 'vajra_meta.sources';
const STAGE_PREFIX = '__vajra_stage_';
const HIDDEN_PREFIX = '__vajra_';
const VIEWABLE = new Set(['csv', 'tsv', 'json', 'ndjson', 'parquet']);

type SourceMode = 'table' | 'view' | 'dropped';
interface SourceRow { name: string; path: string; mode: SourceMode }

/**
 * The workspace's one DuckDB database (`.vajra/workspace.duckdb`), with `file_search_path` set to
 * the workspace root so `read_csv('data/x.csv')` works in any SQL. A table `vajra_meta.sources`
 * remembers which object came from which file. DDL runs one at a time (`exclusive`).
 */
class WorkspaceData implements WorkspaceResource {
  readonly problems = new Map<string, string>();
  private lock: Promise<unknown> = Promise.resolve();
  private unsubscribe: () => void = () => undefined;

  constructor(readonly workspace: Workspace, readonly db: NativeDatabase, readonly engine: Engine, readonly persistent: boolean, private readonly backend: Backend) {}

  static async open(backend: Backend, workspace: Workspace): Promise<WorkspaceData> {
    await mkdir(join(workspace.root, '.vajra'), { recursive: true });
    const options = { file_search_path: workspace.root };
    let persistent = true;
    const db = await NativeDatabase.open(join(workspace.root, DATABASE_FILE), options).catch(async (error: unknown) => {
      if (!/lock/i.test(String(error))) throw error;
      persistent = false;
      return NativeDatabase.open(':memory:', options);
    });
    const engine = await db.connect();
    const data = new WorkspaceData(workspace, db, engine, persistent, backend);
    if (!persistent) data.problems.set(DATABASE_FILE, 'The workspace database is in use by another program; imports are kept in memory until Vajra restarts.');
    await engine.exec(`CREATE SCHEMA IF NOT EXISTS vajra_meta; CREATE TABLE IF NOT EXISTS ${META} (name VARCHAR PRIMARY KEY, path VARCHAR NOT NULL, mode VARCHAR NOT NULL)`);
    await data.dropStaleStages();
    await data.syncFiles();
    data.unsubscribe = backend.events.subscribe((event, payload) => {
      const paths = changedPaths(event, payload);
      if (paths?.some((p) => p === DATA_FOLDER || p.startsWith(`${DATA_FOLDER}/`))) void data.syncFiles().catch(() => undefined);
    });
    return data;
  }

  /** Runs DDL work after every earlier DDL work finished (imports, syncs and drops never interleave). */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.lock.then(work, work);
    this.lock = next.catch(() => undefined);
    return next;
  }

  changed(names: string[]): void {
    if (names.length > 0) this.backend.events.emit('data.catalogChanged', { names });
  }

  async sources(): Promise<SourceRow[]> {
    const rows = (await this.engine.query(`SELECT name, path, mode FROM ${META}`)).toArray();
    return rows.map((r) => {
      const o = r.toJSON();
      const mode = String(o['mode']);
      return { name: String(o['name']), path: String(o['path']), mode: mode === 'table' || mode === 'dropped' ? mode : 'view' };
    });
  }

  async record(row: SourceRow): Promise<void> {
    await this.engine.exec(`INSERT OR REPLACE INTO ${META} VALUES (${quoteLiteral(row.name)}, ${quoteLiteral(row.path)}, ${quoteLiteral(row.mode)})`);
  }

  async forget(name: string): Promise<void> {
    await this.engine.exec(`DELETE FROM ${META} WHERE lower(name) = lower(${quoteLiteral(name)})`);
  }

  async objectNames(): Promise<Map<string, 'table' | 'view'>> {
    const rows = (await this.engine.query(`SELECT table_name AS n, 'table' AS k FROM duckdb_tables() WHERE schema_name = 'main' UNION ALL SELECT view_name, 'view' FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'`)).toArray();
    return new Map(rows.map((r) => [String(r.toJSON()['n']).toLowerCase(), r.toJSON()['k'] === 'table' ? 'table' : 'view']));
  }

  /** Creates a view over the workspace file `path` (relative, so the database survives a move of the folder). */
  async createFileView(path: string, requested?: string): Promise<string> {
    const format = detectFormat(path);
    if (format === null || !VIEWABLE.has(format)) {
      throw new UserInputError(`${baseName(path)}: ${format === 'arrow' ? 'Arrow IPC files cannot be read in place; import it as a table' : 'not a CSV, TSV, JSON, NDJSON or Parquet file'}.`, { file: path, code: 'needs_import' });
    }
    const taken = [...(await this.objectNames()).keys()];
    const name = requested ?? deriveTableName(path, taken);
    const reader = readFunctionSql(format, path) ?? '';
    await this.engine.exec(`CREATE VIEW ${quoteIdent(name)} AS SELECT * FROM ${reader}`).catch((error: unknown) => {
      throw new UserInputError(`${baseName(path)}: ${firstLine(error)}`, { file: path });
    });
    await this.record({ name, path, mode: 'view' });
    return name;
  }

  /** Exposes every data file of `data/` without a table or view yet; drops views of deleted files. */
  syncFiles(): Promise<void> {
    return this.exclusive(async () => {
      const files = await listDataFiles(this.workspace.root);
      const sources = await this.sources();
      const objects = await this.objectNames();
      const created: string[] = [];
      for (const path of files) {
        const known = sources.find((s) => s.path === path && (s.mode === 'dropped' || objects.has(s.name.toLowerCase())));
        if (known) continue;
        try {
          created.push(await this.createFileView(path));
          this.problems.delete(path);
        } catch (error) {
          this.problems.set(path, error instanceof Error ? error.message : String(error));
        }
      }
      for (const source of sources) {
        if (!source.path.startsWith(`${DATA_FOLDER}/`) || files.includes(source.path)) continue;
        if (source.mode === 'view') await this.engine.exec(`DROP VIEW IF EXISTS ${quoteIdent(source.name)}`);
        if (source.mode !== 'table') await this.forget(source.name);
        if (source.mode === 'view') created.push(source.name);
      }
      for (const path of [...this.problems.keys()]) if (path.startsWith(`${DATA_FOLDER}/`) && !files.includes(path)) this.problems.delete(path);
      this.changed(created);
    });
  }

  /** Catalog items with their source files; `names` limits them (case-insensitive), views counted on request. */
  async items(options: { names?: string[]; count?: boolean; signal?: CancelSignal } = {}): Promise<CatalogItem[]> {
    const wanted = options.names?.map((n) => n.toLowerCase());
    const entries = (await listCatalog(this.engine, options.signal ? { signal: options.signal } : {}))
      .filter((e) => !e.name.startsWith(HIDDEN_PREFIX) && (!wanted || wanted.includes(e.name.toLowerCase())));
    const sources = await this.sources();
    return Promise.all(entries.map(async (entry) => {
      const counted = entry.rowCount === null && options.count === true ? await this.count(entry.name, options.signal) : null;
      return {
        name: entry.name,
        kind: entry.kind,
        columns: entry.columns,
        rowCount: counted ?? entry.rowCount,
        rowCountIsEstimate: counted === null && entry.rowCountIsEstimate,
        file: sources.find((s) => s.name.toLowerCase() === entry.name.toLowerCase())?.path ?? null,
      };
    }));
  }

  async item(name: string): Promise<CatalogItem> {
    const [found] = await this.items({ names: [name] });
    if (!found) throw new UserInputError(`No table or view named "${name}".`, { name });
    return found;
  }

  /** A view's row count on its own connection; null when the scan fails (a bad file). */
  async count(name: string, signal?: CancelSignal): Promise<number | null> {
    return this.withConnection((engine) => countRows(engine, name, signal ? { signal } : {})).catch(() => null);
  }

  /** Runs `work` on a fresh connection, so slow reads never queue behind each other or behind DDL. */
  async withConnection<T>(work: (engine: Engine) => Promise<T>): Promise<T> {
    const engine = await this.db.connect();
    try {
      return await work(engine);
    } finally {
      await engine.close();
    }
  }

  async dropStaleStages(): Promise<void> {
    const stale = (await this.engine.query(`SELECT table_name AS n FROM duckdb_tables() WHERE starts_with(table_name, ${quoteLiteral(HIDDEN_PREFIX)})`)).toArray();
    for (const row of stale) await this.engine.exec(`DROP TABLE IF EXISTS ${quoteIdent(String(row.toJSON()['n']))}`);
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.lock;
    await this.engine.close();
    this.db.close();
  }
}

/** The workspace's one native database and its shared engine; other services reuse it (never open a second one). */
export async function workspaceDatabase(backend: Backend): Promise<{ db: NativeDatabase; engine: Engine }> {
  const data = await workspaceData(backend);
  return { db: data.db, engine: data.engine };
}

function workspaceData(backend: Backend): Promise<WorkspaceData> {
  return backend.resource('duckdb', (workspace) => WorkspaceData.open(backend, workspace));
}

/** Datasets: catalog, windows of rows as Arrow IPC, profiles, imports (the methods of `methods/data.ts`). */
export function dataHandlers(backend: Backend): DomainHandlers<typeof dataMethods> {
  const data = () => workspaceData(backend);
  return {
    'data.catalog': async ({ countViews }, { signal }) => {
      const d = await data();
      const items = await d.items({ count: countViews, signal });
      const problems: DataProblem[] = [...d.problems].map(([path, message]) => ({ path, message }));
      return { items, problems, persistent: d.persistent };
    },
    'data.openFile': async ({ path }) => {
      const d = await data();
      d.workspace.resolve(path);
      const name = await d.exclusive(async () => {
        const known = (await d.sources()).find((s) => s.path === path && s.mode !== 'dropped');
        if (known && (await d.objectNames()).has(known.name.toLowerCase())) return known.name;
        if (known) await d.forget(known.name);
        const created = await d.createFileView(path);
        d.changed([created]);
        return created;
      });
      return d.item(name);
    },
    'data.query': async ({ source, window, sort, filters, count }, { signal }) => {
      const d = await data();
      return d.withConnection(async (engine) => {
        const table = await engine.query(buildWindowQuery({ source, sort, filters, offset: window.offset, limit: window.limit }), { signal });
        let totalRows: number | null = null;
        if (count) totalRows = Number((await engine.query(buildCountQuery(source, filters), { signal })).get(0)?.toJSON()['n'] ?? 0);
        const columns: DataColumn[] = table.schema.fields.map((f) => ({ name: f.name, type: f.metadata.get('duckdb_type') ?? String(f.type) }));
        return { ipc: tableToIpc(table), totalRows, columns };
      });
    },
    'data.profile': async ({ source, column, type }, { signal }) => {
      const d = await data();
      return d.withConnection(async (engine) => {
        const duckdbType = type ?? (await describeColumn(engine, source, column));
        return parseProfile(await engine.query(buildProfileQuery(source, column, duckdbType), { signal }), column, duckdbType);
      });
    },
    'data.import': async ({ path, mode, name }, { signal, progress }) => {
      const d = await data();
      const imported = await d.exclusive(() => importPath(d, path, { mode, name, signal, onProgress: progress }));
      return d.item(imported);
    },
    'data.importBytes': async ({ fileName, bytes, mode, name }, { signal, progress }) => {
      const d = await data();
      const { path, imported } = await d.exclusive(async () => {
        const target = await freePath(d.workspace, safeFileName(fileName));
        await d.workspace.writeBytes(target, bytes);
        try {
          return { path: target, imported: await importPath(d, target, { mode, name, signal, onProgress: progress }) };
        } catch (error) {
          await unlink(d.workspace.resolve(target)).catch(() => undefined);
          throw error;
        }
      });
      return { ...(await d.item(imported)), path };
    },
    'data.createView': async ({ name, sql, replace }) => {
      const d = await data();
      await d.exclusive(async () => {
        const body = sourceSql({ kind: 'query', sql });
        await d.engine.exec(`CREATE ${replace ? 'OR REPLACE ' : ''}VIEW ${quoteIdent(name)} AS SELECT * FROM ${body} AS v`);
        d.changed([name]);
      });
      return d.item(name);
    },
    'data.drop': async ({ name }) => {
      const d = await data();
      return d.exclusive(async () => {
        const kind = (await d.objectNames()).get(name.toLowerCase());
        if (!kind) return { dropped: false };
        await d.engine.exec(`DROP ${kind === 'table' ? 'TABLE' : 'VIEW'} ${quoteIdent(name)}`);
        const source = (await d.sources()).find((s) => s.name.toLowerCase() === name.toLowerCase());
        if (source?.path.startsWith(`${DATA_FOLDER}/`)) await d.record({ ...source, mode: 'dropped' });
        else if (source) await d.forget(source.name);
        d.changed([name]);
        return { dropped: true };
      });
    },
  };
}

interface PathImport {
  mode: 'table' | 'view';
  name: string | undefined;
  signal: CancelSignal;
  onProgress: (p: { done: number; total: number; message?: string }) => void;
}

/**
 * Imports the workspace file `path`; the caller holds `exclusive`. Copying a file that already has
 * a view (a file of `data/`) replaces that view by a table of the same name, in one transaction
 * after the copy completed — a failed or cancelled copy leaves the view as it was.
 */
async function importPath(d: WorkspaceData, path: string, job: PathImport): Promise<string> {
  const absolute = d.workspace.resolve(path);
  if (job.mode === 'view') {
    const name = await d.createFileView(path, job.name);
    d.changed([name]);
    return name;
  }
  const objects = await d.objectNames();
  const view = (await d.sources()).find((s) => s.path === path && s.mode === 'view' && objects.get(s.name.toLowerCase()) === 'view');
  const replacing = view !== undefined && (job.name === undefined || job.name.toLowerCase() === view.name.toLowerCase());
  const options = { mode: 'table' as const, signal: job.signal, onProgress: job.onProgress };
  const imported = await importFile(d.db, absolute, { ...options, ...(replacing ? { name: `${STAGE_PREFIX}${view.name}` } : job.name ? { name: job.name } : {}) });
  if (!replacing) {
    await d.record({ name: imported.name, path, mode: 'table' });
    d.changed([imported.name]);
    return imported.name;
  }
  await d.engine.exec(`BEGIN; DROP VIEW ${quoteIdent(view.name)}; ALTER TABLE ${quoteIdent(imported.name)} RENAME TO ${quoteIdent(view.name)}; ` +
    `INSERT OR REPLACE INTO ${META} VALUES (${quoteLiteral(view.name)}, ${quoteLiteral(path)}, 'table'); COMMIT`).catch(async (error: unknown) => {
    await d.engine.exec('ROLLBACK').catch(() => undefined);
    await d.engine.exec(`DROP TABLE IF EXISTS ${quoteIdent(imported.name)}`).catch(() => undefined);
    throw error;
  });
  d.changed([view.name]);
  return view.name;
}

async function describeColumn(engine: Engine, source: WindowSource, column: string): Promise<string> {
  const described = await engine.query(`DESCRIBE SELECT * FROM ${sourceSql(source)} AS w`);
  const row = described.toArray().map((r) => r.toJSON()).find((r) => r['column_name'] === column);
  if (!row) throw new UserInputError(`No column named "${column}".`, { column });
  return String(row['column_type']);
}

/** Workspace-relative paths of the files under `data/` that DuckDB can read in place. */
async function listDataFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    const children = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const child of children) {
      if (child.name.startsWith('.')) continue;
      const absolute = join(dir, child.name);
      if (child.isDirectory() && depth < 4) await walk(absolute, depth + 1);
      const format = child.isFile() ? detectFormat(child.name) : null;
      if (format !== null && VIEWABLE.has(format)) found.push(relative(root, absolute).split(sep).join('/'));
    }
  };
  await walk(join(root, DATA_FOLDER), 0);
  return found.sort();
}

/** A dropped file's name reduced to a safe base name with a known data extension. */
function safeFileName(fileName: string): string {
  const name = baseName(fileName).replace(/[^\p{L}\p{N}._ -]+/gu, '_').replace(/^\.+/, '').trim();
  if (name === '' || detectFormat(name) === null) {
    throw new UserInputError(`${baseName(fileName)}: unknown file type (expected CSV, TSV, JSON, NDJSON, Parquet or Arrow).`, { file: fileName });
  }
  return name;
}

/** `data/<name>`, or `data/<stem>-2.<ext>` … when that file exists (a drop never overwrites). */
async function freePath(workspace: Workspace, name: string): Promise<string> {
  const dot = name.indexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 1; ; n++) {
    const candidate = `${DATA_FOLDER}/${n === 1 ? name : `${stem}-${n}${ext}`}`;
    const exists = await stat(workspace.resolve(candidate)).then(() => true, () => false);
    if (!exists) return candidate;
  }
}

function changedPaths(event: string, payload: unknown): string[] | null {
  if (event !== 'workspace.changed' || typeof payload !== 'object' || payload === null || !('paths' in payload)) return null;
  const paths: unknown = payload.paths;
  return Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string') : null;
}

function firstLine(error: unknown): string {
  const message = error instanceof VajraError || error instanceof Error ? error.message : String(error);
  const line = message.split('\n').find((l) => l.trim() !== '') ?? message;
  return line.replace(/^[A-Za-z ]*Error:\s*/, '').trim();
}
