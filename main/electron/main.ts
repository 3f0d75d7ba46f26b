// The desktop host: windows, menu, dialogs and the IPC transport — wiring only. The backend is
// the same `Backend` that `vajra serve` uses.
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, shell, type IpcMainEvent, type MenuItemConstructorOptions } from 'electron';
import { join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contract } from '../../app/protocol/contract';
import { serveRpc } from '../../app/protocol/rpc';
import { Backend } from '../backend/backend';
import { configDir, DEFAULT_EXAMPLE, examplesDir, packageVersion, rendererDir, userWorkspacesDir } from '../cli/paths';
import { materializeExample } from '../backend/workspace/examples';
import { ipcTransport, RPC_CHANNEL } from './ipc-transport';

const CSP = "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self' blob: data:; frame-ancestors 'none'; base-uri 'none'";

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) app.quit();

const backend = new Backend({
  version: packageVersion(),
  shape: 'desktop',
  configDir: configDir(process.env),
  examplesDir,
  userWorkspacesDir: userWorkspacesDir(process.env),
});

function serveRenderer(): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const file = normalize(join(rendererDir, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
    if (url.host !== 'vajra' || !file.startsWith(rendererDir + sep)) return new Response('Forbidden', { status: 403 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('content-security-policy', CSP);
    headers.set('x-content-type-options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Vajra',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith('app://vajra/')) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  const subscribe = (handler: (event: IpcMainEvent, message: unknown) => void) => {
    ipcMain.on(RPC_CHANNEL, handler);
    return () => void ipcMain.off(RPC_CHANNEL, handler);
  };
  const transport = ipcTransport(contents, subscribe);
  const rpc = serveRpc(contract, backend.handlers(), transport, () => Date.now());
  const unsubscribe = backend.events.subscribe((event, payload) => rpc.emit(event, payload));
  window.on('closed', () => (unsubscribe(), rpc.close()));
  window.once('ready-to-show', () => window.show());
  void window.loadURL('app://vajra/index.html');
  return window;
}

async function openWorkspaceDialog(): Promise<void> {
  const result = await dialog.showOpenDialog({ title: 'Open Workspace', properties: ['openDirectory', 'createDirectory'] });
  const folder = result.filePaths[0];
  if (!result.canceled && folder) await backend.openWorkspace(folder);
}

function buildMenu(): void {
  const isMac = process.platform === 'darwin';
  const command = (id: string) => () => backend.events.emit('ui.command', { id });
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Workspace…', accelerator: 'CmdOrCtrl+O', click: () => void openWorkspaceDialog() },
        { label: 'Welcome', click: command('workbench.welcome') },
        { type: 'separator' },
        { label: 'Close Tab', accelerator: 'CmdOrCtrl+W', click: command('workbench.closeTab') },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { label: 'Command Palette…', accelerator: 'CmdOrCtrl+Shift+P', click: command('workbench.palette') },
        { label: 'Toggle Sidebar', accelerator: 'CmdOrCtrl+B', click: command('workbench.toggleSidebar') },
        { label: 'Toggle Dark/Light Theme', click: command('workbench.toggleTheme') },
        { type: 'separator' },
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'About Vajra', click: () => void dialog.showMessageBox({ message: `Vajra ${packageVersion()}` }) }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

app.on('second-instance', () => {
  const [window] = BrowserWindow.getAllWindows();
  if (window) {
    if (window.isMinimized()) window.restore();
    window.focus();
  }
});
app.on('window-all-closed', () => {
  backend.dispose();
  app.quit();
});

await app.whenReady();
serveRenderer();
buildMenu();
const argument = process.argv.slice(app.isPackaged ? 1 : 2).find((a) => !a.startsWith('-'));
await backend.openWorkspace(argument ? resolve(argument) : await materializeExample(examplesDir, DEFAULT_EXAMPLE, userWorkspacesDir(process.env)));
createWindow();
