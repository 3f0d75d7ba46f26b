import type { PipelineDoc } from '../document';
import type { Execution } from './execute';
import type { Evaluation } from './evaluate';
import type { ModelValue } from './types';

/**
 * The compiled model an execution evaluated: the model feeding the first Evaluate node, or the
 * best model of the first Sweep node, in document order. Undefined when neither ran.
 */
export function evaluatedModel(doc: PipelineDoc, execution: Execution): ModelValue | undefined {
  for (const node of doc.nodes) {
    if (node.kind === 'sweep') {
      const best = execution.outputs.get(node.id)?.['model'];
      if (best?.type === 'model') return best;
    }
    if (node.kind !== 'evaluate') continue;
    const edge = doc.edges.find((e) => e.to.node === node.id && e.to.port === 'model');
    const model = edge ? execution.outputs.get(edge.from.node)?.[edge.from.port] : undefined;
    if (model?.type === 'model') return model;
  }
  return undefined;
}

/** The evaluation of the first Evaluate (or Sweep) node that produced metrics, in document order. */
export function firstEvaluation(doc: PipelineDoc, execution: Execution): Evaluation | undefined {
  for (const node of doc.nodes) {
    const value = execution.outputs.get(node.id)?.['metrics'];
    if (value?.type === 'metrics') return value.evaluation;
  }
  return undefined;
}
