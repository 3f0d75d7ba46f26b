import { createPortal } from 'react-dom';
import { useStore } from 'zustand';
import { useServices } from '../../stores/context';
import type { NotebookStore } from './notebook-store';
import { ReportDialog } from './report-dialog';
import { exportNotebookReport, openReportDialog, reportDialog } from './report-export';

/** The toolbar's "Export report…" button, and the export dialog when it (or the palette command) opened it. */
export function ReportButton({ store }: { store: NotebookStore }) {
  const services = useServices();
  const path = useStore(store, (s) => s.path);
  const isRunning = useStore(store, (s) => s.isRunning);
  const openFor = useStore(reportDialog, (s) => s.openFor);
  const isExporting = useStore(reportDialog, (s) => s.isExporting);
  const close = () => reportDialog.setState({ openFor: null });
  return (
    <>
      <button type="button" className="nb-button" disabled={isRunning || isExporting} onClick={() => openReportDialog(path)} title="Export the notebook as one HTML file (and PDF)">Export report…</button>
      {/* On the body: the toolbar is sticky, and a fixed backdrop inside it would cover only the toolbar. */}
      {openFor === path && createPortal(
        <ReportDialog
          notebookPath={path}
          isExporting={isExporting}
          onCancel={close}
          onExport={(request) => void exportNotebookReport(services, store, request).then((ok) => ok && close())}
        />,
        document.body,
      )}
    </>
  );
}
