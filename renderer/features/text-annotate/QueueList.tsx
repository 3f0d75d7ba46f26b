import { useStore } from 'zustand';
import { docLabel } from '../../../app/labels/text/spans';
import type { TextStore } from './text-store';

/** The queue: documents in active-learning order; the shown one highlighted, labelled ones marked. */
export function QueueList({ store }: { store: TextStore }) {
  const order = useStore(store, (s) => s.order);
  const cursor = useStore(store, (s) => s.cursor);
  const docs = useStore(store, (s) => s.docs);
  const labels = useStore(store, (s) => s.labels);
  return (
    <nav className="ta-queue" aria-label="Queue">
      <ol>
        {order.slice(0, 200).map((row, i) => {
          const d = docs[row];
          const l = d ? docLabel(labels, d.doc) : undefined;
          return (
            <li key={row} data-row={row} className={i === cursor ? 'current' : undefined} onClick={() => store.setState({ cursor: i })}>
              {l && <span className="ta-done">{l.labels.join(',')}</span>}
              {d ? d.text.slice(0, 90) : `row ${row}`}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
