import type { IpcMainEvent, WebContents } from 'electron';
import { isMessage, type Message, type Transport } from '../../app/protocol/messages';

export const RPC_CHANNEL = 'vajra:rpc';

/**
 * The main-process end of one window's RPC channel. Incoming messages are accepted only from
 * that window's top frame at the app's own origin (`app://vajra`).
 */
export function ipcTransport(contents: WebContents, subscribe: (handler: (event: IpcMainEvent, message: unknown) => void) => () => void): Transport {
  const listeners = new Set<(m: Message) => void>();
  const closeListeners = new Set<() => void>();
  const unsubscribe = subscribe((event, message) => {
    if (event.sender !== contents) return;
    const frame = event.senderFrame;
    if (!frame || frame !== contents.mainFrame || !frame.url.startsWith('app://vajra/')) return;
    if (isMessage(message)) listeners.forEach((l) => l(message));
  });
  const close = () => {
    unsubscribe();
    closeListeners.forEach((l) => l());
  };
  contents.once('destroyed', close);
  return {
    send(message) {
      if (!contents.isDestroyed()) contents.send(RPC_CHANNEL, message);
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close,
  };
}
