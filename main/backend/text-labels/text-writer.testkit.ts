import type { LabelOp } from '../../../app/labels/ops';

/**
 * The op the crash-test writer logs at seq `k` (test support): odd k adds span `l<k>`, even k adds
 * a document class `l<k>`, so a reader can tell from the seq alone which label must exist.
 */
export function textWriterOp(k: number): LabelOp {
  return k % 2 === 1
    ? { op: 'add', label: { kind: 'span', id: `l${k}`, doc: `row:${k % 50}`, start: k % 7, end: (k % 7) + 3, label: 'PER' } }
    : { op: 'add', label: { kind: 'doc', id: `l${k}`, doc: `row:${k % 50}`, labels: [k % 4 === 0 ? 'SPAM' : 'HAM'] } };
}
