import { CancelledError, fromErrorData, toErrorData, VajraError } from '../base/errors';
import type { Progress, ProgressSink, CancelSignal } from '../base/signal';
import { isMessage, type Message, type Transport } from './messages';
import type { CallContext, Contract, EventName, EventPayload, Handlers, MethodName, ParamsIn, Result } from './spec';

/** Per-call options on the client side. */
export interface CallOptions {
  signal?: CancelSignal;
  onProgress?: ProgressSink;
}

/** The typed client of a contract, over any transport. */
export interface Client<C extends Contract> {
  call<M extends MethodName<C>>(method: M, params: ParamsIn<C, M>, options?: CallOptions): Promise<Result<C, M>>;
  on<E extends EventName<C>>(event: E, listener: (payload: EventPayload<C, E>) => void): () => void;
  close(): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  onProgress?: ProgressSink;
  cleanup(): void;
}

/** Creates the calling side. Cancelling a call's signal sends `cancel` and rejects at once. */
export function createClient<C extends Contract>(transport: Transport): Client<C> {
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  transport.onMessage((message) => {
    switch (message.t) {
      case 'ok': settle(message.id)?.resolve(message.result); break;
      case 'err': settle(message.id)?.reject(fromErrorData(message.error)); break;
      case 'progress': pending.get(message.id)?.onProgress?.(message.progress); break;
      case 'event': listeners.get(message.name)?.forEach((l) => l(message.payload)); break;
      case 'call': case 'cancel': break;
    }
  });
  transport.onClose(() => {
    for (const id of [...pending.keys()]) settle(id)?.reject(new VajraError('disconnected', 'The connection to the Vajra backend was lost.', undefined, 'DisconnectedError'));
  });

  function settle(id: number): Pending | undefined {
    const entry = pending.get(id);
    if (!entry) return undefined;
    pending.delete(id);
    entry.cleanup();
    return entry;
  }

  return {
    call(method, params, options = {}) {
      const id = nextId++;
      const { signal, onProgress } = options;
      if (signal?.aborted) return Promise.reject(new CancelledError());
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          if (!pending.has(id)) return;
          transport.send({ t: 'cancel', id });
          settle(id)?.reject(new CancelledError());
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        pending.set(id, {
          resolve: (value) => resolve(value as Result<C, typeof method>),
          reject,
          ...(onProgress ? { onProgress } : {}),
          cleanup: () => signal?.removeEventListener('abort', onAbort),
        });
        transport.send({ t: 'call', id, method, params });
      });
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
    close: () => transport.close(),
  };
}

/** The serving side of one connection: validates every request, runs handlers, forwards cancel. */
export interface Server<C extends Contract> {
  emit<E extends EventName<C>>(event: E, payload: EventPayload<C, E>): void;
  /** Calls in flight (for tests and shutdown). */
  readonly inFlight: number;
  close(): void;
}

const PROGRESS_INTERVAL_MS = 100;

/**
 * Serves `handlers` on `transport`. Every call's params are parsed with the method's schema; a
 * request that fails it is refused with a `BadRequest` error naming the field, and the handler is
 * not called. A `cancel` message aborts the handler's signal.
 */
export function serveRpc<C extends Contract>(contract: C, handlers: Handlers<C>, transport: Transport, now: () => number = () => 0): Server<C> {
  const running = new Map<number, AbortController>();

  const reply = (message: Message) => transport.send(message);

  async function handleCall(id: number, method: string, rawParams: unknown): Promise<void> {
    const spec = Object.hasOwn(contract.methods, method) ? contract.methods[method] : undefined;
    const handler = spec ? (handlers as Record<string, (p: unknown, c: CallContext) => Promise<unknown>>)[method] : undefined;
    if (!spec || !handler) {
      reply({ t: 'err', id, error: { name: 'BadRequest', code: 'unknown_method', message: `Unknown method "${method}".` } });
      return;
    }
    const parsed = spec.params.safeParse(rawParams ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
      reply({ t: 'err', id, error: { name: 'BadRequest', code: 'bad_request', message: `Invalid request for ${method}${where}: ${issue?.message ?? 'invalid'}` } });
      return;
    }
    const controller = new AbortController();
    running.set(id, controller);
    let lastProgress = -Infinity;
    const progress = (p: Progress) => {
      const t = now();
      if (t - lastProgress < PROGRESS_INTERVAL_MS && p.done !== p.total) return;
      lastProgress = t;
      reply({ t: 'progress', id, progress: p });
    };
    try {
      const result = await handler(parsed.data, { signal: controller.signal, progress });
      if (!controller.signal.aborted) reply({ t: 'ok', id, result });
    } catch (error) {
      const cancelled = controller.signal.aborted;
      reply({ t: 'err', id, error: toErrorData(cancelled && !(error instanceof CancelledError) ? new CancelledError() : error) });
    } finally {
      running.delete(id);
    }
  }

  const unsubscribe = transport.onMessage((message) => {
    if (!isMessage(message)) return;
    if (message.t === 'call') void handleCall(message.id, message.method, message.params);
    else if (message.t === 'cancel') running.get(message.id)?.abort();
  });
  const unsubscribeClose = transport.onClose(() => {
    for (const controller of running.values()) controller.abort();
  });

  return {
    emit: (event, payload) => reply({ t: 'event', name: event, payload }),
    get inFlight() {
      return running.size;
    },
    close() {
      unsubscribe();
      unsubscribeClose();
      for (const controller of running.values()) controller.abort();
    },
  };
}
