import type { ImportJob } from '../../stores/data-imports';

/** One import's progress bar with Cancel while it runs, and its outcome in plain words after. */
export function ImportProgress({ job, onCancel, onDismiss }: { job: ImportJob; onCancel: () => void; onDismiss?: () => void }) {
  const fraction = job.total > 0 ? Math.min(1, job.done / job.total) : 0;
  const percent = Math.round(fraction * 100);
  return (
    <div className={`import-job import-${job.status}`} data-testid="import-job">
      <div className="import-line">
        <span className="import-label" title={job.label}>{job.label}</span>
        {job.status === 'running' && <button type="button" onClick={onCancel}>Cancel</button>}
        {job.status !== 'running' && onDismiss && <button type="button" className="link" aria-label={`Dismiss ${job.label}`} onClick={onDismiss}>×</button>}
      </div>
      {job.status === 'running' && (
        <div className="import-bar" role="progressbar" aria-label={`Importing ${job.label}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
          <div style={{ width: `${job.total > 0 ? percent : 8}%` }} />
        </div>
      )}
      {job.status === 'done' && job.result && <div className="small">Imported as table <b>{job.result.name}</b>{job.result.rowCount !== null ? ` (${job.result.rowCount.toLocaleString('en-US')} rows)` : ''}.</div>}
      {(job.status === 'failed' || job.status === 'cancelled') && <div className="small error-text" role={job.status === 'failed' ? 'alert' : undefined}>{job.message}</div>}
    </div>
  );
}
