import { isNodeKind, nodeSpec } from './catalog';
import type { PortSpec } from './catalog';
import type { PipelineDoc, PipelineNode } from './document';

/** One problem of a pipeline, attached to a node or an edge, in plain words. */
export interface PipelineIssue {
  nodeId?: string;
  edgeId?: string;
  severity: 'error' | 'warning';
  message: string;
}

const typeWords = { table: 'a table', model: 'a model', predictions: 'predictions', metrics: 'metrics' } as const;

function nodeName(node: PipelineNode): string {
  return node.label ?? (isNodeKind(node.kind) ? nodeSpec(node.kind).label : node.kind);
}

/**
 * All problems of a pipeline: unknown kinds, invalid parameters, edges to missing nodes or ports,
 * ports of different types, two edges into one input, required inputs left empty, and cycles
 * (errors); fitted preprocessing placed before a Split (a warning). No errors means the graph can run. Pure and cheap: call it after every op.
 */
export function validateGraph(doc: PipelineDoc): PipelineIssue[] {
  const issues: PipelineIssue[] = [];
  const byId = new Map<string, PipelineNode>();
  for (const node of doc.nodes) {
    if (byId.has(node.id)) issues.push({ nodeId: node.id, severity: 'error', message: `Two nodes share the id "${node.id}".` });
    byId.set(node.id, node);
    issues.push(...paramIssues(node));
  }
  const fed = new Map<string, string>();
  for (const edge of doc.edges) {
    const from = byId.get(edge.from.node), to = byId.get(edge.to.node);
    if (!from || !to) {
      issues.push({ edgeId: edge.id, severity: 'error', message: `This connection points to a node that no longer exists ("${from ? edge.to.node : edge.from.node}").` });
      continue;
    }
    const out = ports(from, 'outputs').find((p) => p.name === edge.from.port);
    const inp = ports(to, 'inputs').find((p) => p.name === edge.to.port);
    if (!out) { issues.push({ edgeId: edge.id, nodeId: from.id, severity: 'error', message: `${nodeName(from)} has no output called "${edge.from.port}".` }); continue; }
    if (!inp) { issues.push({ edgeId: edge.id, nodeId: to.id, severity: 'error', message: `${nodeName(to)} has no input called "${edge.to.port}".` }); continue; }
    if (out.type !== inp.type) {
      issues.push({ edgeId: edge.id, nodeId: to.id, severity: 'error', message: `${nodeName(from)} gives ${typeWords[out.type]}, but the "${inp.name}" input of ${nodeName(to)} needs ${typeWords[inp.type]}.` });
    }
    const key = `${to.id}\u0000${inp.name}`;
    if (fed.has(key)) issues.push({ edgeId: edge.id, nodeId: to.id, severity: 'error', message: `The "${inp.name}" input of ${nodeName(to)} has more than one connection; keep one.` });
    fed.set(key, edge.id);
    if (from.id === to.id) issues.push({ edgeId: edge.id, nodeId: to.id, severity: 'error', message: `${nodeName(to)} is connected to itself.` });
  }
  for (const node of doc.nodes) {
    for (const p of ports(node, 'inputs')) {
      if (p.required && !fed.has(`${node.id}\u0000${p.name}`)) issues.push({ nodeId: node.id, severity: 'error', message: `${nodeName(node)} needs ${typeWords[p.type]} connected to its "${p.name}" input.` });
    }
  }
  issues.push(...preSplitIssues(doc, byId));
  for (const id of cycleNodes(doc)) {
    const node = byId.get(id);
    if (node) issues.push({ nodeId: id, severity: 'error', message: `${nodeName(node)} is part of a loop; a pipeline must flow one way.` });
  }
  return issues;
}

/**
 * Preprocessing that learns from data (runtime 'onnx') upstream of a Split sees the test rows
 * (leakage), and its graph then wants the rows from before it, which the Split's test output no
 * longer has. SQL-runtime steps (lag, rolling) belong there, so they are not flagged.
 */
function preSplitIssues(doc: PipelineDoc, byId: ReadonlyMap<string, PipelineNode>): PipelineIssue[] {
  const upstream = new Map<string, string[]>();
  for (const e of doc.edges) upstream.set(e.to.node, [...(upstream.get(e.to.node) ?? []), e.from.node]);
  const flagged = new Set<string>();
  for (const split of doc.nodes.filter((n) => n.kind === 'split')) {
    const seen = new Set<string>();
    const queue = [...(upstream.get(split.id) ?? [])];
    while (queue.length > 0) {
      const id = queue.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const node = byId.get(id);
      if (node && isNodeKind(node.kind) && nodeSpec(node.kind).category === 'preprocess' && nodeSpec(node.kind).runtime === 'onnx') flagged.add(id);
      queue.push(...(upstream.get(id) ?? []));
    }
  }
  return [...flagged].sort().map((id) => ({
    nodeId: id, severity: 'warning' as const,
    message: `${nodeName(byId.get(id)!)} comes before the Split, so it learns from the test rows too and Evaluate cannot feed its model the raw rows. Move it after the Split.`,
  }));
}

function ports(node: PipelineNode, side: 'inputs' | 'outputs'): PortSpec[] {
  return isNodeKind(node.kind) ? nodeSpec(node.kind)[side] : [];
}

function paramIssues(node: PipelineNode): PipelineIssue[] {
  if (!isNodeKind(node.kind)) return [{ nodeId: node.id, severity: 'error', message: `Vajra does not know the node kind "${String(node.kind)}".` }];
  const result = nodeSpec(node.kind).params.safeParse(node.params);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? `"${issue.path.map(String).join('.')}"` : 'the settings';
    return { nodeId: node.id, severity: 'error' as const, message: `${nodeName(node)}: ${where} ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}.`.replace(/\.\.$/, '.') };
  });
}

/** Ids of nodes that sit on a directed cycle (Tarjan's strongly connected components). */
function cycleNodes(doc: PipelineDoc): string[] {
  const next = new Map<string, string[]>(doc.nodes.map((n) => [n.id, []]));
  for (const e of doc.edges) next.get(e.from.node)?.push(e.to.node);
  const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], onStack = new Set<string>();
  const result: string[] = [];
  let counter = 0;
  function visit(v: string): void {
    index.set(v, counter); low.set(v, counter); counter++;
    stack.push(v); onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string | undefined;
    do { w = stack.pop(); if (w !== undefined) { onStack.delete(w); component.push(w); } } while (w !== undefined && w !== v);
    if (component.length > 1 || (next.get(v) ?? []).includes(v)) result.push(...component);
  }
  for (const n of doc.nodes) if (!index.has(n.id)) visit(n.id);
  return result.sort();
}
