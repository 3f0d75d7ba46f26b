import type { GraphBuilder } from '../onnx/builder';
import { float32Down } from '../onnx/float32';
import { attr } from '../onnx/types';
import type { TreeEnsemble } from '../ml/types';

/**
 * Emits an ai.onnx.ml TreeEnsembleRegressor giving the raw scores [N, nOutputs] of `ensemble`
 * (base score + sum or average of leaf values; no post transform — callers add it with standard
 * ops so classifiers and regressors share one path). Thresholds are rounded down to float32 so
 * that `x <= t32` ⇔ `x <= t64` for every float32 input; missing values follow `missingLeft`.
 */
export function compileTreeEnsemble(b: GraphBuilder, x: string, ensemble: TreeEnsemble): string {
  const nodes: Record<'tree' | 'id' | 'feature' | 'value' | 'left' | 'right' | 'missing', number[]> & { mode: string[] } = {
    tree: [], id: [], feature: [], value: [], mode: [], left: [], right: [], missing: [],
  };
  const targets: Record<'tree' | 'node' | 'id' | 'weight', number[]> = { tree: [], node: [], id: [], weight: [] };
  ensemble.trees.forEach((tree, t) => {
    for (let i = 0; i < tree.left.length; i++) {
      const isLeaf = tree.left[i] === -1;
      nodes.tree.push(t);
      nodes.id.push(i);
      nodes.feature.push(isLeaf ? 0 : tree.feature[i]!);
      nodes.value.push(isLeaf ? 0 : float32Down(tree.threshold[i]!));
      nodes.mode.push(isLeaf ? 'LEAF' : 'BRANCH_LEQ');
      nodes.left.push(isLeaf ? 0 : tree.left[i]!);
      nodes.right.push(isLeaf ? 0 : tree.right[i]!);
      nodes.missing.push(isLeaf ? 0 : tree.missingLeft[i]!);
      if (!isLeaf) continue;
      for (let k = 0; k < ensemble.nOutputs; k++) {
        targets.tree.push(t);
        targets.node.push(i);
        targets.id.push(k);
        targets.weight.push(tree.value[i * ensemble.nOutputs + k]!);
      }
    }
  });
  const raw = b.op('TreeEnsembleRegressor', [x], {
    n_targets: attr.int(ensemble.nOutputs),
    aggregate_function: attr.string(ensemble.aggregate === 'average' ? 'AVERAGE' : 'SUM'),
    base_values: attr.floats(ensemble.baseScore),
    post_transform: attr.string('NONE'),
    nodes_treeids: attr.ints(nodes.tree),
    nodes_nodeids: attr.ints(nodes.id),
    nodes_featureids: attr.ints(nodes.feature),
    nodes_values: attr.floats(nodes.value),
    nodes_modes: attr.strings(nodes.mode),
    nodes_truenodeids: attr.ints(nodes.left),
    nodes_falsenodeids: attr.ints(nodes.right),
    nodes_missing_value_tracks_true: attr.ints(nodes.missing),
    target_treeids: attr.ints(targets.tree),
    target_nodeids: attr.ints(targets.node),
    target_ids: attr.ints(targets.id),
    target_weights: attr.floats(targets.weight),
  }, 'ai.onnx.ml');
  return b.typed(raw, 'float', ['N', ensemble.nOutputs]);
}

/** Average path length of an unsuccessful BST search among n points: c(n) of Liu et al. (2008). */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + 0.5772156649015329) - (2 * (n - 1)) / n;
}
