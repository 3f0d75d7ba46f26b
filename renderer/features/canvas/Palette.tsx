import { useReactFlow } from '@xyflow/react';
import { useState } from 'react';
import { NODE_KINDS, nodeSpec, type NodeKind, type NodeSpec } from '../../../app/pipeline/catalog';
import { addNodeOfKind, NODE_DRAG_TYPE } from './canvas-actions';
import { usePipelineStore } from './store-context';

const CATEGORIES: Array<[NodeSpec['category'], string]> = [['data', 'Data'], ['preprocess', 'Preprocess'], ['model', 'Models'], ['evaluate', 'Evaluate']];

/**
 * Node kinds by category. Drag one onto the canvas, or click it (Enter) to add it after the
 * selected node, wired to it when a port fits.
 */
export function Palette() {
  const store = usePipelineStore();
  const flow = useReactFlow();
  const [filter, setFilter] = useState('');
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (kind: NodeKind) => words.every((w) => `${nodeSpec(kind).label} ${kind}`.toLowerCase().includes(w));
  return (
    <aside className="pc-palette" aria-label="Node palette">
      <input className="pc-palette-filter" type="search" placeholder="Find a node…" aria-label="Find a node" value={filter} onChange={(e) => setFilter(e.target.value)} />
      {CATEGORIES.map(([category, title]) => {
        const kinds = NODE_KINDS.filter((k) => nodeSpec(k).category === category && matches(k));
        if (kinds.length === 0) return null;
        return (
          <section key={category} className={`pc-palette-group cat-${category}`}>
            <h3>{title}</h3>
            {kinds.map((kind) => (
              <button
                key={kind}
                type="button"
                className="pc-palette-item"
                draggable
                data-kind={kind}
                title="Drag onto the canvas, or click to add after the selected node"
                onDragStart={(e) => { e.dataTransfer.setData(NODE_DRAG_TYPE, kind); e.dataTransfer.effectAllowed = 'copy'; }}
                onClick={() => {
                  addNodeOfKind(store, kind, null, true);
                  // keep the growing pipeline in view once the new node has been measured
                  setTimeout(() => void flow.fitView({ padding: 0.15, maxZoom: 1, duration: 150 }), 60);
                }}
              >
                <span className="pc-dot" />{nodeSpec(kind).label}
              </button>
            ))}
          </section>
        );
      })}
    </aside>
  );
}
