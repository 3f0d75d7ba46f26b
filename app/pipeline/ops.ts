import { assertNever } from '../base/assert';
import { UserInputError } from '../base/errors';
import type { NodePosition, PipelineDoc, PipelineEdge, PipelineNode } from './document';

/** An edit of a pipeline as data: what undo, autosave and collaboration build on. */
export type PipelineOp =
  /** `index`: position in `nodes` (default: the end), so undo restores the exact order. */
  | { type: 'addNode'; node: PipelineNode; index?: number }
  | { type: 'removeNode'; nodeId: string }
  | { type: 'connect'; edge: PipelineEdge; index?: number }
  | { type: 'disconnect'; edgeId: string }
  /** Sets one parameter; `value: undefined` removes it. */
  | { type: 'setParam'; nodeId: string; key: string; value: unknown }
  | { type: 'setParams'; nodeId: string; params: Record<string, unknown> }
  | { type: 'moveNode'; nodeId: string; position: NodePosition }
  /** Sets the user label; `undefined` goes back to the catalog label. */
  | { type: 'renameNode'; nodeId: string; label: string | undefined }
  | { type: 'renamePipeline'; name: string }
  /** Several ops applied in order as one step (one undo entry). */
  | { type: 'batch'; ops: PipelineOp[] };

function insertAt<T>(items: readonly T[], item: T, index: number | undefined): T[] {
  const at = index === undefined ? items.length : Math.max(0, Math.min(index, items.length));
  return [...items.slice(0, at), item, ...items.slice(at)];
}

function findNode(doc: PipelineDoc, nodeId: string): PipelineNode {
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node) throw new UserInputError(`There is no node "${nodeId}" in this pipeline.`);
  return node;
}

function updateNode(doc: PipelineDoc, nodeId: string, fn: (node: PipelineNode) => PipelineNode): PipelineDoc {
  findNode(doc, nodeId);
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === nodeId ? fn(n) : n)) };
}

/**
 * Applies one op and returns the new document; the input is never changed (structural sharing).
 * Throws UserInputError when the op refers to a node or edge that does not exist, or adds an id
 * that is taken. Type checks of connections are `validateGraph`'s job, so a canvas can show an
 * invalid edge in red instead of refusing it.
 */
export function applyPipelineOp(doc: PipelineDoc, op: PipelineOp): PipelineDoc {
  switch (op.type) {
    case 'addNode':
      if (doc.nodes.some((n) => n.id === op.node.id)) throw new UserInputError(`A node with id "${op.node.id}" already exists.`);
      return { ...doc, nodes: insertAt(doc.nodes, op.node, op.index) };
    case 'removeNode':
      findNode(doc, op.nodeId);
      return { ...doc, nodes: doc.nodes.filter((n) => n.id !== op.nodeId), edges: doc.edges.filter((e) => e.from.node !== op.nodeId && e.to.node !== op.nodeId) };
    case 'connect':
      if (doc.edges.some((e) => e.id === op.edge.id)) throw new UserInputError(`An edge with id "${op.edge.id}" already exists.`);
      findNode(doc, op.edge.from.node);
      findNode(doc, op.edge.to.node);
      return { ...doc, edges: insertAt(doc.edges, op.edge, op.index) };
    case 'disconnect':
      if (!doc.edges.some((e) => e.id === op.edgeId)) throw new UserInputError(`There is no edge "${op.edgeId}" in this pipeline.`);
      return { ...doc, edges: doc.edges.filter((e) => e.id !== op.edgeId) };
    case 'setParam':
      return updateNode(doc, op.nodeId, (n) => {
        const params = { ...n.params };
        if (op.value === undefined) delete params[op.key];
        else params[op.key] = op.value;
        return { ...n, params };
      });
    case 'setParams': return updateNode(doc, op.nodeId, (n) => ({ ...n, params: { ...op.params } }));
    case 'moveNode': return updateNode(doc, op.nodeId, (n) => ({ ...n, position: { ...op.position } }));
    case 'renameNode':
      return updateNode(doc, op.nodeId, (n) => {
        const { label: _old, ...rest } = n;
        return op.label === undefined ? rest : { ...rest, label: op.label };
      });
    case 'renamePipeline': return { ...doc, name: op.name };
    case 'batch': return op.ops.reduce(applyPipelineOp, doc);
    default: return assertNever(op, 'pipeline op');
  }
}

/**
 * The op that undoes `op` when applied to `applyPipelineOp(doc, op)`; `doc` is the document
 * before `op`. Removing a node is undone by re-adding it with its edges, in their old order.
 */
export function invertPipelineOp(doc: PipelineDoc, op: PipelineOp): PipelineOp {
  switch (op.type) {
    case 'addNode': return { type: 'removeNode', nodeId: op.node.id };
    case 'removeNode': {
      const node = findNode(doc, op.nodeId);
      const touching = (e: PipelineEdge) => e.from.node === op.nodeId || e.to.node === op.nodeId;
      // Old array positions, ascending, so the restored document serializes byte for byte as before.
      const edges = doc.edges.map((edge, index) => ({ edge, index })).filter((e) => touching(e.edge));
      return { type: 'batch', ops: [{ type: 'addNode', node, index: doc.nodes.indexOf(node) }, ...edges.map(({ edge, index }): PipelineOp => ({ type: 'connect', edge, index }))] };
    }
    case 'connect': return { type: 'disconnect', edgeId: op.edge.id };
    case 'disconnect': {
      const edge = doc.edges.find((e) => e.id === op.edgeId);
      if (!edge) throw new UserInputError(`There is no edge "${op.edgeId}" in this pipeline.`);
      return { type: 'connect', edge, index: doc.edges.indexOf(edge) };
    }
    case 'setParam': return { type: 'setParam', nodeId: op.nodeId, key: op.key, value: findNode(doc, op.nodeId).params[op.key] };
    case 'setParams': return { type: 'setParams', nodeId: op.nodeId, params: findNode(doc, op.nodeId).params };
    case 'moveNode': return { type: 'moveNode', nodeId: op.nodeId, position: findNode(doc, op.nodeId).position };
    case 'renameNode': return { type: 'renameNode', nodeId: op.nodeId, label: findNode(doc, op.nodeId).label };
    case 'renamePipeline': return { type: 'renamePipeline', name: doc.name };
    case 'batch': {
      const inverses: PipelineOp[] = [];
      let current = doc;
      for (const sub of op.ops) {
        inverses.unshift(invertPipelineOp(current, sub));
        current = applyPipelineOp(current, sub);
      }
      return { type: 'batch', ops: inverses };
    }
    default: return assertNever(op, 'pipeline op');
  }
}
