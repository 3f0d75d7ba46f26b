import type { NodeKind } from '../../../app/pipeline/catalog';
import { createPipeline, type NodePosition } from '../../../app/pipeline/document';
import type { PipelineOp } from '../../../app/pipeline/ops';
import { serializePipeline } from '../../../app/pipeline/serialize';
import type { CommandDef } from '../../stores/commands';
import type { AppServices } from '../../stores/context';
import { autoConnection, connectOp, freshNodeId } from './graph-model';
import { defaultParams } from './param-fields';
import type { PipelineStore } from './pipeline-store';

/** The drag payload type of a palette entry (its value is the node kind). */
export const NODE_DRAG_TYPE = 'application/x-vajra-node-kind';

const STEP_X = 230;
const STEP_Y = 150;
const PER_ROW = 4;

/** Where a node added after `after` goes: to its right, or at the start of the next row once a row holds PER_ROW nodes. */
function placeAfter(nodes: readonly { position: NodePosition }[], after: { position: NodePosition }): NodePosition {
  const left = Math.min(...nodes.map((n) => n.position.x));
  const x = after.position.x + STEP_X;
  if (x < left + PER_ROW * STEP_X) return { x, y: after.position.y };
  const below = Math.max(...nodes.map((n) => n.position.y)) + STEP_Y;
  return { x: left, y: below };
}

/**
 * Adds a node of `kind`: at `position` (a drop), or right of the selected node and wired to it when
 * a port fits (`chain`, the keyboard path). The new node becomes the selection.
 */
export function addNodeOfKind(store: PipelineStore, kind: NodeKind, position: NodePosition | null, chain: boolean): string {
  const { doc, selected } = store.getState();
  const id = freshNodeId(doc, kind);
  const after = doc.nodes.find((n) => n.id === selected);
  const last = doc.nodes.at(-1);
  const anchor = after ?? last;
  const at = position ?? (anchor ? placeAfter(doc.nodes, anchor) : { x: 0, y: 120 });
  const ops: PipelineOp[] = [{ type: 'addNode', node: { id, kind, params: defaultParams(kind), position: at } }];
  const wire = chain && after ? autoConnection(after, kind, id) : null;
  if (wire) {
    const added = { ...doc, nodes: [...doc.nodes, { id, kind, params: {}, position: at }] };
    ops.push(connectOp(added, wire.from, wire.to));
  }
  store.getState().apply(ops.length === 1 ? ops[0]! : { type: 'batch', ops });
  store.getState().select(id);
  return id;
}

/** A file name from what the user typed: letters, digits, dashes; `.pipeline.json` appended. */
export function pipelineFileName(name: string): string {
  const stem = name.trim().replace(/\.pipeline\.json$/i, '').replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '');
  return `${stem || 'untitled'}.pipeline.json`;
}

/** Creates an empty `NAME.pipeline.json` at the workspace root (refusing to overwrite) and opens it. */
export async function createNewPipeline(services: AppServices, name: string): Promise<string | null> {
  const wb = services.workbench.getState();
  const path = pipelineFileName(name);
  if (wb.files.some((f) => f.path === path)) {
    wb.notify('error', `${path} already exists; pick another name.`);
    return null;
  }
  const stem = path.replace(/\.pipeline\.json$/, '');
  try {
    await services.backend.call('fs.writeText', { path, text: serializePipeline(createPipeline(stem, name.trim() || stem)) });
    await wb.refreshFiles();
    services.workbench.getState().openFile(path);
    return path;
  } catch (error) {
    wb.notify('error', `Could not create ${path}: ${(error as Error).message}`);
    return null;
  }
}

/** The palette commands of the active pipeline. */
export function pipelineCommands(store: PipelineStore): CommandDef[] {
  const s = () => store.getState();
  const category = 'Pipeline';
  const withSelected = (fn: (id: string) => void) => () => { const id = s().selected; if (id) fn(id); };
  return [
    { id: 'pipeline.runAll', category, title: 'Run All Nodes', keys: 'Mod+Shift+Enter', run: () => void s().run({ mode: 'all' }) },
    { id: 'pipeline.runUpTo', category, title: 'Run to Selected Node', keys: 'Mod+Enter', run: withSelected((nodeId) => void s().run({ mode: 'upTo', nodeId })) },
    { id: 'pipeline.runNode', category, title: 'Run Selected Node', run: withSelected((nodeId) => void s().run({ mode: 'node', nodeId })) },
    { id: 'pipeline.cancel', category, title: 'Cancel Run', keys: 'Mod+.', run: () => void s().cancel() },
    { id: 'pipeline.save', category, title: 'Save Pipeline', keys: 'Mod+S', run: () => void s().saveNow() },
  ];
}
