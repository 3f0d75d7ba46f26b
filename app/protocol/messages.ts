import type { ErrorData } from '../base/errors';
import type { Progress } from '../base/signal';

/**
 * The wire messages of Vajra's tiny RPC (STYLE.md: call / ok / err / cancel / event, plus progress
 * of a running call). `id` pairs a call with its answers; ids are unique per client connection.
 */
export type Message =
  | { t: 'call'; id: number; method: string; params: unknown }
  | { t: 'ok'; id: number; result: unknown }
  | { t: 'err'; id: number; error: ErrorData }
  | { t: 'cancel'; id: number }
  | { t: 'progress'; id: number; progress: Progress }
  | { t: 'event'; name: string; payload: unknown };

/**
 * A bidirectional message channel. Implementations: in-memory pair (tests), WebSocket (browser
 * shape), Electron IPC via the preload bridge, and MessagePort (workers). Messages may carry
 * Uint8Array values: each transport moves them as binary, never as JSON arrays of numbers.
 */
export interface Transport {
  send(message: Message): void;
  /** Subscribes to incoming messages; returns the unsubscribe function. */
  onMessage(listener: (message: Message) => void): () => void;
  /** Subscribes to the channel closing (peer gone); returns the unsubscribe function. */
  onClose(listener: () => void): () => void;
  close(): void;
}

/** Checks the shape of an incoming wire message (the payload is validated later, per method). */
export function isMessage(value: unknown): value is Message {
  if (typeof value !== 'object' || value === null || !('t' in value)) return false;
  const t = (value as { t: unknown }).t;
  switch (t) {
    case 'call': return hasId(value) && typeof (value as { method?: unknown }).method === 'string';
    case 'ok': case 'err': case 'cancel': case 'progress': return hasId(value);
    case 'event': return typeof (value as { name?: unknown }).name === 'string';
    default: return false;
  }
}

function hasId(value: object): boolean {
  const id = (value as { id?: unknown }).id;
  return typeof id === 'number' && Number.isSafeInteger(id);
}

/** Two in-memory transports wired to each other (messages are delivered asynchronously). */
export function createTransportPair(): [Transport, Transport] {
  type End = { listeners: Set<(m: Message) => void>; closeListeners: Set<() => void>; closed: boolean };
  const ends: [End, End] = [
    { listeners: new Set(), closeListeners: new Set(), closed: false },
    { listeners: new Set(), closeListeners: new Set(), closed: false },
  ];
  const make = (self: End, peer: End): Transport => ({
    send(message) {
      if (self.closed || peer.closed) return;
      queueMicrotask(() => peer.listeners.forEach((l) => l(message)));
    },
    onMessage(listener) {
      self.listeners.add(listener);
      return () => self.listeners.delete(listener);
    },
    onClose(listener) {
      self.closeListeners.add(listener);
      return () => self.closeListeners.delete(listener);
    },
    close() {
      if (self.closed) return;
      self.closed = peer.closed = true;
      queueMicrotask(() => [...self.closeListeners, ...peer.closeListeners].forEach((l) => l()));
    },
  });
  return [make(ends[0], ends[1]), make(ends[1], ends[0])];
}
