/**
 * Label edits as data. Every change to a label set is one `LabelOp`, applied by the pure
 * `applyLabelOp`; the durable log (log.ts) stores exactly these values, so undo, autosave,
 * replay and sync share one code path.
 */
import { assertNever } from '../base/assert';
import { UserInputError } from '../base/errors';
import type { Label, LabelSetState, Suggestion } from './model';

/** One edit. `update` replaces the whole label (same id); `acceptSuggestion` may carry an edited label. */
export type LabelOp =
  | { readonly op: 'add'; readonly label: Label }
  | { readonly op: 'update'; readonly label: Label }
  | { readonly op: 'delete'; readonly id: string }
  | { readonly op: 'suggest'; readonly suggestions: readonly Suggestion[] }
  | { readonly op: 'acceptSuggestion'; readonly id: string; readonly label?: Label }
  | { readonly op: 'rejectSuggestion'; readonly id: string }
  | { readonly op: 'clearSuggestions'; readonly source?: string }
  | { readonly op: 'rename'; readonly name: string };

function without<T>(record: Readonly<Record<string, T>>, id: string): Record<string, T> {
  const next = { ...record };
  delete next[id];
  return next;
}

/**
 * Applies `op` and returns the next state with `seq` advanced by one. Throws UserInputError for an
 * op that does not fit the state (adding an existing id, updating or deleting a missing one,
 * accepting an unknown suggestion), so a bad op never half-applies.
 */
export function applyLabelOp(state: LabelSetState, op: LabelOp): LabelSetState {
  const seq = state.seq + 1;
  switch (op.op) {
    case 'add':
      if (state.labels[op.label.id]) throw new UserInputError(`label ${op.label.id} already exists`);
      return { ...state, seq, labels: { ...state.labels, [op.label.id]: op.label } };
    case 'update':
      if (!state.labels[op.label.id]) throw new UserInputError(`no label ${op.label.id} to update`);
      return { ...state, seq, labels: { ...state.labels, [op.label.id]: op.label } };
    case 'delete':
      if (!state.labels[op.id]) throw new UserInputError(`no label ${op.id} to delete`);
      return { ...state, seq, labels: without(state.labels, op.id) };
    case 'suggest': {
      const suggestions = { ...state.suggestions };
      for (const s of op.suggestions) if (!state.rejected.includes(s.id)) suggestions[s.id] = s;
      return { ...state, seq, suggestions };
    }
    case 'acceptSuggestion': {
      const s = state.suggestions[op.id];
      if (!s) throw new UserInputError(`no suggestion ${op.id} to accept`);
      const label = op.label ?? s.proposal;
      if (state.labels[label.id]) throw new UserInputError(`label ${label.id} already exists`);
      return { ...state, seq, labels: { ...state.labels, [label.id]: label }, suggestions: without(state.suggestions, op.id) };
    }
    case 'rejectSuggestion':
      if (!state.suggestions[op.id]) throw new UserInputError(`no suggestion ${op.id} to reject`);
      return { ...state, seq, suggestions: without(state.suggestions, op.id), rejected: [...state.rejected, op.id] };
    case 'clearSuggestions': {
      const keep = Object.values(state.suggestions).filter((s) => op.source !== undefined && s.source.name !== op.source);
      return { ...state, seq, suggestions: Object.fromEntries(keep.map((s) => [s.id, s])) };
    }
    case 'rename':
      return { ...state, seq, name: op.name };
    default:
      return assertNever(op, 'label op');
  }
}
