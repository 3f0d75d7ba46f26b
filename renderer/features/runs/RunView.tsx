import { useEffect } from 'react';
import type { DocumentViewProps } from '../../shell/views';
import { useServices } from '../../stores/context';
import { ExportRunBar } from './ExportRunBar';
import { RunDetail } from './RunDetail';
import { runReportCommands } from './report-actions';
import { RUNS_TABLE_PATH, runsCommands } from './runs-commands';
import { RunsDocument } from './RunsDocument';
import './runs.css';

/** The `run` document kind: the runs table for the `runs` folder, one run for `runs/<id>`. */
export function RunView({ path }: DocumentViewProps) {
  const services = useServices();
  const { commands, workbench } = services;
  // Kept registered after this view closes (the command store replaces by id, so this is idempotent).
  useEffect(() => void commands.getState().register(runsCommands(workbench)), [commands, workbench]);
  useEffect(() => void commands.getState().register(runReportCommands(services)), [commands, services]);
  if (path === RUNS_TABLE_PATH) return <RunsDocument />;
  const runId = path.slice(RUNS_TABLE_PATH.length + 1);
  return (
    <div className="run-view">
      <div className="run-export-head" role="toolbar" aria-label="Run actions"><ExportRunBar runId={runId} canRerun /></div>
      <RunDetail runId={runId} />
    </div>
  );
}
