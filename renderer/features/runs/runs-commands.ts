import type { CommandDef } from '../../stores/commands';
import type { WorkbenchStore } from '../../stores/workbench-store';

/** The tab of the runs table: kind `run` with the `runs` folder as its path. */
export const RUNS_TABLE_TAB = 'vajra:runs';
export const RUNS_TABLE_PATH = 'runs';

/** Opens (or focuses) a `run`-kind tab; the shell's `openFile` would type the `runs` folder as `folder`. */
function openRunTab(workbench: WorkbenchStore, id: string, path: string, title: string): void {
  const { tabs } = workbench.getState();
  if (!tabs.some((t) => t.id === id)) workbench.setState({ tabs: [...tabs, { id, path, kind: 'run', title }] });
  workbench.setState({ activeTabId: id });
}

export function openRunsTable(workbench: WorkbenchStore): void {
  openRunTab(workbench, RUNS_TABLE_TAB, RUNS_TABLE_PATH, 'Runs');
}

export function openRun(workbench: WorkbenchStore, runId: string, name: string): void {
  openRunTab(workbench, `runs/${runId}`, `runs/${runId}`, name);
}

/** The runs feature's palette commands (register once at startup; registering again is harmless). */
export function runsCommands(workbench: WorkbenchStore): CommandDef[] {
  return [
    { id: 'runs.openTable', title: 'Open Runs Table', category: 'Runs', keys: 'Mod+K R', run: () => openRunsTable(workbench) },
  ];
}
