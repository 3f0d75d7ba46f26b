import {
  Background, Controls, MiniMap, ReactFlow, applyNodeChanges, useReactFlow,
  type Connection, type Edge, type EdgeChange, type IsValidConnection, type NodeChange, type OnConnectEnd, type OnDelete, type OnNodeDrag,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import { isNodeKind } from '../../../app/pipeline/catalog';
import type { PipelineOp } from '../../../app/pipeline/ops';
import { addNodeOfKind, NODE_DRAG_TYPE } from './canvas-actions';
import { connectionProblem, connectOp, portsOf } from './graph-model';
import { NodeMenu } from './NodeMenu';
import { PipelineNodeCard, type PipelineFlowNode } from './PipelineNodeCard';
import { usePipeline, usePipelineStore } from './store-context';

const nodeTypes = { pipeline: PipelineNodeCard };

function useFlowNodes(): [PipelineFlowNode[], (changes: NodeChange<PipelineFlowNode>[]) => void] {
  const nodes = usePipeline((s) => s.doc.nodes);
  const selected = usePipeline((s) => s.selected);
  const [flow, setFlow] = useState<PipelineFlowNode[]>([]);
  useEffect(() => {
    setFlow((previous) => {
      const old = new Map(previous.map((n) => [n.id, n]));
      return nodes.map((n): PipelineFlowNode => {
        const was = old.get(n.id);
        const isDragging = was?.dragging === true;
        return { ...(was ?? {}), id: n.id, type: 'pipeline', position: isDragging ? was.position : n.position, data: was?.data ?? { nodeId: n.id }, selected: n.id === selected };
      });
    });
  }, [nodes, selected]);
  const onChange = useCallback((changes: NodeChange<PipelineFlowNode>[]) => setFlow((current) => applyNodeChanges(changes, current)), []);
  return [flow, onChange];
}

/** The React Flow canvas over the open pipeline: nodes and edges from the document, edits as ops. */
export function FlowCanvas() {
  const store = usePipelineStore();
  const doc = usePipeline((s) => s.doc);
  const issues = usePipeline((s) => s.issues);
  const statuses = usePipeline((s) => s.statuses);
  const [nodes, onFlowChange] = useFlowNodes();
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());
  const [menu, setMenu] = useState<{ nodeId: string; x: number; y: number } | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const flow = useReactFlow();
  // Fit only a pipeline that opens with nodes: on an empty one, React Flow would re-center on the first drop.
  const [fitOnOpen] = useState(() => store.getState().doc.nodes.length > 0);

  const edges = useMemo((): Edge[] => doc.edges.map((e) => {
    const from = doc.nodes.find((n) => n.id === e.from.node);
    const type = from ? portsOf(from, 'outputs').find((p) => p.name === e.from.port)?.type : undefined;
    const bad = issues.some((i) => i.edgeId === e.id);
    return {
      id: e.id, source: e.from.node, sourceHandle: e.from.port, target: e.to.node, targetHandle: e.to.port,
      className: `pc-edge t-${type ?? 'unknown'}${bad ? ' bad' : ''}`, selected: selectedEdges.has(e.id),
      animated: statuses[e.to.node]?.state === 'running',
    };
  }), [doc, issues, statuses, selectedEdges]);

  const apply = useCallback((ops: PipelineOp[]) => {
    if (ops.length === 1) store.getState().apply(ops[0]!);
    else if (ops.length > 1) store.getState().apply({ type: 'batch', ops });
  }, [store]);

  const onNodesChange = useCallback((changes: NodeChange<PipelineFlowNode>[]) => {
    onFlowChange(changes.filter((c) => c.type !== 'remove'));
    for (const c of changes) {
      if (c.type === 'select' && c.selected) store.getState().select(c.id);
      if (c.type === 'select' && !c.selected && store.getState().selected === c.id) store.getState().select(null);
    }
  }, [apply, onFlowChange, store]);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    setSelectedEdges((current) => {
      const next = new Set(current);
      for (const c of changes) if (c.type === 'select') { if (c.selected) next.add(c.id); else next.delete(c.id); }
      return next;
    });
  }, [apply, store]);

  /** One undo step for everything the Delete key removes: edges between survivors, then nodes (which take their edges). */
  const onDelete: OnDelete<PipelineFlowNode, Edge> = useCallback(({ nodes: gone, edges: cut }) => {
    const removed = new Set(gone.map((n) => n.id));
    apply([
      ...cut.filter((e) => !removed.has(e.source) && !removed.has(e.target)).map((e): PipelineOp => ({ type: 'disconnect', edgeId: e.id })),
      ...gone.map((n): PipelineOp => ({ type: 'removeNode', nodeId: n.id })),
    ]);
  }, [apply]);

  const isValidConnection: IsValidConnection = useCallback((c) => connectionProblem(store.getState().doc, c) === null, [store]);

  const onConnect = useCallback((c: Connection) => {
    const { doc: current } = store.getState();
    const problem = connectionProblem(current, c);
    if (problem || !c.sourceHandle || !c.targetHandle) { setRefusal(problem); return; }
    store.getState().apply(connectOp(current, { node: c.source, port: c.sourceHandle }, { node: c.target, port: c.targetHandle }));
  }, [store]);

  const onConnectEnd: OnConnectEnd = useCallback((_event, state) => {
    const { fromHandle, toHandle } = state;
    if (state.isValid !== false || !fromHandle || !toHandle) return;
    const [out, inp] = fromHandle.type === 'source' ? [fromHandle, toHandle] : [toHandle, fromHandle];
    setRefusal(connectionProblem(store.getState().doc, { source: out.nodeId, sourceHandle: out.id ?? null, target: inp.nodeId, targetHandle: inp.id ?? null }));
    setTimeout(() => setRefusal(null), 3000);
  }, [store]);

  const onDrop = useCallback((event: DragEvent) => {
    event.preventDefault();
    const kind = event.dataTransfer.getData(NODE_DRAG_TYPE);
    if (!isNodeKind(kind)) return;
    const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    addNodeOfKind(store, kind, { x: Math.round(at.x - 90), y: Math.round(at.y - 30) }, false);
  }, [flow, store]);

  const onNodeDragStop: OnNodeDrag<PipelineFlowNode> = useCallback((_event, _node, moved) => {
    const { doc: current } = store.getState();
    apply(moved.flatMap((n): PipelineOp[] => {
      const before = current.nodes.find((d) => d.id === n.id)?.position;
      const position = { x: Math.round(n.position.x), y: Math.round(n.position.y) };
      return before && (before.x !== position.x || before.y !== position.y) ? [{ type: 'moveNode', nodeId: n.id, position }] : [];
    }));
  }, [apply, store]);

  return (
    <div className="pc-canvas" onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; }} onDrop={onDrop} data-testid="pipeline-canvas">
      <ReactFlow<PipelineFlowNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onDelete={onDelete}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onNodeDragStop={onNodeDragStop}
        onNodeContextMenu={(event, node) => { event.preventDefault(); store.getState().select(node.id); setMenu({ nodeId: node.id, x: event.clientX, y: event.clientY }); }}
        onPaneClick={() => { setMenu(null); store.getState().select(null); }}
        deleteKeyCode={['Delete', 'Backspace']}
        fitView={fitOnOpen}
        fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
        minZoom={0.2}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable style={{ width: 150, height: 96 }} className="pc-minimap" nodeClassName={(n) => `pc-mini st-${statuses[n.id]?.state ?? 'idle'}`} />
      </ReactFlow>
      {refusal && <div className="pc-refusal" role="status">{refusal}</div>}
      {menu && <NodeMenu nodeId={menu.nodeId} x={menu.x} y={menu.y} onClose={() => setMenu(null)} />}
    </div>
  );
}
