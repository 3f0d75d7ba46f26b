export interface StatusItem {
  id: string;
  text: string;
  title?: string;
  tone?: 'normal' | 'warn' | 'error';
  onClick?(): void;
}

/** The bottom bar: connection, workspace, jobs, version. */
export function StatusBar({ left, right }: { left: StatusItem[]; right: StatusItem[] }) {
  const render = (item: StatusItem) =>
    item.onClick ? (
      <button key={item.id} type="button" className={`status-item tone-${item.tone ?? 'normal'}`} title={item.title} onClick={item.onClick} data-status={item.id}>
        {item.text}
      </button>
    ) : (
      <span key={item.id} className={`status-item tone-${item.tone ?? 'normal'}`} title={item.title} data-status={item.id}>
        {item.text}
      </span>
    );
  return (
    <footer className="status-bar" role="status">
      <div className="status-left">{left.map(render)}</div>
      <div className="status-right">{right.map(render)}</div>
    </footer>
  );
}
