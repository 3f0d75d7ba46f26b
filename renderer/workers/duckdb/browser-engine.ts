// duckdb-wasm in the browser: AsyncDuckDB runs the database in its own Web Worker, so queries never
// block the UI thread; this adapter gives it the app/data Engine interface. Vite needs
// `optimizeDeps.exclude: ['@duckdb/duckdb-wasm']` for the `?url` imports below (STACK-NOTES).
import { AsyncDuckDB, VoidLogger } from '@duckdb/duckdb-wasm';
import ehWasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorkerUrl from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import type { Engine } from '../../../app/data/engine';
import { createWasmEngine } from '../../../app/data/wasm-engine';

/** One in-browser DuckDB: create engines (connections) from it, register data, terminate it. */
export interface BrowserDatabase {
  connect(): Promise<Engine>;
  /** Makes `bytes` readable by SQL as `name` (e.g. `read_csv('name')`); transfers the buffer. */
  registerFile(name: string, bytes: Uint8Array): Promise<void>;
  /** Loads Arrow IPC bytes (e.g. a window from the backend) into table `table`. */
  insertArrowIpc(table: string, bytes: Uint8Array): Promise<void>;
  terminate(): Promise<void>;
}

/**
 * Starts duckdb-wasm (exception-handling bundle) in a dedicated worker. Autoloading extensions is
 * turned off: offline it would fail (Parquet and JSON are not built into the wasm build).
 */
export async function openBrowserDatabase(): Promise<BrowserDatabase> {
  const worker = new Worker(ehWorkerUrl);
  const db = new AsyncDuckDB(new VoidLogger(), worker);
  await db.instantiate(ehWasmUrl);
  await db.open({});
  const setup = await db.connect();
  await setup.query('SET autoload_known_extensions=false; SET autoinstall_known_extensions=false');
  await setup.close();
  return {
    async connect() {
      const connection = await db.connect();
      return createWasmEngine(db, connection.useUnsafe((_bindings, id) => id));
    },
    async registerFile(name, bytes) {
      await db.registerFileBuffer(name, bytes);
    },
    async insertArrowIpc(table, bytes) {
      const connection = await db.connect();
      try {
        await connection.insertArrowFromIPCStream(bytes, { name: table, create: true });
      } finally {
        await connection.close();
      }
    },
    async terminate() {
      await db.terminate();
    },
  };
}
