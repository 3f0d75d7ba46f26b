// Scores rows in the browser with onnxruntime-web (WebAssembly): no server, the same model file
// and the same input checks as the bundle server. Serve the bundle folder over HTTP (the page
// fetches ../model.onnx and ../serving.json) and open web/index.html.
//
//   import { createWebScorer } from './score.js';
//   const scorer = await createWebScorer();
//   const predictions = await scorer.score([{ age: 41, city: 'Pune' }]);

import { encodeRecords, inputDims, toRecords } from './schema.js';

/**
 * Loads onnxruntime-web: from `./ort/` when the bundle ships it (offline and edge use: copy
 * node_modules/onnxruntime-web/dist/ort.wasm.min.mjs and ort-wasm-simd-threaded.* there),
 * otherwise from the jsDelivr CDN at the version the bundle was tested with.
 */
export async function loadOrt(version) {
  const local = new URL('./ort/', import.meta.url).href;
  try {
    const ort = await import(`${local}ort.wasm.min.mjs`);
    ort.env.wasm.wasmPaths = local;
    return ort;
  } catch {
    const cdn = `https://cdn.jsdelivr.net/npm/onnxruntime-web@${version}/dist/`;
    const ort = await import(`${cdn}ort.wasm.min.mjs`);
    ort.env.wasm.wasmPaths = cdn;
    return ort;
  }
}

/**
 * A model with lag/rolling inputs (serving.json `derived`) needs DuckDB SQL over the rows' history
 * to compute them, which this scorer does not run: rows must carry those columns already (null
 * where there is no history). Rows without them are refused in plain words, never scored as NaN.
 * Raw columns only the SQL reads (a lagged target) are dropped.
 */
function derivedRows(spec, rows) {
  const d = spec.derived;
  if (!d || !Array.isArray(rows)) return rows;
  const absent = d.columns.filter((c) => rows.some((r) => r === null || typeof r !== 'object' || !(c in r)));
  if (absent.length > 0) {
    throw new Error(`This model's inputs ${absent.join(', ')} are lag/rolling columns that DuckDB computes from the rows' history (serving.json derived.sql); the browser scorer cannot run that SQL. Give every row those columns (null where there is no history), or score raw rows with the bundle's server or batch/score.js.`);
  }
  const known = new Set(spec.inputs.map((i) => i.name));
  const sqlOnly = d.sources.filter((c) => !known.has(c));
  return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !sqlOnly.includes(k))));
}

/** Creates a scorer: `score(rows)` takes row objects and resolves to one record per row. */
export async function createWebScorer({ bundleUrl = new URL('../', import.meta.url).href } = {}) {
  const spec = await (await fetch(new URL('serving.json', bundleUrl))).json();
  const ort = await loadOrt(spec.versions?.['onnxruntime-web'] ?? '1.30.0');
  ort.env.wasm.numThreads = 1; // threads need cross-origin isolation, which a static host rarely has
  const model = new Uint8Array(await (await fetch(new URL('model.onnx', bundleUrl))).arrayBuffer());
  const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
  return {
    spec,
    async score(rows) {
      const buffers = encodeRecords(spec, derivedRows(spec, rows), 'rows');
      const feeds = {};
      spec.inputs.forEach((input, i) => {
        feeds[input.name] = new ort.Tensor(input.tensorType, buffers[i], inputDims(input, rows.length));
      });
      return toRecords(spec, await session.run(feeds), rows.length);
    },
  };
}
