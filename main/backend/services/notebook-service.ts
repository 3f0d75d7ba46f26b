import { asId, type CellId } from '../../../app/base/ids';
import { tableToIpc } from '../../../app/data/ipc';
import type { notebookMethods } from '../../../app/protocol/methods/notebook';
import type { DomainHandlers } from '../../../app/protocol/spec';
import type { Backend } from '../backend';
import { fingerprints, NotebookCache } from '../notebook/cache-store';
import { NotebookSql } from '../notebook/sql-session';
import { workspaceDatabase } from './data-service';

/** The SQL session of one open notebook, opened once per workspace (a connection of the workspace DuckDB). */
function notebookSql(backend: Backend, path: string): Promise<NotebookSql> {
  return backend.resource(`notebook-sql:${path}`, async () => NotebookSql.open((await workspaceDatabase(backend)).db, path));
}

/** Notebook execution and output cache (the methods of `methods/notebook.ts`). JS cells run in the renderer. */
export function notebookHandlers(backend: Backend): DomainHandlers<typeof notebookMethods> {
  const cache = () => new NotebookCache(backend.requireWorkspace().root);
  return {
    'notebook.runSql': async ({ path, cellId, table, sql, params, key }, { signal }) => {
      backend.requireWorkspace().resolve(path);
      const session = await notebookSql(backend, path);
      return session.run({ cellId: asId<CellId>(cellId), table, sql, params, key }, signal);
    },
    'notebook.current': async ({ path, tables }) => {
      const session = await notebookSql(backend, path);
      return { tables: await session.current(tables) };
    },
    'notebook.fetch': async ({ path, sql, limit }, { signal }) => {
      const session = await notebookSql(backend, path);
      return { ipc: tableToIpc(await session.fetchRows(sql, limit, signal)) };
    },
    'notebook.fingerprints': async ({ files, tables }) => {
      const workspace = backend.requireWorkspace();
      const safeFiles = files.filter((f) => {
        try {
          workspace.resolve(f);
          return true;
        } catch {
          return false;
        }
      });
      const { engine } = await workspaceDatabase(backend);
      return { fingerprints: await fingerprints(engine, workspace.root, safeFiles, tables) };
    },
    'notebook.cacheRead': async ({ keys }) => ({ entries: await cache().read(keys) }),
    'notebook.cacheWrite': async (entry) => {
      await cache().write(entry);
      return {};
    },
  };
}
