import type { Worker } from 'node:worker_threads';
import { startWorker } from '../worker-entry';
import { CancelledError, fromErrorData } from '../../../app/base/errors';
import type { ErrorData } from '../../../app/base/errors';
import type { Progress } from '../../../app/base/signal';
import type { ModelJob, ModelJobResult, TrainingStep } from '../../../app/pipeline/run/train';
import type { ModelFitter, TrainingProgress } from '../../../app/pipeline/run/types';

/** Messages from a training worker to the pool. */
export type WorkerReply =
  | { id: number; type: 'progress'; progress: Progress; step?: TrainingStep }
  | { id: number; type: 'done'; result: ModelJobResult }
  | { id: number; type: 'error'; error: ErrorData };

interface Pending {
  id: number;
  job: ModelJob;
  resolve(result: ModelJobResult): void;
  reject(error: unknown): void;
  progress?: (p: TrainingProgress) => void;
  worker?: Worker;
  detach(): void;
}

/** A pool of training worker threads; `fit` is a ModelFitter. */
export interface TrainPool {
  fit: ModelFitter;
  /** Workers alive now (idle or busy). */
  size(): number;
  close(): Promise<void>;
}


function transferables(job: ModelJob): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  if (job.x.data.buffer instanceof ArrayBuffer) buffers.push(job.x.data.buffer);
  if (job.y instanceof Float64Array && job.y.buffer instanceof ArrayBuffer && job.y.buffer !== job.x.data.buffer) buffers.push(job.y.buffer);
  return buffers;
}

/**
 * Training in `size` worker threads (2 on this 2-core machine), run through tsx so the TypeScript
 * trainers load as they are. Jobs queue when all workers are busy. Cancel: a queued job is dropped,
 * a running one's worker is terminated at once (the trainers are synchronous) and replaced lazily.
 * Job data is copied (the caller keeps its arrays); results come back structured-cloned.
 */
export function createTrainPool(size = 2): TrainPool {
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  const queue: Pending[] = [];
  const running = new Map<number, Pending>();
  let nextId = 1;

  function spawn(): Worker {
    const worker = startWorker(import.meta.url, 'train');
    all.add(worker);
    worker.on('message', (reply: WorkerReply) => onReply(worker, reply));
    worker.on('error', (error) => failWorker(worker, error));
    worker.on('exit', () => failWorker(worker, new Error('The training worker stopped unexpectedly.')));
    return worker;
  }

  function failWorker(worker: Worker, error: unknown): void {
    if (!all.delete(worker)) return;
    const index = idle.indexOf(worker);
    if (index >= 0) idle.splice(index, 1);
    for (const p of running.values()) if (p.worker === worker) finish(p, () => p.reject(error));
    pump();
  }

  function finish(p: Pending, settle: () => void): void {
    running.delete(p.id);
    p.detach();
    settle();
  }

  function onReply(worker: Worker, reply: WorkerReply): void {
    const p = running.get(reply.id);
    if (!p) return;
    if (reply.type === 'progress') { p.progress?.({ ...reply.progress, ...(reply.step ? { step: reply.step } : {}) }); return; }
    finish(p, () => (reply.type === 'done' ? p.resolve(reply.result) : p.reject(fromErrorData(reply.error))));
    worker.unref();
    idle.push(worker);
    pump();
  }

  function pump(): void {
    while (queue.length > 0 && (idle.length > 0 || all.size < size)) {
      const p = queue.shift()!;
      const worker = idle.pop() ?? spawn();
      worker.ref();
      p.worker = worker;
      running.set(p.id, p);
      worker.postMessage({ id: p.id, job: p.job }, transferables(p.job));
    }
  }

  const fit: ModelFitter = (job, ctx) => new Promise<ModelJobResult>((resolve, reject) => {
    if (ctx.signal?.aborted) { reject(new CancelledError()); return; }
    const copy: ModelJob = { ...job, x: { ...job.x, data: job.x.data.slice() }, y: job.y instanceof Float64Array ? job.y.slice() : job.y };
    const onAbort = () => {
      const queued = queue.indexOf(p);
      if (queued >= 0) { queue.splice(queued, 1); p.detach(); reject(new CancelledError()); return; }
      const worker = p.worker;
      finish(p, () => reject(new CancelledError()));
      if (worker) { all.delete(worker); void worker.terminate(); }
      pump();
    };
    const p: Pending = {
      id: nextId++, job: copy, resolve, reject,
      ...(ctx.progress ? { progress: ctx.progress } : {}),
      detach: () => ctx.signal?.removeEventListener('abort', onAbort),
    };
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    queue.push(p);
    pump();
  });

  return {
    fit,
    size: () => all.size,
    async close() {
      for (const p of [...queue]) p.reject(new CancelledError('The training pool closed.'));
      queue.length = 0;
      const workers = [...all];
      all.clear();
      idle.length = 0;
      for (const p of running.values()) p.reject(new CancelledError('The training pool closed.'));
      running.clear();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
