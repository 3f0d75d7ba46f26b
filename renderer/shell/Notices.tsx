import { useServices, useWorkbench } from '../stores/context';

/** Toasts for errors and confirmations; errors stay until dismissed. */
export function Notices() {
  const notices = useWorkbench((s) => s.notices);
  const { workbench } = useServices();
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <span>{n.text}</span>
          <button type="button" aria-label="Dismiss" onClick={() => workbench.getState().dismissNotice(n.id)}>×</button>
        </div>
      ))}
    </div>
  );
}
