import { useState } from 'react';
import type { CodeMode } from '../../../app/report/types';
import { defaultReportPath, type ReportRequest } from './report-export';
import './report-dialog.css';

/** Asks where to write a notebook's report and how: code shown, folded or hidden, rows per table, PDF too. */
export function ReportDialog({ notebookPath, isExporting, onExport, onCancel }: { notebookPath: string; isExporting: boolean; onExport(request: ReportRequest): void; onCancel(): void }) {
  const [path, setPath] = useState(defaultReportPath(notebookPath));
  const [codeMode, setCodeMode] = useState<CodeMode>('fold');
  const [rows, setRows] = useState('20');
  const [pdf, setPdf] = useState(true);
  const maxRows = Number(rows);
  const isValid = /\.html?$/i.test(path.trim()) && !path.trim().startsWith('/') && Number.isInteger(maxRows) && maxRows >= 0 && maxRows <= 10_000;
  const submit = () => isValid && !isExporting && onExport({ path: path.trim(), codeMode, maxRows, pdf });
  return (
    // Not a <form>: the palette's Enter that opened this dialog must not submit it (implicit submission on keypress).
    <div className="nb-report-backdrop" onKeyDown={(e) => (e.key === 'Escape' ? onCancel() : e.key === 'Enter' && e.target instanceof HTMLInputElement && e.target.type !== 'checkbox' && submit())}>
      <div className="nb-report-dialog" role="dialog" aria-modal="true" aria-label="Export report">
        <h3>Export report</h3>
        <p className="muted small">One self-contained HTML file of the notebook as it is now: prose, charts, tables and input values. It opens in any browser without Vajra or a network.</p>
        <label className="nb-report-field">File in the workspace
          <input aria-label="Report file" value={path} onChange={(e) => setPath(e.target.value)} autoFocus />
        </label>
        <div className="nb-report-row">
          <label className="nb-report-field">Code cells
            <select aria-label="Code cells" value={codeMode} onChange={(e) => setCodeMode(e.target.value === 'show' ? 'show' : e.target.value === 'hide' ? 'hide' : 'fold')}>
              <option value="show">shown</option>
              <option value="fold">folded</option>
              <option value="hide">hidden</option>
            </select>
          </label>
          <label className="nb-report-field">Rows per table
            <input aria-label="Rows per table" type="number" min={0} max={10000} value={rows} onChange={(e) => setRows(e.target.value)} />
          </label>
        </div>
        <label className="nb-report-check"><input type="checkbox" checked={pdf} onChange={(e) => setPdf(e.target.checked)} /> Also save a PDF beside it</label>
        <div className="nb-report-actions">
          <button type="button" className="nb-button" onClick={onCancel}>Cancel</button>
          <button type="button" className="nb-button primary" disabled={!isValid || isExporting} onClick={submit}>{isExporting ? 'Exporting…' : 'Export'}</button>
        </div>
      </div>
    </div>
  );
}
