import { UserInputError } from '../../base/errors';
import { sha256Hex } from '../../base/sha256';
import { stableStringify } from '../serialize';
import type { PipelineDoc, PipelineNode } from '../document';

/** What to run: every node, one node (re-run even when cached) with what it needs, or up to a node. */
export type RunTarget = { mode: 'all' } | { mode: 'node'; nodeId: string } | { mode: 'upTo'; nodeId: string };

/** Where an input port of a node is fed from. */
export interface PortSource {
  node: string;
  port: string;
}

/** The edges into `nodeId`, by input port. */
export function inputsOf(doc: PipelineDoc, nodeId: string): Map<string, PortSource> {
  const out = new Map<string, PortSource>();
  for (const e of doc.edges) if (e.to.node === nodeId) out.set(e.to.port, { node: e.from.node, port: e.from.port });
  return out;
}

/** Ids of `nodeId` and every node it depends on. */
export function ancestorsOf(doc: PipelineDoc, nodeId: string): Set<string> {
  const seen = new Set<string>();
  const stack = [nodeId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of doc.edges) if (e.to.node === id) stack.push(e.from.node);
  }
  return seen;
}

/** Ids of the nodes that depend on `nodeId` (not including it). */
export function descendantsOf(doc: PipelineDoc, nodeId: string): Set<string> {
  const seen = new Set<string>();
  const stack = [nodeId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const e of doc.edges) if (e.from.node === id && !seen.has(e.to.node)) { seen.add(e.to.node); stack.push(e.to.node); }
  }
  return seen;
}

/**
 * Nodes in an order where every node comes after its inputs; ties keep document order so the
 * order is stable. Throws when the graph has a loop (validateGraph reports it on the nodes).
 */
export function topologicalOrder(doc: PipelineDoc): PipelineNode[] {
  const indegree = new Map(doc.nodes.map((n) => [n.id, 0]));
  for (const e of doc.edges) if (indegree.has(e.to.node) && indegree.has(e.from.node)) indegree.set(e.to.node, indegree.get(e.to.node)! + 1);
  const order: PipelineNode[] = [];
  const done = new Set<string>();
  while (order.length < doc.nodes.length) {
    const next = doc.nodes.find((n) => !done.has(n.id) && indegree.get(n.id) === 0);
    if (!next) throw new UserInputError('This pipeline has a loop; a pipeline must flow one way.');
    done.add(next.id);
    order.push(next);
    for (const e of doc.edges) if (e.from.node === next.id && indegree.has(e.to.node)) indegree.set(e.to.node, indegree.get(e.to.node)! - 1);
  }
  return order;
}

/** The nodes a target needs, in execution order. Throws for an unknown node id. */
export function planNodes(doc: PipelineDoc, target: RunTarget): PipelineNode[] {
  const order = topologicalOrder(doc);
  if (target.mode === 'all') return order;
  if (!doc.nodes.some((n) => n.id === target.nodeId)) throw new UserInputError(`This pipeline has no node "${target.nodeId}".`);
  const needed = ancestorsOf(doc, target.nodeId);
  return order.filter((n) => needed.has(n.id));
}

/**
 * The content key of a node's output: a hash of its kind and params (canonical JSON, so key order
 * does not matter), the keys of what feeds each input port, and (sources) the data fingerprint.
 * Equal keys mean equal outputs, because every node is deterministic given its seed.
 */
export function nodeKey(node: PipelineNode, upstream: Readonly<Record<string, string>>, fingerprint?: string): string {
  return sha256Hex(stableStringify({ kind: node.kind, params: node.params, upstream, fingerprint: fingerprint ?? null }));
}
