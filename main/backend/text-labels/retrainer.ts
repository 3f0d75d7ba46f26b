import type { Worker } from 'node:worker_threads';
import { startWorker } from '../worker-entry';
import { fromErrorData } from '../../../app/base/errors';
import type { RetrainJob, RetrainResult } from '../../../app/labels/text/queue';
import type { RetrainReply } from './retrain.worker';


/**
 * One background worker thread that retrains text models, one job at a time (the UI thread of
 * the backend never fits a model). Jobs queue; `close` terminates the thread.
 */
export class Retrainer {
  private worker: Worker | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  /** Runs `job` in the worker; rejects with the trainer's error (e.g. one class only). */
  run(job: RetrainJob): Promise<RetrainResult> {
    const next = this.queue.then(() => this.once(job));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private once(job: RetrainJob): Promise<RetrainResult> {
    const worker = (this.worker ??= startWorker(import.meta.url, 'retrain'));
    worker.unref();
    return new Promise<RetrainResult>((resolve, reject) => {
      const onMessage = (reply: RetrainReply) => {
        cleanup();
        if (reply.type === 'done') resolve(reply.result);
        else reject(fromErrorData(reply.error));
      };
      const onError = (error: Error) => {
        cleanup();
        this.worker = undefined;
        reject(error);
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage(job);
    });
  }
}
