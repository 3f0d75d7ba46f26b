import { useEffect, useMemo } from 'react';
import { CommandPalette } from '../components/CommandPalette';
import { AnnotateContributions } from '../features/annotate/AnnotateContributions';
import { FileTree } from '../components/FileTree';
import { StatusBar, type StatusItem } from '../components/StatusBar';
import { TabBar } from '../components/TabBar';
import { useCommands, useServices, useWorkbench } from '../stores/context';
import { FeatureContributions } from './contributions';
import { DocumentArea } from './DocumentArea';
import { Notices } from './Notices';
import { shellCommands } from './shell-commands';
import { useKeybindings } from './use-keybindings';
import { useTheme } from './use-theme';

/** The workbench shell: sidebar, tabs, editor area, status bar, palette. */
export function Workbench() {
  const { workbench, commands, backend } = useServices();
  const s = useWorkbench((state) => state);
  const allCommands = useCommands((c) => c.commands);
  const theme = useTheme(s.theme);
  useKeybindings(commands);
  useEffect(() => commands.getState().register(shellCommands(workbench)), [commands, workbench]);
  useEffect(() => backend.on('ui.command', ({ id }) => void commands.getState().commands.find((c) => c.id === id)?.run()), [backend, commands]);
  const activeTab = s.tabs.find((t) => t.id === s.activeTabId);

  const left: StatusItem[] = useMemo(() => [
    { id: 'connection', text: s.status === 'connected' ? '● Connected' : s.status === 'connecting' ? '○ Connecting…' : '○ Disconnected — retrying', tone: s.status === 'connected' ? 'normal' : 'warn' },
    { id: 'workspace', text: s.workspace ? s.workspace.manifest.name : 'No workspace', title: s.workspace?.root ?? '' },
  ], [s.status, s.workspace]);
  const right: StatusItem[] = [
    { id: 'theme', text: `Theme: ${s.theme === 'system' ? `system (${theme})` : theme}`, onClick: () => workbench.getState().setTheme(theme === 'dark' ? 'light' : 'dark') },
    { id: 'palette', text: 'Ctrl+Shift+P: commands', onClick: () => workbench.getState().setPaletteOpen(true) },
    { id: 'version', text: `Vajra ${s.version}` },
  ];

  return (
    <div className={`workbench${s.sidebarVisible ? '' : ' no-sidebar'}`}>
      {s.sidebarVisible && (
        <nav className="sidebar" aria-label="Workspace">
          <div className="sidebar-title" title={s.workspace?.root}>{s.workspace?.manifest.name ?? 'No workspace'}</div>
          <FileTree entries={s.files} activePath={activeTab?.path ?? null} onOpen={(path) => workbench.getState().openFile(path)} />
        </nav>
      )}
      <main className="editor-area">
        <TabBar tabs={s.tabs} activeId={s.activeTabId} onActivate={(id) => workbench.getState().activateTab(id)} onClose={(id) => workbench.getState().closeTab(id)} />
        <div className="document" key={activeTab?.id}>
          <DocumentArea tab={activeTab} />
        </div>
      </main>
      <StatusBar left={left} right={right} />
      {s.paletteOpen && <CommandPalette commands={allCommands} onClose={() => workbench.getState().setPaletteOpen(false)} />}
      <Notices />
      <FeatureContributions />
      <AnnotateContributions />
    </div>
  );
}
