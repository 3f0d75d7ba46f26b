import { parentPort } from 'node:worker_threads';
import { toErrorData } from '../../../app/base/errors';
import { fitModelJob } from '../../../app/pipeline/run/train';
import type { ModelJob } from '../../../app/pipeline/run/train';
import type { WorkerReply } from './worker-pool';

/*
 * Training worker: fits one model per message with the pure trainers of app/ml. Progress is
 * posted at most every 100 ms (boosting curve points always); cancel = the pool terminates us.
 */
const port = parentPort;
if (!port) throw new Error('train.worker.ts must run in a worker thread');

port.on('message', (message: { id: number; job: ModelJob }) => {
  const { id, job } = message;
  let last = 0;
  const post = (reply: WorkerReply) => port.postMessage(reply);
  try {
    const result = fitModelJob(job, {
      progress: (p) => {
        const now = Date.now();
        if (now - last < 100 && p.done !== p.total) return;
        last = now;
        post({ id, type: 'progress', progress: p });
      },
      onStep: (step) => post({ id, type: 'progress', progress: { done: step.iteration, total: Number(job.params['maxIter'] ?? 0), message: 'iterations' }, step: { ...step } }),
    });
    post({ id, type: 'done', result });
  } catch (error) {
    post({ id, type: 'error', error: toErrorData(error) });
  }
});
