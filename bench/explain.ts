// Explanations: exact TreeSHAP speed on a 100-tree depth-6 ensemble, and permutation importance
// through the compiled ONNX (what the Explain node runs) vs sklearn's permutation_importance on
// the same trees and rows.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { createRng } from '../app/base/rng';
import { permutationImportance } from '../app/explain/permutation';
import type { RawTable } from '../app/explain/table';
import { treeShap } from '../app/explain/tree-shap';
import { rocAuc } from '../app/ml/metrics';
import { fitHistGradientBoostingClassifier } from '../app/ml/trees/hist-gbdt';
import type { Matrix, TreeEnsemble } from '../app/ml/types';
import { compilePipeline } from '../app/pipeline/compile';
import { timeIt, type BenchRow } from './types';

const here = fileURLToPath(new URL('.', import.meta.url));
const COLS = 10;

function dataset(rows: number): { x: Matrix; y: Float64Array } {
  const rng = createRng(7);
  const data = Float64Array.from({ length: rows * COLS }, () => Math.fround(rng.normal()));
  const y = Float64Array.from({ length: rows }, (_, r) => (data[r * COLS]! + 0.5 * data[r * COLS + 1]! * data[r * COLS + 2]! - 0.3 * data[r * COLS + 3]! + 0.5 * rng.normal() > 0 ? 1 : 0));
  return { x: { rows, cols: COLS, data }, y };
}

function pythonPermutation(ensemble: TreeEnsemble, x: Matrix, y: Float64Array): Promise<{ ms: number; importances: number[] }> {
  const rows = Array.from({ length: x.rows }, (_, r) => Array.from(x.data.subarray(r * COLS, (r + 1) * COLS)));
  const trees = ensemble.trees.map((t) => ({ feature: [...t.feature], threshold: [...t.threshold], left: [...t.left], right: [...t.right], missing_left: [...t.missingLeft], value: [...t.value] }));
  return new Promise((done, fail) => {
    const child = execFile('/usr/bin/python3', [`${here}python/explain_permutation.py`], { maxBuffer: 1 << 26 }, (error, stdout) => (error ? fail(error) : done(JSON.parse(stdout) as { ms: number; importances: number[] })));
    child.stdin!.end(JSON.stringify({ x: rows, y: [...y], trees, base: ensemble.baseScore[0] }));
  });
}

/** TreeSHAP for 1,000 rows of a 100-tree depth-6 ensemble; permutation importance vs sklearn. */
export async function benchExplain(): Promise<BenchRow[]> {
  const train = dataset(5000);
  const model = fitHistGradientBoostingClassifier(train.x, train.y, { maxIter: 100, maxDepth: 6, maxLeafNodes: 64, earlyStopping: false }, { seed: 0 }).model;
  if (model.kind !== 'treeClassifier') throw new Error('expected a tree classifier');
  const test = dataset(1000);
  const shapMs = await timeIt(() => treeShap(model.ensemble, test.x), 3);
  const bytes = compilePipeline({ pipelineId: 'bench-explain', columns: Array.from({ length: COLS }, (_, c) => ({ name: `f${c}`, type: 'number' as const })), steps: [], model });
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const raw: RawTable = { names: Array.from({ length: COLS }, (_, c) => `f${c}`), rows: test.x.rows, columns: Array.from({ length: COLS }, (_, c) => Float64Array.from({ length: test.x.rows }, (_, r) => test.x.data[r * COLS + c]!)) };
  const predict = async (t: RawTable): Promise<Float64Array> => {
    const feeds = Object.fromEntries(t.names.map((n, c) => [n, new ort.Tensor('float32', Float32Array.from(t.columns[c] as Float64Array), [t.rows, 1])]));
    const out = await session.run(feeds, ['probabilities']);
    const p = out['probabilities']!.data as Float32Array;
    return Float64Array.from({ length: t.rows }, (_, r) => p[2 * r + 1]!);
  };
  const permMs = await timeIt(() => permutationImportance(predict, raw, test.y, (yt, p) => rocAuc(yt, p, 1), { repeats: 5, seed: 0 }), 3);
  const sk = await pythonPermutation(model.ensemble, test.x, test.y);
  const trees = model.ensemble.trees.length;
  return [
    { suite: 'explain', case: `exact TreeSHAP, 1,000 rows × ${trees} trees depth ≤ 6 (${COLS} features)`, vajra: shapMs, unit: 'ms', target: '< 1 s', note: 'path-dependent, all rows' },
    { suite: 'explain', case: `permutation importance, 1,000 rows × ${COLS} columns, n_repeats 5 (ONNX)`, vajra: permMs, anchor: { name: 'sklearn permutation_importance (same trees)', value: sk.ms }, unit: 'ms', target: '≤ 1.0× sklearn', maxRatio: 1.0 },
  ];
}
