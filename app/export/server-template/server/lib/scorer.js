// One onnxruntime-node session over the bundle's model.onnx, fed with buffers from schema.js.
//
// Requests that arrive together are scored together (dynamic batching): every small request
// that arrives before the event loop gets back to the queue joins one session.run, and each
// caller gets its own rows back. A run costs far more than a row for small models (each graph
// input is a separate tensor), so under concurrent load this multiplies throughput, while a lone
// request waits only for one setImmediate turn.

import ort from 'onnxruntime-node';
import { inputDims } from './schema.js';

/** Requests larger than this run alone; batches stop growing past it. */
const MAX_BATCH_ROWS = 512;

function concat(input, parts, total) {
  if (parts.length === 1) return parts[0];
  if (input.tensorType === 'string') return parts.flat();
  const out = new parts[0].constructor(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Rows [from, from + n) of an output tensor, as a tensor-like `{dims, data}`. */
function sliceRows(tensor, from, n) {
  const width = tensor.dims.length === 2 ? tensor.dims[1] : 1;
  const data = tensor.data.subarray ? tensor.data.subarray(from * width, (from + n) * width) : tensor.data.slice(from * width, (from + n) * width);
  return { dims: tensor.dims.length === 2 ? [n, width] : [n], data };
}

/**
 * Loads the model with one intra-op thread (serving runs many small requests; more threads cost
 * more than they give on a shared machine). `run(buffers, n, names?)` scores one request
 * directly; `score(buffers, n)` joins the current batch and resolves to this request's outputs.
 */
export async function createScorer(spec, modelPath, threads = 1) {
  const session = await ort.InferenceSession.create(modelPath, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const allOutputs = spec.outputs.map((o) => o.name);

  function run(buffers, n, names = allOutputs) {
    const feeds = {};
    for (let i = 0; i < spec.inputs.length; i++) {
      const input = spec.inputs[i];
      feeds[input.name] = new ort.Tensor(input.tensorType, buffers[i], inputDims(input, n));
    }
    return session.run(feeds, names);
  }

  let queue = [];
  let queuedRows = 0;

  async function flush() {
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    queuedRows = 0;
    const total = batch.reduce((s, r) => s + r.n, 0);
    try {
      const buffers = spec.inputs.map((input, i) => concat(input, batch.map((r) => r.buffers[i]), total));
      const results = await run(buffers, total);
      let from = 0;
      for (const r of batch) {
        const own = {};
        for (const name of allOutputs) own[name] = batch.length === 1 ? results[name] : sliceRows(results[name], from, r.n);
        from += r.n;
        r.resolve(own);
      }
    } catch (error) {
      for (const r of batch) r.reject(error);
    }
  }

  function score(buffers, n) {
    if (n > MAX_BATCH_ROWS) return run(buffers, n);
    return new Promise((resolve, reject) => {
      if (queuedRows + n > MAX_BATCH_ROWS) void flush();
      if (queue.length === 0) setImmediate(flush);
      queue.push({ buffers, n, resolve, reject });
      queuedRows += n;
    });
  }

  return {
    version: ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown',
    run,
    score,
    release: () => session.release(),
  };
}
