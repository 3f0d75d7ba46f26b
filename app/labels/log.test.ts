import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Text } from './hash';
import { labelSetVersion, parseSnapshot, recordOp, recordOps, replay, serializeSnapshot } from './log';
import { emptyLabelSet, type LabelSetState } from './model';
import type { LabelOp } from './ops';

const base = emptyLabelSet('ls1', 'anomalies', { target: 'timeseries', classes: ['anomaly', 'maintenance'] });
const ops: LabelOp[] = [
  { op: 'add', label: { kind: 'range', id: 'r1', series: 'cpu', start: 10, end: 20, label: 'anomaly' } },
  { op: 'suggest', suggestions: [
    { id: 's1', proposal: { kind: 'range', id: 'r2', series: 'cpu', start: 40, end: 42, label: 'anomaly' }, source: { type: 'detector', name: 'zscore' }, score: 4.2 },
    { id: 's2', proposal: { kind: 'range', id: 'r3', series: 'cpu', start: 70, end: 71, label: 'anomaly' }, source: { type: 'detector', name: 'zscore' }, score: 3.1 },
  ] },
  { op: 'acceptSuggestion', id: 's1' },
  { op: 'rejectSuggestion', id: 's2' },
  { op: 'update', label: { kind: 'range', id: 'r1', series: 'cpu', start: 11, end: 20, label: 'maintenance', note: 'deploy' } },
];

function build(): { state: LabelSetState; log: string } {
  let state = base;
  let log = '';
  for (const op of ops) {
    const r = recordOp(state, op);
    state = r.state;
    log += r.line;
  }
  return { state, log };
}

describe('label log', () => {
  it('sha256Text(s) matches node:crypto', () => {
    for (const s of ['', 'abc', 'x'.repeat(55), 'y'.repeat(64), 'ünïcode ✓'.repeat(20)]) {
      expect(sha256Text(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
    }
  });

  it('canonicalJson(v) sorts keys so equal content hashes equally', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 1, c: 2 }] })).toBe('{"a":[2,{"c":2,"d":1}],"b":1}');
  });

  it('replay(snapshot, log) reproduces the recorded state and version', () => {
    const { state, log } = build();
    const { state: replayed, report } = replay(base, log);
    expect(replayed).toEqual(state);
    expect(report).toEqual({ applied: 5, skipped: 0, tornTail: undefined });
    expect(labelSetVersion(replayed)).toBe(labelSetVersion(state));
    expect(Object.keys(state.labels).sort()).toEqual(['r1', 'r2']);
    expect(state.rejected).toEqual(['s2']);
  });

  it('recordOps(state, ops) gives the state and lines of recordOp one by one, and throws without touching state', () => {
    const { state, log } = build();
    const batch = recordOps(base, [...ops, { op: 'add', label: { kind: 'range', id: 'r9', series: 'cpu', start: 1, end: 2, label: 'anomaly' } }]);
    expect(batch.lines.startsWith(log)).toBe(true);
    expect(replay(base, batch.lines).state).toEqual(batch.state);
    expect(batch.state.labels['r1']).toEqual(state.labels['r1']);
    expect(batch.state.seq).toBe(6);
    const dup = { op: 'add' as const, label: { kind: 'range' as const, id: 'r1', series: 'cpu', start: 0, end: 1, label: 'anomaly' } };
    expect(() => recordOps(state, [{ ...dup, label: { ...dup.label, id: 'new' } }, dup])).toThrow(/r1 already exists/);
    expect(Object.keys(state.labels).sort()).toEqual(['r1', 'r2']);
  });

  it('replay(snapshot, log) ignores and reports a torn last line, keeping every complete op', () => {
    const { log } = build();
    const torn = log + '{"seq":6,"op":{"op":"del';
    const { state, report } = replay(base, torn);
    expect(state.seq).toBe(5);
    expect(report.tornTail).toBe('{"seq":6,"op":{"op":"del');
  });

  it('replay(snapshot, log) throws on damage before the last line', () => {
    const { log } = build();
    const lines = log.split('\n');
    lines[1] = lines[1]!.slice(0, 10);
    expect(() => replay(base, lines.join('\n'))).toThrow(/line 2/);
  });

  it('replay(snapshot, log) skips lines already folded into a snapshot', () => {
    const { state, log } = build();
    const mid = replay(base, log.split('\n').slice(0, 3).join('\n') + '\n').state;
    const snap = parseSnapshot(serializeSnapshot(mid));
    const { state: full, report } = replay(snap, log);
    expect(full).toEqual(state);
    expect(report.skipped).toBe(3);
  });

  it('labelSetVersion(state) changes with content but not with history length', () => {
    const { state } = build();
    const renamed = recordOp(state, { op: 'rename', name: 'other' }).state;
    expect(labelSetVersion(renamed)).not.toBe(labelSetVersion(state));
    expect(labelSetVersion({ ...state, seq: 99 })).toBe(labelSetVersion(state));
  });

  it('parseSnapshot(text) rejects a snapshot whose content was edited', () => {
    const text = serializeSnapshot(build().state).replace('"maintenance"', '"anomaly"');
    expect(() => parseSnapshot(text)).toThrow(/version/);
  });
});
