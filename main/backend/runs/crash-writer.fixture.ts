// Child process of run-store.test.ts: logs metrics forever and prints each acknowledged step,
// so the parent can SIGKILL it at an arbitrary moment and check that nothing acknowledged is lost.
import { openRunStore } from './run-store';

const workspace = process.argv[2]!;
const store = await openRunStore(workspace);
const run = await store.createRun({ experiment: 'crash', name: 'doomed', params: { lr: 0.1 } });
process.stdout.write(`run ${run.id}\n`);
for (let step = 0; ; step++) {
  await store.logMetrics(run.id, [
    { key: 'loss', value: 1 / (step + 1), step, timestamp: Date.now() },
    { key: 'acc', value: step / (step + 1), step, timestamp: Date.now() },
  ]);
  process.stdout.write(`ack ${step}\n`);
}
