import { parentPort } from 'node:worker_threads';
import { toErrorData } from '../../../app/base/errors';
import { retrain, type RetrainJob } from '../../../app/labels/text/queue';

/** Replies of the retrain worker: one per job, in order. */
export type RetrainReply = { type: 'done'; result: ReturnType<typeof retrain> } | { type: 'error'; error: ReturnType<typeof toErrorData> };

parentPort!.on('message', (job: RetrainJob) => {
  try {
    const result = retrain(job);
    parentPort!.postMessage({ type: 'done', result } satisfies RetrainReply, [result.proba.buffer, ...result.committee.slice(1).map((p) => p.buffer)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer));
  } catch (error) {
    parentPort!.postMessage({ type: 'error', error: toErrorData(error) } satisfies RetrainReply);
  }
});
