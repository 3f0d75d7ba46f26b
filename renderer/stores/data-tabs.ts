import type { WorkbenchStore } from './workbench-store';

/** Tab path of the data catalog (not a file: tabs of tables live under this scheme). */
export const CATALOG_TAB = 'vajra:data/catalog';
const TABLE_TAB = 'vajra:data/table/';

/** What a `dataset` tab shows: a workspace data file, a table or view by name, or the catalog. */
export type DataTab = { kind: 'file'; path: string } | { kind: 'table'; name: string } | { kind: 'catalog' };

/** The tab path that shows the table or view `name`. */
export function tableTabPath(name: string): string {
  return `${TABLE_TAB}${encodeURIComponent(name)}`;
}

/** Reads a `dataset` tab's path back into what it shows. */
export function parseDataTab(path: string): DataTab {
  if (path === CATALOG_TAB) return { kind: 'catalog' };
  if (path.startsWith(TABLE_TAB)) return { kind: 'table', name: decodeURIComponent(path.slice(TABLE_TAB.length)) };
  return { kind: 'file', path };
}

/**
 * Opens (or activates) a data tab that is not a workspace file: the catalog or a table. The
 * workbench opens files by path; these tabs carry the `dataset` kind themselves.
 */
export function openDataTab(workbench: WorkbenchStore, tab: Exclude<DataTab, { kind: 'file' }>): void {
  const path = tab.kind === 'catalog' ? CATALOG_TAB : tableTabPath(tab.name);
  const state = workbench.getState();
  if (state.tabs.some((t) => t.id === path)) {
    state.activateTab(path);
    return;
  }
  const title = tab.kind === 'catalog' ? 'Data catalog' : tab.name;
  workbench.setState({ tabs: [...state.tabs, { id: path, path, kind: 'dataset', title }], activeTabId: path });
}
