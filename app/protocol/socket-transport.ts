import { decodeFrame, encodeFrame } from './frame';
import { isMessage, type Message, type Transport } from './messages';

/**
 * The part of a WebSocket that the transport uses. The browser's WebSocket, Node's global
 * WebSocket and the `ws` package's socket all satisfy it.
 */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'open' | 'close', listener: () => void): void;
}

const OPEN = 1;
const CLOSED_STATES = new Set([2, 3]);

/**
 * A transport over a WebSocket, framed by `encodeFrame` (binary parts as binary frames).
 * Messages sent before the socket opens are queued. Malformed frames are dropped and reported to
 * `onBadFrame` — a client is untrusted in the browser shape.
 */
export function socketTransport(socket: SocketLike, onBadFrame: (reason: string) => void = () => undefined): Transport {
  socket.binaryType = 'arraybuffer';
  const queue: (string | Uint8Array)[] = [];
  const listeners = new Set<(m: Message) => void>();
  const closeListeners = new Set<() => void>();

  socket.addEventListener('open', () => {
    for (const frame of queue.splice(0)) socket.send(frame);
  });
  socket.addEventListener('message', (event) => {
    let decoded: unknown;
    try {
      decoded = decodeFrame(toFrame(event.data));
    } catch (error) {
      onBadFrame(error instanceof Error ? error.message : String(error));
      return;
    }
    if (!isMessage(decoded)) {
      onBadFrame('not a Vajra RPC message');
      return;
    }
    listeners.forEach((l) => l(decoded));
  });
  socket.addEventListener('close', () => closeListeners.forEach((l) => l()));

  return {
    send(message) {
      const frame = encodeFrame(message);
      if (socket.readyState === OPEN) socket.send(frame);
      else if (!CLOSED_STATES.has(socket.readyState)) queue.push(frame);
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close: () => socket.close(),
  };
}

function toFrame(data: unknown): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new Error('unsupported frame type');
}
