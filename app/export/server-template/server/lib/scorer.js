// One onnxruntime-node session over the bundle's model.onnx, fed with buffers from schema.js.

import ort from 'onnxruntime-node';
import { inputDims } from './schema.js';

/**
 * Loads the model with one intra-op thread (serving runs many small requests; more threads cost
 * more than they give on a shared machine). `run(buffers, n, names?)` resolves to output tensors.
 */
export async function createScorer(spec, modelPath, threads = 1) {
  const session = await ort.InferenceSession.create(modelPath, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const allOutputs = spec.outputs.map((o) => o.name);
  return {
    version: ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown',
    run(buffers, n, names = allOutputs) {
      const feeds = {};
      for (let i = 0; i < spec.inputs.length; i++) {
        const input = spec.inputs[i];
        feeds[input.name] = new ort.Tensor(input.tensorType, buffers[i], inputDims(input, n));
      }
      return session.run(feeds, names);
    },
    release: () => session.release(),
  };
}
