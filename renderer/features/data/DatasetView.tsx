import type { DocumentViewProps } from '../../shell/views';
import { parseDataTab } from '../../stores/data-tabs';
import { CatalogPanel } from './CatalogPanel';
import { DatasetDocument } from './DatasetDocument';
import './data.css';

/**
 * The `dataset` document kind: a workspace data file, a table or view of the workspace database,
 * or the data catalog (see `stores/data-tabs.ts` for the tab paths).
 */
export function DatasetView({ path }: DocumentViewProps) {
  const tab = parseDataTab(path);
  return (
    <div className="data-view">
      {tab.kind === 'catalog' ? <CatalogPanel /> : <DatasetDocument target={tab} />}
    </div>
  );
}
