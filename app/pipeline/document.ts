import type { NodeKind } from './catalog';

/** What flows along an edge. Ports only connect when their types are equal. */
export type PortType = 'table' | 'model' | 'predictions' | 'metrics';

/** Canvas position of a node, in canvas units (pixels at zoom 1). */
export interface NodePosition {
  x: number;
  y: number;
}

/** One node of a pipeline: its kind (see the catalog) and its parameters as plain JSON. */
export interface PipelineNode {
  id: string;
  kind: NodeKind;
  params: Record<string, unknown>;
  position: NodePosition;
  /** A user-given name shown instead of the catalog label. */
  label?: string;
}

/** A connection from an output port of one node to an input port of another. */
export interface PipelineEdge {
  id: string;
  from: { node: string; port: string };
  to: { node: string; port: string };
}

/** The `NAME.pipeline.json` document. `version` changes only with an incompatible format. */
export interface PipelineDoc {
  version: 1;
  id: string;
  name: string;
  nodes: PipelineNode[];
  edges: PipelineEdge[];
}

/** An empty pipeline. */
export function createPipeline(id: string, name: string): PipelineDoc {
  return { version: 1, id, name, nodes: [], edges: [] };
}
