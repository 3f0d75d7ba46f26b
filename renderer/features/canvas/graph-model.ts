import { isNodeKind, nodeSpec, type NodeKind, type PortSpec } from '../../../app/pipeline/catalog';
import type { PipelineDoc, PipelineEdge, PipelineNode, PortType } from '../../../app/pipeline/document';
import type { PipelineOp } from '../../../app/pipeline/ops';

/** A proposed connection as React Flow reports it (handle ids are port names). */
export interface ConnectionLike {
  source: string | null;
  sourceHandle?: string | null;
  target: string | null;
  targetHandle?: string | null;
}

/** Input or output ports of a node (none for an unknown kind). */
export function portsOf(node: PipelineNode, side: 'inputs' | 'outputs'): PortSpec[] {
  return isNodeKind(node.kind) ? nodeSpec(node.kind)[side] : [];
}

/** The display name of a node: its label, else the catalog label. */
export function nodeTitle(node: PipelineNode): string {
  return node.label ?? (isNodeKind(node.kind) ? nodeSpec(node.kind).label : node.kind);
}

/** The id the example pipelines use for an edge: `from.port->to.port`. */
export function edgeIdOf(from: PipelineEdge['from'], to: PipelineEdge['to']): string {
  return `${from.node}.${from.port}->${to.node}.${to.port}`;
}

function reaches(doc: PipelineDoc, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of doc.edges) if (e.from.node === id) stack.push(e.to.node);
  }
  return false;
}

/**
 * Why a connection is refused, or null when it may be made: ports must exist and carry the same
 * type, a node cannot feed itself, and no loop may form. An input that is already fed is not a
 * reason: connecting replaces its edge (`connectOp`).
 */
export function connectionProblem(doc: PipelineDoc, c: ConnectionLike): string | null {
  const from = doc.nodes.find((n) => n.id === c.source), to = doc.nodes.find((n) => n.id === c.target);
  if (!from || !to) return 'Both ends must be nodes.';
  if (from.id === to.id) return 'A node cannot feed itself.';
  const out = portsOf(from, 'outputs').find((p) => p.name === c.sourceHandle);
  const inp = portsOf(to, 'inputs').find((p) => p.name === c.targetHandle);
  if (!out || !inp) return 'Connect an output (right side) to an input (left side).';
  if (out.type !== inp.type) return `${nodeTitle(from)} gives ${out.type}, but "${inp.name}" needs ${inp.type}.`;
  if (reaches(doc, to.id, from.id)) return 'This would make a loop.';
  return null;
}

/** The op that makes a connection, replacing any edge already feeding that input (one undo step). */
export function connectOp(doc: PipelineDoc, from: PipelineEdge['from'], to: PipelineEdge['to']): PipelineOp {
  const edge: PipelineEdge = { id: edgeIdOf(from, to), from, to };
  const replaced = doc.edges.filter((e) => e.to.node === to.node && e.to.port === to.port);
  if (replaced.length === 0) return { type: 'connect', edge };
  return { type: 'batch', ops: [...replaced.map((e): PipelineOp => ({ type: 'disconnect', edgeId: e.id })), { type: 'connect', edge }] };
}

/** A fresh node id for `kind`: a short slug of its label, numbered when taken ("split", "split-2"). */
export function freshNodeId(doc: PipelineDoc, kind: NodeKind): string {
  const base = nodeSpec(kind).label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'node';
  const taken = new Set(doc.nodes.map((n) => n.id));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/**
 * For a node added by click after `after`: the first output of `after` whose type one of the new
 * kind's inputs takes, as the edge ends (split's `train` feeds a model's `train`).
 */
export function autoConnection(after: PipelineNode, kind: NodeKind, newId: string): { from: PipelineEdge['from']; to: PipelineEdge['to'] } | null {
  for (const inp of nodeSpec(kind).inputs) {
    const out = portsOf(after, 'outputs').find((p) => p.type === inp.type);
    if (out) return { from: { node: after.id, port: out.name }, to: { node: newId, port: inp.name } };
  }
  return null;
}

/** Outputs of other nodes that could feed `nodeId`'s input `port` (for the keyboard connect path). */
export function candidateSources(doc: PipelineDoc, nodeId: string, port: string): Array<{ node: PipelineNode; port: string; type: PortType }> {
  return doc.nodes.flatMap((node) => portsOf(node, 'outputs')
    .filter((out) => connectionProblem(doc, { source: node.id, sourceHandle: out.name, target: nodeId, targetHandle: port }) === null)
    .map((out) => ({ node, port: out.name, type: out.type })));
}

/** The edge feeding an input, if any. */
export function feedingEdge(doc: PipelineDoc, nodeId: string, port: string): PipelineEdge | undefined {
  return doc.edges.find((e) => e.to.node === nodeId && e.to.port === port);
}

/**
 * The nearest upstream node (through table inputs) whose columns `known` holds, starting with the
 * node feeding `nodeId`'s first table input. Column pickers list those columns.
 */
export function upstreamColumns<C>(doc: PipelineDoc, nodeId: string, known: (nodeId: string, port: string) => C[] | undefined): C[] {
  const seen = new Set<string>();
  let current = doc.nodes.find((n) => n.id === nodeId);
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    const tablePort = portsOf(current, 'inputs').find((p) => p.type === 'table');
    const edge = tablePort ? feedingEdge(doc, current.id, tablePort.name) : undefined;
    if (!edge) return [];
    const columns = known(edge.from.node, edge.from.port);
    if (columns) return columns;
    current = doc.nodes.find((n) => n.id === edge.from.node);
  }
  return [];
}

/** Node ids from `nodeId` back to the sources, so a "run to here" highlight or column lookup can follow them. */
export function ancestors(doc: PipelineDoc, nodeId: string): Set<string> {
  const out = new Set<string>();
  const stack = [nodeId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const e of doc.edges) if (e.to.node === id && !out.has(e.from.node)) { out.add(e.from.node); stack.push(e.from.node); }
  }
  return out;
}
