import { UserInputError } from '../../../app/base/errors';
import type { CancelSignal } from '../../../app/base/signal';
import type { PipelineDoc } from '../../../app/pipeline/document';
import { explainRow } from '../../../app/pipeline/run/explain-row';
import type { RowExplanation } from '../../../app/pipeline/run/explain-row';
import { inputsOf } from '../../../app/pipeline/run/plan';
import type { NodeOutputs, OnnxScorer } from '../../../app/pipeline/run/types';

/**
 * The what-if of an Explain node of an execution: finds the node's explainer and the model on
 * its `model` input, then explains `values` (one row by raw column name).
 */
export async function explainRowOf(doc: PipelineDoc, outputs: ReadonlyMap<string, NodeOutputs>, nodeId: string, values: Readonly<Record<string, number | string | null>>, env: { score: OnnxScorer; signal?: CancelSignal }): Promise<RowExplanation> {
  const explained = Object.values(outputs.get(nodeId) ?? {}).find((v) => v.type === 'explanations');
  if (explained?.type !== 'explanations') throw new UserInputError('This node has no explanations in the last execution; run it first.');
  if (!explained.explainer) throw new UserInputError('What-if needs an exact explainer; this model (an imported ONNX) is explained by Kernel SHAP only on the test rows.');
  const from = inputsOf(doc, nodeId).get('model');
  const model = from ? outputs.get(from.node)?.[from.port] : undefined;
  if (model?.type !== 'model') throw new UserInputError('The model of this Explain node is not in the last execution.');
  return explainRow(model, explained.explainer, values, env);
}
