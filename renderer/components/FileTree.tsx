import { useMemo, useState } from 'react';
import type { FileEntry, FileKind } from '../../app/protocol/methods/workspace';

const KIND_BADGE: Record<FileKind, string> = {
  folder: '▸',
  notebook: 'NB',
  pipeline: 'PL',
  dataset: 'DB',
  labelset: 'LB',
  run: 'RN',
  export: 'EX',
  expectations: 'EV',
  text: 'TX',
  other: '··',
};

interface Node {
  entry: FileEntry;
  children: Node[];
}

function buildTree(entries: FileEntry[]): Node[] {
  const roots: Node[] = [];
  const byPath = new Map<string, Node>();
  for (const entry of entries) {
    const node: Node = { entry, children: [] };
    byPath.set(entry.path, node);
    const parentPath = entry.path.includes('/') ? entry.path.slice(0, entry.path.lastIndexOf('/')) : '';
    (byPath.get(parentPath)?.children ?? roots).push(node);
  }
  const order = (a: Node, b: Node) => Number(b.entry.kind === 'folder') - Number(a.entry.kind === 'folder') || a.entry.name.localeCompare(b.entry.name);
  const sortAll = (nodes: Node[]) => {
    nodes.sort(order);
    nodes.forEach((n) => sortAll(n.children));
  };
  sortAll(roots);
  return roots;
}

export interface FileTreeProps {
  entries: FileEntry[];
  activePath: string | null;
  onOpen(path: string): void;
}

/** The workspace's files as a collapsible tree; folders of runs, label sets and exports are leaves. */
export function FileTree({ entries, activePath, onOpen }: FileTreeProps) {
  const tree = useMemo(() => buildTree(entries), [entries]);
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set(['runs', 'exports']));
  const toggle = (path: string) => {
    const next = new Set(collapsed);
    if (next.has(path)) next.delete(path);
    else next.add(path);
    setCollapsed(next);
  };
  const render = (nodes: Node[], depth: number): React.ReactNode =>
    nodes.map(({ entry, children }) => {
      const isFolder = entry.kind === 'folder';
      const isOpen = isFolder && !collapsed.has(entry.path);
      return (
        <li key={entry.path} role="treeitem" aria-expanded={isFolder ? isOpen : undefined} aria-selected={entry.path === activePath}>
          <button
            type="button"
            className={`tree-row kind-${entry.kind}${entry.path === activePath ? ' active' : ''}`}
            style={{ paddingLeft: 8 + depth * 14 }}
            title={entry.path}
            data-path={entry.path}
            onClick={() => (isFolder ? toggle(entry.path) : onOpen(entry.path))}
          >
            <span className={`badge${isOpen ? ' open' : ''}`}>{KIND_BADGE[entry.kind]}</span>
            <span className="name">{entry.name}</span>
          </button>
          {isOpen && children.length > 0 && <ul role="group">{render(children, depth + 1)}</ul>}
        </li>
      );
    });
  if (entries.length === 0) return <p className="muted pad">This workspace is empty. Drop a data file here, or create a notebook.</p>;
  return (
    <ul className="file-tree" role="tree" aria-label="Workspace files">
      {render(tree, 0)}
    </ul>
  );
}
