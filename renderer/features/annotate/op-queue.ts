import type { LabelOp } from '../../../app/labels/ops';
import type { SeriesLabelOp } from '../../../app/protocol/methods/labels';
import type { Backend } from '../../bridge/connection';

/** What the queue reports: edits not yet acknowledged, and whether the backend is reachable. */
export interface QueueStatus {
  readonly pending: number;
  readonly offline: boolean;
}

/** An op waiting for its acknowledgement, with the seq it was made at. */
export interface QueuedOp {
  readonly op: LabelOp;
  readonly baseSeq: number;
}

/** How long one attempt may wait for its acknowledgement before it is retried. */
const ATTEMPT_TIMEOUT_MS = 8000;

/**
 * Sends label ops to the backend one at a time, in order, each with the seq it was made at, so a
 * retried op whose acknowledgement was lost is recognised by the store and not applied twice.
 * Ops are never dropped: while the backend is unreachable they wait and are retried. An op the
 * backend refuses (a conflict, an invalid edit) stops the queue and calls `onRejected`.
 */
export function createOpQueue(
  backend: Backend,
  name: string,
  handlers: { onStatus(status: QueueStatus): void; onRejected(error: Error): void; onAcked(seq: number): void; onChange(unsent: readonly QueuedOp[]): void },
) {
  const queue: QueuedOp[] = [];
  let running = false;
  let offline = false;
  let stopped = false;

  // Offline while the transport is down, or while the last attempt failed for lack of a backend.
  const report = () => {
    handlers.onStatus({ pending: queue.length, offline: offline || backend.status !== 'connected' });
    handlers.onChange([...queue]);
  };
  backend.onStatus(report);

  const waitConnected = () =>
    new Promise<void>((resolve) => {
      if (backend.status === 'connected') return resolve();
      const off = backend.onStatus((status) => {
        if (status === 'connected') {
          off();
          resolve();
        }
      });
    });

  async function attempt(item: { op: LabelOp; baseSeq: number }): Promise<number> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ATTEMPT_TIMEOUT_MS);
    try {
      const op: SeriesLabelOp = toWire(item.op);
      return (await backend.call('labels.apply', { name, op, baseSeq: item.baseSeq }, { signal: controller.signal })).seq;
    } finally {
      clearTimeout(timer);
    }
  }

  async function run(): Promise<void> {
    if (running) return;
    running = true;
    while (queue.length > 0 && !stopped) {
      await waitConnected();
      try {
        const seq = await attempt(queue[0]!);
        queue.shift();
        offline = false;
        handlers.onAcked(seq);
      } catch (error) {
        const e = error instanceof Error ? error : new Error(String(error));
        if (isTransient(e)) {
          offline = true;
          report();
          await new Promise((r) => setTimeout(r, 400));
          continue;
        }
        stopped = true;
        queue.length = 0;
        handlers.onRejected(e);
      }
      report();
    }
    running = false;
    report();
  }

  return {
    /** Queues `op`, made when the local state was at `baseSeq`. */
    push(op: LabelOp, baseSeq: number): void {
      queue.push({ op, baseSeq });
      report();
      void run();
    },
    get pending(): number {
      return queue.length;
    },
    /** Stops sending (the view closed); unsent ops stay unsent only if the page goes away. */
    stop(): void {
      stopped = true;
    },
  };
}

function isTransient(error: Error): boolean {
  return error.name === 'DisconnectedError' || error.name === 'CancelledError' || /connection|socket|closed/i.test(error.message);
}

/** The ops the annotator makes are all time-series ops; this narrows the shared type for the wire. */
function toWire(op: LabelOp): SeriesLabelOp {
  const isSeries = (l: { kind: string }) => l.kind === 'range' || l.kind === 'point';
  if ((op.op === 'add' || op.op === 'update') && !isSeries(op.label)) throw new Error('only time-series labels can be sent');
  return op as SeriesLabelOp;
}
