import { isMessage, type Message, type Transport } from './messages';

/**
 * The part of a MessagePort / Worker / worker_threads port that the transport uses. Electron's
 * preload bridge exposes the same shape to the renderer.
 */
export interface PortLike {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener?(type: 'message', listener: (event: { data: unknown }) => void): void;
  start?(): void;
  close?(): void;
  terminate?(): void;
}

/**
 * A transport over a MessagePort-like object. Uint8Array values that own their whole buffer are
 * transferred (zero-copy, the sender's view is detached), so large Arrow batches cross cheaply.
 */
export function portTransport(port: PortLike): Transport {
  const listeners = new Set<(m: Message) => void>();
  const closeListeners = new Set<() => void>();
  port.addEventListener('message', (event) => {
    if (isMessage(event.data)) listeners.forEach((l) => l(event.data as Message));
  });
  port.start?.();
  return {
    send: (message) => port.postMessage(message, transferables(message)),
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close() {
      port.close?.();
      port.terminate?.();
      closeListeners.forEach((l) => l());
    },
  };
}

function transferables(message: Message): ArrayBuffer[] {
  if (message.t !== 'ok' && message.t !== 'call') return [];
  const found = new Set<ArrayBuffer>();
  const visit = (value: unknown, depth: number) => {
    if (depth > 4 || typeof value !== 'object' || value === null) return;
    if (value instanceof Uint8Array) {
      if (value.byteOffset === 0 && value.byteLength === value.buffer.byteLength && value.buffer instanceof ArrayBuffer) found.add(value.buffer);
      return;
    }
    for (const child of Array.isArray(value) ? value : Object.values(value)) visit(child, depth + 1);
  };
  visit(message.t === 'ok' ? message.result : message.params, 0);
  return [...found];
}
