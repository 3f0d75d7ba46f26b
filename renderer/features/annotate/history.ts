import { assertNever } from '../../../app/base/assert';
import type { LabelSetState } from '../../../app/labels/model';
import type { LabelOp } from '../../../app/labels/ops';

/**
 * The ops that undo `op` when applied after it, given the state before it; null when the op
 * cannot be undone (a rejection is final: the detector will not propose that id again).
 */
export function inverseOf(before: LabelSetState, op: LabelOp): LabelOp[] | null {
  switch (op.op) {
    case 'add':
      return [{ op: 'delete', id: op.label.id }];
    case 'update': {
      const prev = before.labels[op.label.id];
      return prev ? [{ op: 'update', label: prev }] : null;
    }
    case 'delete': {
      const prev = before.labels[op.id];
      return prev ? [{ op: 'add', label: prev }] : null;
    }
    case 'acceptSuggestion': {
      const s = before.suggestions[op.id];
      return s ? [{ op: 'delete', id: (op.label ?? s.proposal).id }, { op: 'suggest', suggestions: [s] }] : null;
    }
    case 'rejectSuggestion':
    case 'suggest':
    case 'clearSuggestions':
    case 'rename':
      return null;
    default:
      return assertNever(op, 'label op');
  }
}
