import { createClient, type CallOptions, type Client } from '../../app/protocol/rpc';
import type { Transport } from '../../app/protocol/messages';
import { portTransport, type PortLike } from '../../app/protocol/port-transport';
import { socketTransport } from '../../app/protocol/socket-transport';
import type { VajraContract } from '../../app/protocol/contract';
import type { EventName, EventPayload, MethodName, ParamsIn, Result } from '../../app/protocol/spec';

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected';

/** The typed backend client the stores use; it survives reconnects of the underlying transport. */
export interface Backend {
  call<M extends MethodName<VajraContract>>(method: M, params: ParamsIn<VajraContract, M>, options?: CallOptions): Promise<Result<VajraContract, M>>;
  on<E extends EventName<VajraContract>>(event: E, listener: (payload: EventPayload<VajraContract, E>) => void): () => void;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  readonly status: ConnectionStatus;
  readonly shape: 'desktop' | 'browser';
}

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge): a MessagePort-like channel to the main process. */
    vajraIpc?: PortLike;
  }
}

/**
 * Connects to the backend: Electron IPC when the preload bridge exists, else a WebSocket to
 * `/rpc` on the page's origin (the token cookie authenticates it). A lost WebSocket reconnects
 * with backoff; calls in flight fail with a "connection lost" error, events resume.
 */
export function connectBackend(): Backend {
  const ipc = window.vajraIpc;
  const shape = ipc ? 'desktop' : 'browser';
  let client: Client<VajraContract>;
  let status: ConnectionStatus = 'connecting';
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  let retryMs = 250;

  const setStatus = (next: ConnectionStatus) => {
    status = next;
    statusListeners.forEach((l) => l(next));
  };

  function attach(transport: Transport) {
    client = createClient<VajraContract>(transport);
    for (const [event, listeners] of eventListeners) {
      client.on(event as EventName<VajraContract>, (payload) => listeners.forEach((l) => l(payload)));
    }
  }

  function openSocket() {
    const url = new URL('rpc', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const token = new URLSearchParams(window.location.search).get('token');
    url.search = token ? `?token=${encodeURIComponent(token)}` : '';
    url.hash = '';
    const socket = new WebSocket(url);
    const transport = socketTransport(socket, (reason) => console.warn('Dropped a malformed message from the backend:', reason));
    socket.addEventListener('open', () => {
      retryMs = 250;
      setStatus('connected');
    });
    transport.onClose(() => {
      setStatus('disconnected');
      setTimeout(openSocket, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    });
    attach(transport);
  }

  if (ipc) {
    attach(portTransport(ipc));
    setStatus('connected');
  } else {
    openSocket();
  }

  return {
    call: (method, params, options) => client.call(method, params, options),
    on(event, listener) {
      const set = eventListeners.get(event) ?? new Set();
      if (!eventListeners.has(event)) {
        eventListeners.set(event, set);
        client.on(event, (payload) => set.forEach((l) => l(payload)));
      }
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    get status() {
      return status;
    },
    shape,
  };
}
