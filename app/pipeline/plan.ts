import { UserInputError } from '../base/errors';
import { nodeCatalog } from './catalog';
import type { PipelineNode } from './document';
import type { StepSpec } from './steps/types';
import type { WindowSpec } from './steps/window-sql';

/**
 * The preprocessing step a canvas node stands for, with its parameters checked and defaults
 * filled; `null` for kinds that are not ONNX preprocessing steps (sources, splits, lag/rolling
 * which run in SQL, models, evaluation). Throws UserInputError on invalid parameters.
 */
export function stepSpecOf(node: PipelineNode): StepSpec | null {
  const p = node.params;
  try {
    switch (node.kind) {
      case 'impute': return { kind: 'impute', ...nodeCatalog.impute.params.parse(p) };
      case 'scale': return { kind: 'scale', ...nodeCatalog.scale.params.parse(p) };
      case 'oneHot': return { kind: 'oneHot', ...nodeCatalog.oneHot.params.parse(p) };
      case 'ordinal': return { kind: 'ordinal', ...nodeCatalog.ordinal.params.parse(p) };
      case 'bucketize': return { kind: 'bucketize', ...nodeCatalog.bucketize.params.parse(p) };
      case 'log1p': return { kind: 'log1p', ...nodeCatalog.log1p.params.parse(p) };
      case 'cyclic': return { kind: 'cyclic', ...nodeCatalog.cyclic.params.parse(p) };
      case 'textVectorizer': {
        const { mode, nFeatures, alternateSign, ...t } = nodeCatalog.textVectorizer.params.parse(p);
        return mode === 'hashing'
          ? { kind: 'hashingVectorizer', column: t.column, lowercase: t.lowercase, minTokenLength: t.minTokenLength, nFeatures, alternateSign }
          : { kind: 'textVectorizer', mode, ...t };
      }
      case 'selectColumns': return { kind: 'selectColumns', ...nodeCatalog.selectColumns.params.parse(p) };
      case 'featureSelect': {
        const f = nodeCatalog.featureSelect.params.parse(p);
        return f.method === 'variance' ? { kind: 'featureSelect', method: 'variance', threshold: f.threshold } : { kind: 'featureSelect', method: 'kbest', k: f.k, score: f.score };
      }
      default: return null;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UserInputError(`The settings of node "${node.label ?? node.id}" are not valid: ${message}`, { nodeId: node.id });
  }
}

/**
 * The SQL window features a lag or rolling node stands for, parameters checked and defaults
 * filled; `null` for every other kind. Throws UserInputError on invalid parameters.
 */
export function windowSpecOf(node: PipelineNode): WindowSpec | null {
  try {
    switch (node.kind) {
      case 'lag': return { kind: 'lag', ...nodeCatalog.lag.params.parse(node.params) };
      case 'rolling': return { kind: 'rolling', ...nodeCatalog.rolling.params.parse(node.params) };
      default: return null;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UserInputError(`The settings of node "${node.label ?? node.id}" are not valid: ${message}`, { nodeId: node.id });
  }
}
