import { createStore } from 'zustand/vanilla';
import { toErrorData } from '../../../app/base/errors';
import { renderNotebookReport } from '../../../app/report/notebook-report';
import type { CodeMode } from '../../../app/report/types';
import type { AppServices } from '../../stores/context';
import type { NotebookStore } from './notebook-store';
import { collectReportOutputs } from './report-collect';

/** What the export dialog asks for. */
export interface ReportRequest {
  /** Workspace path of the HTML file (the PDF goes beside it). */
  path: string;
  codeMode: CodeMode;
  maxRows: number;
  pdf: boolean;
}

/** Which notebook's export dialog is open (palette command and toolbar button both open it). */
export const reportDialog = createStore<{ openFor: string | null; isExporting: boolean }>()(() => ({ openFor: null, isExporting: false }));

export function openReportDialog(notebookPath: string): void {
  reportDialog.setState({ openFor: notebookPath });
}

/** `reports/<notebook name>.html`, the default place of a notebook's report. */
export function defaultReportPath(notebookPath: string): string {
  const stem = (notebookPath.split('/').at(-1) ?? 'notebook').replace(/\.notebook\.md$/i, '').replace(/\.md$/i, '');
  return `reports/${stem}.html`;
}

/** The report of the notebook as it is now: its current outputs rendered to one self-contained page. */
export async function notebookReportHtml(services: AppServices, store: NotebookStore, request: Pick<ReportRequest, 'codeMode' | 'maxRows'>): Promise<string> {
  const { path, doc, runs } = store.getState();
  const outputs = await collectReportOutputs(services.backend, path, doc, runs, request.maxRows);
  const when = new Date().toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  return renderNotebookReport(doc, outputs, { codeMode: request.codeMode, maxRows: request.maxRows, subtitle: `Exported from ${path} on ${when}` });
}

/** Renders the open notebook's report and has the backend write it (and its PDF); tells the user where. */
export async function exportNotebookReport(services: AppServices, store: NotebookStore, request: ReportRequest): Promise<boolean> {
  const { workbench, backend } = services;
  reportDialog.setState({ isExporting: true });
  try {
    const html = await notebookReportHtml(services, store, request);
    const saved = await backend.call('report.save', { path: request.path, html, pdf: request.pdf });
    workbench.getState().notify('success', `Report saved to ${saved.path}${saved.pdfPath ? ` and ${saved.pdfPath}` : ''}`);
    void workbench.getState().refreshFiles();
    return true;
  } catch (error) {
    workbench.getState().notify('error', `Could not export the report: ${toErrorData(error).message}`);
    return false;
  } finally {
    reportDialog.setState({ isExporting: false });
  }
}
