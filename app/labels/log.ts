/**
 * The durable label log, pure part. On disk a label set is `snapshot.json` plus `log.jsonl`:
 * one JSON object per line `{"seq":n,"op":{…}}`, appended with fsync by the backend. Replay
 * applies every line with seq > snapshot.seq in order. A crash mid-append leaves at most a torn
 * last line: replay ignores it and reports it, so the file stays readable and no complete op is lost.
 */
import { UserInputError } from '../base/errors';
import { canonicalJson, sha256Text } from './hash';
import type { Label, LabelSetState } from './model';
import { applyLabelOp, type LabelOp } from './ops';

/** One log line as data. */
export interface LogEntry {
  readonly seq: number;
  readonly op: LabelOp;
}

/** The snapshot file: a full state plus the format tag and its version id. */
export interface LabelSnapshot {
  readonly format: 'vajra-labels';
  readonly formatVersion: 1;
  readonly version: string;
  readonly state: LabelSetState;
}

/** What replay found besides the state. */
export interface ReplayReport {
  /** Lines applied. */
  readonly applied: number;
  /** Lines at or below the snapshot's seq (already folded in by a compaction). */
  readonly skipped: number;
  /** The torn last line (no trailing newline and not valid JSON), if any; it was ignored. */
  readonly tornTail: string | undefined;
}

/** Serialises one op as a log line (with trailing newline) carrying sequence number `seq`. */
export function serializeLogEntry(seq: number, op: LabelOp): string {
  return `${JSON.stringify({ seq, op })}\n`;
}

/**
 * Applies `op` to `state` and returns the new state with the exact line to append. The line's
 * seq is the new state's seq, so replay of the appended log reproduces the state.
 */
export function recordOp(state: LabelSetState, op: LabelOp): { state: LabelSetState; line: string } {
  const next = applyLabelOp(state, op);
  return { state: next, line: serializeLogEntry(next.seq, op) };
}

/**
 * `recordOp` over a batch: the final state and the lines to append, in one go. Runs of `add` ops
 * share one copy of the labels record, so importing n labels costs O(n), not O(n²). Throws (as
 * `applyLabelOp`) on the first op that does not fit; `state` is never modified.
 */
export function recordOps(state: LabelSetState, ops: readonly LabelOp[]): { state: LabelSetState; lines: string } {
  let current = state;
  let owned: Record<string, Label> | undefined;
  let lines = '';
  for (const op of ops) {
    if (op.op === 'add') {
      owned ??= { ...current.labels };
      if (owned[op.label.id]) throw new UserInputError(`label ${op.label.id} already exists`);
      owned[op.label.id] = op.label;
      current = { ...current, labels: owned, seq: current.seq + 1 };
    } else {
      current = applyLabelOp(current, op);
      owned = undefined;
    }
    lines += serializeLogEntry(current.seq, op);
  }
  return { state: current, lines };
}

function parseEntry(line: string): LogEntry | undefined {
  try {
    const v: unknown = JSON.parse(line);
    if (typeof v !== 'object' || v === null || !('seq' in v) || !('op' in v)) return undefined;
    const { seq, op } = v;
    if (typeof seq !== 'number' || typeof op !== 'object' || op === null || !('op' in op)) return undefined;
    return { seq, op: op as LabelOp };
  } catch {
    return undefined;
  }
}

/**
 * Rebuilds the state from `snapshot` and the log text. Only the final line may be damaged (torn
 * write): it is ignored and returned in the report. A damaged line anywhere else, or a gap in
 * sequence numbers, is corruption and throws UserInputError naming the line.
 */
export function replay(snapshot: LabelSetState, logText: string): { state: LabelSetState; report: ReplayReport } {
  const lines = logText.split('\n');
  const endsClean = logText.length === 0 || logText.endsWith('\n');
  if (endsClean) lines.pop();
  let state = snapshot;
  let applied = 0;
  let skipped = 0;
  let tornTail: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const entry = parseEntry(line);
    const isLast = i === lines.length - 1;
    if (!entry) {
      if (isLast && !endsClean) {
        tornTail = line;
        break;
      }
      throw new UserInputError(`label log line ${i + 1} is damaged`, { line: i + 1 });
    }
    if (entry.seq <= state.seq) {
      skipped++;
      continue;
    }
    if (entry.seq !== state.seq + 1) throw new UserInputError(`label log line ${i + 1}: seq ${entry.seq} after ${state.seq}`, { line: i + 1 });
    state = applyLabelOp(state, entry.op);
    applied++;
  }
  return { state, report: { applied, skipped, tornTail } };
}

/**
 * The version id of a state: SHA-256 of the canonical JSON of its content (name, schema, labels,
 * suggestions, rejected; not `seq`, so two histories reaching the same labels share a version).
 * Runs record it as the lineage of the labels they trained on.
 */
export function labelSetVersion(state: LabelSetState): string {
  const { seq: _seq, ...content } = state;
  return `sha256:${sha256Text(canonicalJson(content))}`;
}

/** The snapshot file's text (pretty JSON, trailing newline) for `state`. */
export function serializeSnapshot(state: LabelSetState): string {
  const snap: LabelSnapshot = { format: 'vajra-labels', formatVersion: 1, version: labelSetVersion(state), state };
  return `${JSON.stringify(snap, null, 1)}\n`;
}

/** Parses a snapshot file and checks its version id against its content. */
export function parseSnapshot(text: string): LabelSetState {
  const v: unknown = JSON.parse(text);
  if (typeof v !== 'object' || v === null || !('format' in v) || v.format !== 'vajra-labels' || !('state' in v) || !('version' in v)) {
    throw new UserInputError('not a Vajra label snapshot');
  }
  const state = v.state as LabelSetState;
  if (labelSetVersion(state) !== v.version) throw new UserInputError('label snapshot content does not match its version id');
  return state;
}
