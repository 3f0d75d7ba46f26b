// Child process of text-label-store.test.ts: writes text labels forever (batches of one to three
// ops: spans and document classes, the op for seq k is a function of k) and prints the seq of
// each acknowledged batch, so the parent can SIGKILL it at any moment and check none was lost.
import type { LabelOp } from '../../../app/labels/ops';
import { TextLabelStore } from './text-label-store';
import { textWriterOp } from './text-writer.testkit';

const dir = process.argv[2]!;
const store = await TextLabelStore.open(dir, { snapshotEvery: 7 });
process.stdout.write(`open ${store.state.seq}\n`);
for (;;) {
  const seq = store.state.seq;
  const ops: LabelOp[] = Array.from({ length: 1 + (seq % 3) }, (_, i) => textWriterOp(seq + 1 + i));
  const acked = await store.apply(ops, seq);
  process.stdout.write(`ack ${acked}\n`);
}
