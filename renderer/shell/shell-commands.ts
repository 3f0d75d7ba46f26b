import type { CommandDef } from '../stores/commands';
import type { WorkbenchStore } from '../stores/workbench-store';

/** The shell's own commands. Features contribute theirs through the command store. */
export function shellCommands(workbench: WorkbenchStore): CommandDef[] {
  const s = () => workbench.getState();
  const hasTab = () => s().activeTabId !== null;
  return [
    { id: 'workbench.palette', title: 'Show All Commands', category: 'View', keys: 'Mod+Shift+P', run: () => s().setPaletteOpen(true) },
    { id: 'workbench.paletteF1', title: 'Show All Commands (F1)', category: 'View', keys: 'F1', run: () => s().setPaletteOpen(true) },
    { id: 'workbench.toggleSidebar', title: 'Toggle Sidebar', category: 'View', keys: 'Mod+B', run: () => s().toggleSidebar() },
    { id: 'workbench.themeDark', title: 'Dark Theme', category: 'Preferences', run: () => s().setTheme('dark') },
    { id: 'workbench.themeLight', title: 'Light Theme', category: 'Preferences', run: () => s().setTheme('light') },
    { id: 'workbench.themeSystem', title: 'Theme Follows the System', category: 'Preferences', run: () => s().setTheme('system') },
    {
      id: 'workbench.toggleTheme',
      title: 'Toggle Dark/Light Theme',
      category: 'Preferences',
      keys: 'Mod+K T',
      run: () => s().setTheme(document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark'),
    },
    { id: 'workbench.welcome', title: 'Welcome', category: 'Help', run: () => s().showWelcome() },
    { id: 'workbench.openWorkspace', title: 'Open Workspace…', category: 'File', keys: 'Mod+O', run: () => s().showWelcome() },
    { id: 'workbench.refresh', title: 'Refresh File Tree', category: 'File', run: () => s().refreshFiles() },
    { id: 'workbench.closeTab', title: 'Close Tab', category: 'View', keys: 'Alt+W', run: () => s().closeTab(s().activeTabId ?? ''), isEnabled: hasTab },
    { id: 'workbench.nextTab', title: 'Next Tab', category: 'View', keys: 'Ctrl+PageDown', run: () => s().cycleTab(1) },
    { id: 'workbench.previousTab', title: 'Previous Tab', category: 'View', keys: 'Ctrl+PageUp', run: () => s().cycleTab(-1) },
  ];
}
