import type { Tab } from '../stores/workbench-store';
import { TextView } from './TextView';
import { documentViews } from './views';
import { Welcome } from './Welcome';

/** Shows the active tab with the view its kind calls for. */
export function DocumentArea({ tab }: { tab: Tab | undefined }) {
  if (!tab) return <div className="empty-editor muted">No open document. Pick a file in the sidebar, or press Ctrl+Shift+P.</div>;
  if (tab.kind === 'welcome') return <Welcome />;
  const View = documentViews[tab.kind];
  return View ? <View path={tab.path} /> : <TextView path={tab.path} />;
}
