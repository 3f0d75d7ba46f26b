import { useState } from 'react';
import type { ExportRunResult, RerunVerdict } from '../../../app/protocol/methods/export';
import { useServices } from '../../stores/context';
import { useRunCapabilities } from './export-actions';
import { ExportRerunVerdict } from './ExportRerunVerdict';
import { ExportResultPanel } from './ExportResultPanel';
import './export.css';

type Busy = null | { kind: 'export' | 'rerun'; message: string };

/**
 * Export (one click → `exports/<run>/`) and, with `canRerun`, Re-run for one run; the outcome
 * shows below the buttons. Buttons are disabled for runs without a compiled model / snapshot.
 */
export function ExportRunBar({ runId, canRerun = false }: { runId: string | null; canRerun?: boolean }) {
  const { backend, workbench } = useServices();
  const caps = useRunCapabilities(backend, runId);
  const [busy, setBusy] = useState<Busy>(null);
  const [exported, setExported] = useState<ExportRunResult | null>(null);
  const [verdict, setVerdict] = useState<RerunVerdict | null>(null);
  const notify = (kind: 'success' | 'error', text: string) => workbench.getState().notify(kind, text);
  const onProgress = (kind: 'export' | 'rerun') => (p: { message?: string }) => setBusy({ kind, message: p.message ?? '' });

  const runExport = async () => {
    if (!runId) return;
    setBusy({ kind: 'export', message: 'Exporting…' });
    setVerdict(null);
    try {
      const result = await backend.call('export.run', { runId }, { onProgress: onProgress('export') });
      setExported(result);
      notify('success', `Exported the bundle to ${result.dir}`);
    } catch (error) {
      notify('error', `Export failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(null);
    }
  };
  const runRerun = async () => {
    if (!runId) return;
    setBusy({ kind: 'rerun', message: 'Re-running…' });
    setExported(null);
    try {
      setVerdict(await backend.call('runs.rerun', { runId }, { onProgress: onProgress('rerun') }));
    } catch (error) {
      notify('error', `Re-run failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(null);
    }
  };

  const noModel = caps !== null && !caps.hasModel;
  return (
    <div className="export-bar">
      <div className="export-buttons">
        <button type="button" disabled={!runId || !caps?.hasModel || busy !== null} title={noModel ? 'This run has no compiled model' : 'Write a serving bundle to exports/'} onClick={() => void runExport()}>
          {busy?.kind === 'export' ? 'Exporting…' : 'Export'}
        </button>
        {canRerun && (
          <button type="button" disabled={!runId || !caps?.hasPipeline || busy !== null} title={caps && !caps.hasPipeline ? 'This run has no pipeline snapshot' : 'Re-create the run and compare model bytes and metrics'} onClick={() => void runRerun()}>
            {busy?.kind === 'rerun' ? 'Re-running…' : 'Re-run'}
          </button>
        )}
        {busy && <span className="muted small" role="status">{busy.message}</span>}
      </div>
      {exported && exported.runId === runId && <ExportResultPanel result={exported} onClose={() => setExported(null)} />}
      {verdict && verdict.runId === runId && <ExportRerunVerdict verdict={verdict} onClose={() => setVerdict(null)} />}
    </div>
  );
}
