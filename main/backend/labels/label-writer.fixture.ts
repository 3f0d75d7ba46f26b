// Child process of label-store.test.ts: adds labels forever to one label set and prints the seq
// of each acknowledged op, so the parent can SIGKILL it at any moment and check none was lost.
import { LabelStore } from './label-store';

const dir = process.argv[2]!;
const store = await LabelStore.open(dir, { snapshotEvery: 7 });
process.stdout.write(`open ${store.state.seq}\n`);
for (;;) {
  const i = store.state.seq + 1;
  const { seq } = await store.apply({ op: 'add', label: { kind: 'range', id: `r${i}`, series: 's', start: i, end: i + 0.5, label: 'anomaly' } }, store.state.seq);
  process.stdout.write(`ack ${seq}\n`);
}
