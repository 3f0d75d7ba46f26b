// Batch scoring of one compiled Vajra model: onnxruntime-web (wasm, what the browser and the
// exported web scorer run) vs onnxruntime-node (what the desktop app and the bundle server run).
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { createRng } from '../app/base/rng';
import type { FittedModel } from '../app/ml/types';
import { compilePipeline } from '../app/pipeline/compile';
import { timeIt, type BenchRow } from './types';

type Feeds = Record<string, { data: Float32Array; dims: number[] }>;

function randomColumns(cols: number, rows: number): Feeds {
  const rng = createRng(11);
  const feeds: Feeds = {};
  for (let c = 0; c < cols; c++) feeds[`f${c}`] = { data: Float32Array.from({ length: rows }, () => rng.normal()), dims: [rows, 1] };
  return feeds;
}

/** Times scoring `rows` rows in one batch through both runtimes (one thread each), same model bytes. */
export async function benchOnnxScoring(model: FittedModel, cols: number, rows: number): Promise<BenchRow[]> {
  const bytes = compilePipeline({
    pipelineId: 'bench-gbdt',
    columns: Array.from({ length: cols }, (_, c) => ({ name: `f${c}`, type: 'number' as const })),
    steps: [],
    model,
  });
  const feeds = randomColumns(cols, rows);
  const node = await ortNode.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const nodeFeeds = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ortNode.Tensor('float32', v.data, v.dims)]));
  ortWeb.env.wasm.numThreads = 1;
  const web = await ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const webFeeds = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ortWeb.Tensor('float32', v.data, v.dims)]));

  const nodeMs = await timeIt(() => node.run(nodeFeeds), 5);
  const webMs = await timeIt(() => web.run(webFeeds), 5);
  const nodeOut = await node.run(nodeFeeds);
  const webOut = await web.run(webFeeds);
  const name = node.outputNames.find((n) => n === 'probabilities') ?? node.outputNames[0]!;
  const a = nodeOut[name]!.data as Float32Array, b = webOut[name]!.data as Float32Array;
  let maxDiff = 0;
  for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
  await node.release();
  await web.release();
  const trees = model.kind === 'treeClassifier' ? model.ensemble.trees.length : 0;
  return [{
    suite: 'ml',
    case: `batch scoring ${rows.toLocaleString('en')} rows, GBDT ${trees} trees (ONNX TreeEnsemble): onnxruntime-web`,
    vajra: webMs, anchor: { name: 'onnxruntime-node', value: nodeMs }, unit: 'ms', target: '≤ 2× node', maxRatio: 2,
    note: `1 thread each; max |Δ ${name}| ${maxDiff.toExponential(1)}`,
  }];
}
