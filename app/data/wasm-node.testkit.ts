import * as duckdbWasm from '@duckdb/duckdb-wasm/blocking';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Engine } from './engine';
import { createWasmEngine } from './wasm-engine';

/** duckdb-wasm's blocking Node build behind the Engine interface (the build that works in Node); for tests and bench/. */
export async function openWasmEngine(): Promise<Engine> {
  const dist = dirname(createRequire(import.meta.url).resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
  const bundles = {
    mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: join(dist, 'duckdb-node-eh.worker.cjs') },
  };
  const db = await duckdbWasm.createDuckDB(bundles, new duckdbWasm.VoidLogger(), duckdbWasm.NODE_RUNTIME);
  await db.instantiate(() => undefined);
  const id = db.connect().useUnsafe((_bindings, conn) => conn);
  const engine = createWasmEngine(db, id, { yieldBetweenPolls: () => new Promise((resolve) => setImmediate(resolve)) });
  await engine.exec('SET autoload_known_extensions=false');
  return engine;
}
