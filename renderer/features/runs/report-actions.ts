import { toErrorData } from '../../../app/base/errors';
import { renderRunReport, type RunReportInput } from '../../../app/report/run-report';
import type { CommandDef } from '../../stores/commands';
import type { AppServices } from '../../stores/context';
import { compareReportInput, runReportInput } from './report-run';

function slug(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 60) || 'run';
}

async function saveReport(services: AppServices, build: () => Promise<RunReportInput>, pathOf: (input: RunReportInput) => string): Promise<void> {
  const { backend, workbench } = services;
  workbench.getState().notify('info', 'Exporting the report…');
  try {
    const input = await build();
    const path = pathOf(input);
    const html = renderRunReport(input);
    const saved = await backend.call('report.save', { path, html, pdf: true });
    workbench.getState().notify('success', `Report saved to ${saved.path}${saved.pdfPath ? ` and ${saved.pdfPath}` : ''}`);
    void workbench.getState().refreshFiles();
  } catch (error) {
    workbench.getState().notify('error', `Could not export the report: ${toErrorData(error).message}`);
  }
}

/** Writes `reports/run-<name>.html` and its PDF: the run's params, metrics, curves, evaluation plots, provenance. */
export function exportRunReport(services: AppServices, runId: string): Promise<void> {
  return saveReport(services, () => runReportInput(services.backend, runId), (input) => `reports/run-${slug(input.title.replace(/^Run /, ''))}-${slug(runId).slice(0, 8)}.html`);
}

/** Writes `reports/compare-<n>-runs.html` and its PDF for 2–20 runs side by side. */
export function exportCompareReport(services: AppServices, runIds: readonly string[]): Promise<void> {
  return saveReport(services, () => compareReportInput(services.backend, runIds), () => `reports/compare-${runIds.length}-runs.html`);
}

/** The run open in the active tab (`runs/<id>`), if any. */
function activeRunId(services: AppServices): string | undefined {
  const { tabs, activeTabId } = services.workbench.getState();
  const tab = tabs.find((t) => t.id === activeTabId);
  const match = tab?.kind === 'run' ? /^runs\/([^/]+)$/.exec(tab.path) : null;
  return match?.[1];
}

/** "Runs: Export Run Report" for the run in the active tab. */
export function runReportCommands(services: AppServices): CommandDef[] {
  return [{
    id: 'runs.exportReport',
    category: 'Runs',
    title: 'Export Run Report',
    isEnabled: () => activeRunId(services) !== undefined,
    run: () => {
      const id = activeRunId(services);
      if (id) void exportRunReport(services, id);
    },
  }];
}
