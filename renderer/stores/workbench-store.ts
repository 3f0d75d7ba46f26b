import { createStore } from 'zustand/vanilla';
import type { ExampleInfo, FileEntry, FileKind, WorkspaceInfo } from '../../app/protocol/methods/workspace';
import type { Backend, ConnectionStatus } from '../bridge/connection';

export type ThemeSetting = 'system' | 'light' | 'dark';

/** An open document in the editor area. The id is its workspace path. */
export interface Tab {
  id: string;
  path: string;
  kind: FileKind | 'welcome';
  title: string;
}

export interface Notice {
  id: number;
  kind: 'info' | 'error' | 'success';
  text: string;
}

export interface WorkbenchState {
  status: ConnectionStatus;
  version: string;
  workspace: WorkspaceInfo | null;
  files: FileEntry[];
  recent: { root: string; name: string; openedAt: number }[];
  examples: ExampleInfo[];
  tabs: Tab[];
  activeTabId: string | null;
  sidebarVisible: boolean;
  paletteOpen: boolean;
  theme: ThemeSetting;
  notices: Notice[];

  init(): Promise<void>;
  refreshFiles(): Promise<void>;
  openWorkspace(root: string): Promise<void>;
  createWorkspace(root: string): Promise<void>;
  openExample(id: string): Promise<void>;
  openFile(path: string): void;
  showWelcome(): void;
  /** Opens a workspace through `open` and resets tabs, recent list and file tree. */
  switchTo(open: () => Promise<WorkspaceInfo>): Promise<void>;
  closeTab(id: string): void;
  activateTab(id: string): void;
  cycleTab(step: number): void;
  setTheme(theme: ThemeSetting): void;
  toggleSidebar(): void;
  setPaletteOpen(open: boolean): void;
  notify(kind: Notice['kind'], text: string): void;
  dismissNotice(id: number): void;
}

const WELCOME: Tab = { id: 'vajra:welcome', path: '', kind: 'welcome', title: 'Welcome' };
const THEME_KEY = 'vajra.theme';

function readTheme(): ThemeSetting {
  const saved = globalThis.localStorage?.getItem(THEME_KEY);
  return saved === 'light' || saved === 'dark' ? saved : 'system';
}

function titleOf(path: string): string {
  return path.split('/').at(-1) ?? path;
}

/** The shell's store: workspace, file tree, tabs, theme, palette, notices. */
export function createWorkbenchStore(backend: Backend) {
  let noticeId = 0;
  return createStore<WorkbenchState>()((set, get) => ({
    status: backend.status,
    version: '',
    workspace: null,
    files: [],
    recent: [],
    examples: [],
    tabs: [WELCOME],
    activeTabId: WELCOME.id,
    sidebarVisible: true,
    paletteOpen: false,
    theme: readTheme(),
    notices: [],

    async init() {
      backend.onStatus((status) => {
        set({ status });
        if (status === 'connected') void get().refreshFiles();
      });
      backend.on('workspace.changed', () => void get().refreshFiles());
      backend.on('workspace.opened', (workspace) => {
        set({ workspace });
        void get().refreshFiles();
      });
      const [info, recent, examples] = await Promise.all([
        backend.call('app.info', {}),
        backend.call('workspace.recent', {}),
        backend.call('workspace.examples', {}),
      ]);
      set({ version: info.version, workspace: info.workspace, recent: recent.items, examples: examples.items, status: backend.status });
      await get().refreshFiles();
      for (const path of info.workspace?.manifest.defaultOpen ?? []) if (get().files.some((f) => f.path === path)) get().openFile(path);
    },

    async refreshFiles() {
      if (!get().workspace) return;
      try {
        const { entries } = await backend.call('workspace.files', {});
        set({ files: entries });
      } catch (error) {
        get().notify('error', `Could not list the workspace: ${(error as Error).message}`);
      }
    },

    async openWorkspace(root) {
      await get().switchTo(() => backend.call('workspace.open', { root }));
    },

    async createWorkspace(root) {
      await get().switchTo(() => backend.call('workspace.create', { root }));
    },

    async switchTo(open) {
      try {
        const workspace = await open();
        set({ workspace, tabs: [WELCOME], activeTabId: WELCOME.id });
        const recent = await backend.call('workspace.recent', {});
        set({ recent: recent.items });
        await get().refreshFiles();
      } catch (error) {
        get().notify('error', (error as Error).message);
      }
    },

    async openExample(id) {
      try {
        const workspace = await backend.call('workspace.openExample', { id });
        set({ workspace, tabs: [WELCOME], activeTabId: WELCOME.id });
        await get().refreshFiles();
        for (const path of workspace.manifest.defaultOpen ?? []) get().openFile(path);
      } catch (error) {
        get().notify('error', (error as Error).message);
      }
    },

    openFile(path) {
      const entry = get().files.find((f) => f.path === path);
      const existing = get().tabs.find((t) => t.id === path);
      if (existing) {
        set({ activeTabId: existing.id });
        return;
      }
      const tab: Tab = { id: path, path, kind: entry?.kind ?? 'other', title: titleOf(path) };
      set({ tabs: [...get().tabs, tab], activeTabId: tab.id });
    },

    showWelcome() {
      if (!get().tabs.some((t) => t.id === WELCOME.id)) set({ tabs: [WELCOME, ...get().tabs] });
      set({ activeTabId: WELCOME.id });
    },

    closeTab(id) {
      const tabs = get().tabs;
      const index = tabs.findIndex((t) => t.id === id);
      if (index < 0) return;
      const next = tabs.filter((t) => t.id !== id);
      const active = get().activeTabId === id ? (next[Math.min(index, next.length - 1)]?.id ?? null) : get().activeTabId;
      set({ tabs: next, activeTabId: active });
    },

    activateTab(id) {
      set({ activeTabId: id });
    },

    cycleTab(step) {
      const { tabs, activeTabId } = get();
      if (tabs.length === 0) return;
      const index = tabs.findIndex((t) => t.id === activeTabId);
      set({ activeTabId: tabs[(index + step + tabs.length) % tabs.length]!.id });
    },

    setTheme(theme) {
      globalThis.localStorage?.setItem(THEME_KEY, theme);
      set({ theme });
    },

    toggleSidebar() {
      set({ sidebarVisible: !get().sidebarVisible });
    },

    setPaletteOpen(open) {
      set({ paletteOpen: open });
    },

    notify(kind, text) {
      const id = ++noticeId;
      set({ notices: [...get().notices, { id, kind, text }] });
      if (kind !== 'error') setTimeout(() => get().dismissNotice(id), 5000);
    },

    dismissNotice(id) {
      set({ notices: get().notices.filter((n) => n.id !== id) });
    },
  }));
}

export type WorkbenchStore = ReturnType<typeof createWorkbenchStore>;
