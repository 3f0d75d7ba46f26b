// Bundles the Electron main process and preload into dist/electron/ (CommonJS where Electron's
// sandboxed preload requires it). Native modules stay external.
import { build } from 'esbuild';

const external = ['electron', '@duckdb/node-api', '@duckdb/node-bindings', 'onnxruntime-node', 'ws', 'bufferutil', 'utf-8-validate'];

/** An ES module for Node 22 with `require` available to bundled CommonJS dependencies. */
const esm = (entry, outfile) => build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  external,
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});

await esm('main/electron/main.ts', 'dist/electron/main.mjs');
// Worker threads run bundled next to main.mjs (see main/backend/worker-entry.ts).
for (const [entry, name] of [['main/backend/pipeline/train.worker.ts', 'train'], ['main/backend/text-labels/retrain.worker.ts', 'retrain']]) {
  await esm(entry, `dist/electron/${name}.worker.mjs`);
}
await build({
  entryPoints: ['main/preload/preload.ts'],
  outfile: 'dist/electron/preload.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['electron'],
  logLevel: 'warning',
});
console.log('built dist/electron/main.mjs, the worker bundles and dist/electron/preload.cjs');
