// The Electron preload: only a message channel to the main process, exposed with contextBridge.
// The renderer sees `window.vajraIpc` (a MessagePort-like object) and nothing of Node or Electron.
import { contextBridge, ipcRenderer } from 'electron';

const CHANNEL = 'vajra:rpc';
type Listener = (event: { data: unknown }) => void;
const listeners = new Set<Listener>();
ipcRenderer.on(CHANNEL, (_event, message: unknown) => listeners.forEach((l) => l({ data: message })));

contextBridge.exposeInMainWorld('vajraIpc', {
  postMessage: (message: unknown) => ipcRenderer.send(CHANNEL, message),
  addEventListener: (type: string, listener: Listener) => {
    if (type === 'message') listeners.add(listener);
  },
  removeEventListener: (type: string, listener: Listener) => {
    if (type === 'message') listeners.delete(listener);
  },
});
