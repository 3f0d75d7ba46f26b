import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeLogEntry, serializeSnapshot } from '../../labels/log';
import { emptyLabelSet } from '../../labels/model';
import { NAB_PROFILES, parseNabTimestamp, scoreNabFile, sweepNabThresholds } from '../../labels/nab';
import { applyLabelOp } from '../../labels/ops';
import { evaluateNab, labelWindows, nabEvaluation, nabParams, readLabelSet } from './nab-evaluate';

const nabDir = join(process.cwd(), '..', 'shared', 'data', 'nab');
const windowsByFile = JSON.parse(readFileSync(join(nabDir, 'labels/combined_windows.json'), 'utf8')) as Record<string, string[][]>;

function numentaTaxi(): { x: Float64Array; scores: Float64Array } {
  const rows = readFileSync(join(nabDir, 'results/numenta/realKnownCause/numenta_nyc_taxi.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  return { x: Float64Array.from(rows, (r) => parseNabTimestamp(r[0]!)), scores: Float64Array.from(rows, (r) => Number(r[2])) };
}
const taxiWindows = windowsByFile['realKnownCause/nyc_taxi.csv']!.map(([a, b]) => ({ start: parseNabTimestamp(a!), end: parseNabTimestamp(b!) }));

describe('NAB scoring in the Evaluate node', () => {
  it('sweepNabThresholds(numenta nyc_taxi) gives at every threshold the score scoreNabFile gives', () => {
    const { x, scores } = numentaTaxi();
    const sweep = sweepNabThresholds({ x, scores, windows: taxiWindows, cost: NAB_PROFILES.standard });
    expect(sweep[0]).toEqual({ threshold: Infinity, score: -taxiWindows.length });
    const picks = [1, 2, 5, Math.floor(sweep.length / 3), Math.floor(sweep.length / 2), sweep.length - 1];
    for (const k of picks) {
      const p = sweep[k]!;
      expect(scoreNabFile({ x, scores, windows: taxiWindows, cost: NAB_PROFILES.standard, threshold: p.threshold }).score, `threshold ${p.threshold}`).toBeCloseTo(p.score, 9);
    }
  });

  it('nabEvaluation(best) scores at least as well as NAB’s tuned corpus threshold and reports delays in x units', () => {
    const { x, scores } = numentaTaxi();
    const fixed = nabEvaluation(x, scores, taxiWindows, { profile: 'standard', threshold: 0.5, probationPercent: 0.15 });
    const best = nabEvaluation(x, scores, taxiWindows, { profile: 'standard', threshold: 'best', probationPercent: 0.15 });
    expect(best.metrics['nab_score']!).toBeGreaterThanOrEqual(fixed.metrics['nab_score']!);
    const detected = best.perWindow.filter((w) => w.delay !== null);
    expect(best.metrics['nab_detected_windows']).toBe(detected.length);
    // nyc_taxi is sampled every 30 minutes: a delay in ms is the delay in rows × 1.8e6.
    for (const w of detected) expect(w.delay).toBe(w.delayRows! * 1_800_000);
    expect(best.metrics['nab_score_normalized']).toBeCloseTo((100 * (best.metrics['nab_score']! + 5)) / 10, 9);
  });

  it('labelWindows(state, class) keeps ranges of the class, sorted, overlaps merged; evaluateNab reads the set from its files', async () => {
    let state = emptyLabelSet('id', 'taxi', { target: 'timeseries', classes: ['anomaly', 'event'] });
    let log = '';
    const add = (id: string, start: number, end: number, label: string) => {
      const op = { op: 'add' as const, label: { kind: 'range' as const, id, series: 's', start, end, label } };
      state = applyLabelOp(state, op);
      log += serializeLogEntry(state.seq, op);
    };
    const snapshot = serializeSnapshot(state);
    add('b', 50, 60, 'anomaly');
    add('a', 10, 20, 'anomaly');
    add('c', 15, 30, 'anomaly');
    add('d', 70, 80, 'event');
    const files: Record<string, string> = { 'labels/taxi/labelset.json': '{"id":"id"}', 'labels/taxi/snapshot.json': snapshot, 'labels/taxi/ops.ndjson': log };
    const readFile = async (p: string) => {
      if (!(p in files)) throw new Error(`no ${p}`);
      return new TextEncoder().encode(files[p]);
    };
    const replayed = await readLabelSet(readFile, 'taxi');
    expect(labelWindows(replayed, 'anomaly')).toEqual([{ start: 10, end: 30 }, { start: 50, end: 60 }]);
    expect(labelWindows(replayed)).toHaveLength(3);
    const rows = 100;
    const t = Float64Array.from({ length: rows }, (_, i) => i);
    const scores = Float64Array.from(t, (i) => (i === 55 ? 1 : 0));
    const params = nabParams({ labelSet: 'taxi', labelClass: 'anomaly', timeColumn: 't', nabProfile: 'reward_low_FN_rate', threshold: 0.5 })!;
    const got = await evaluateNab({ rows, columns: [{ name: 't', type: 'number', values: t.slice().reverse() }] }, scores.slice().reverse(), { ...params, probationPercent: 0.05 }, readFile);
    const direct = scoreNabFile({ x: t, scores, windows: [{ start: 10, end: 30 }, { start: 50, end: 60 }], cost: NAB_PROFILES.reward_low_FN_rate, threshold: 0.5, probationPercent: 0.05 });
    expect(got.metrics['nab_score']).toBe(direct.score);
    expect([got.metrics['nab_tp'], got.metrics['nab_fp'], got.metrics['nab_fn'], got.metrics['nab_tn']]).toEqual([direct.tp, direct.fp, direct.fn, direct.tn]);
    expect(got.metrics['nab_delay_mean']).toBe(5);
    expect(got.detail.labelVersion).toMatch(/^sha256:/);
    await expect(evaluateNab({ rows, columns: [] }, scores, { ...params, labelSet: 'nope' }, readFile)).rejects.toThrow(/no label set "nope"/);
  });

  it('nabParams(params) is null without a label set and refuses a set without a time column', () => {
    expect(nabParams({ metrics: [] })).toBeNull();
    expect(() => nabParams({ labelSet: 'x' })).toThrow(/time column/);
    expect(nabParams({ labelSet: 'x', timeColumn: 't' })).toMatchObject({ profile: 'standard', threshold: 'best', labelClass: '' });
  });
});
