import type { ReactNode } from 'react';

/** A modal question with a dangerous or a plain confirm button. */
export function ConfirmDialog({ title, children, confirm, danger, onConfirm, onCancel }: { title: string; children: ReactNode; confirm: string; danger?: boolean; onConfirm(): void; onCancel(): void }) {
  return (
    <div className="runs-modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <div className="runs-modal" role="dialog" aria-modal="true" aria-label={title}>
        <h3>{title}</h3>
        <div>{children}</div>
        <div className="runs-modal-actions">
          <button type="button" onClick={onCancel}>Cancel</button>
          <button type="button" className={danger ? 'danger' : 'primary'} onClick={onConfirm} autoFocus>{confirm}</button>
        </div>
      </div>
    </div>
  );
}
