import type { ComponentType } from 'react';
import type { PipelineOutput } from '../../app/protocol/methods/pipeline';

/** What a node-output view receives: the output, the pipeline file and the node. */
export interface OutputViewProps<K extends PipelineOutput['kind']> {
  output: Extract<PipelineOutput, { kind: K }>;
  path: string;
  nodeId: string;
}

/**
 * Views of node-output kinds that a feature other than the canvas owns (the shell fills this,
 * so the canvas mounts them without importing another feature).
 */
export const outputViews: { explanations?: ComponentType<OutputViewProps<'explanations'>> } = {};
