import type { Tab } from '../stores/workbench-store';
import { TextView } from './TextView';
import { Welcome } from './Welcome';

/** Shows the active tab with the view its kind calls for. */
export function DocumentArea({ tab }: { tab: Tab | undefined }) {
  if (!tab) return <div className="empty-editor muted">No open document. Pick a file in the sidebar, or press Ctrl+Shift+P.</div>;
  switch (tab.kind) {
    case 'welcome':
      return <Welcome />;
    default:
      return <TextView path={tab.path} />;
  }
}
