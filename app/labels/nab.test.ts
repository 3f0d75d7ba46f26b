import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NAB_PROFILES, type NabProfileName, nabBounds, normalizeNabScore, parseNabTimestamp, scaledSigmoid, scoreNabFile } from './nab';

const nabDir = join(process.cwd(), '..', 'shared', 'data', 'nab');
const readJson = (p: string): unknown => JSON.parse(readFileSync(join(nabDir, p), 'utf8'));
const windowsByFile = readJson('labels/combined_windows.json') as Record<string, string[][]>;
const thresholds = readJson('config/thresholds.json') as Record<string, Record<string, { threshold: number }>>;
const profilesJson = readJson('config/profiles.json') as Record<string, { CostMatrix: unknown }>;
const detectors = ['numenta', 'windowedGaussian', 'null'];
const profiles: NabProfileName[] = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'];
const files = [
  'realKnownCause/nyc_taxi.csv',
  'realKnownCause/machine_temperature_system_failure.csv',
  'realTweets/Twitter_volume_FB.csv',
  'realAWSCloudwatch/ec2_cpu_utilization_5f5533.csv',
  'artificialWithAnomaly/art_daily_jumpsup.csv',
];

function csvRows(path: string): string[][] {
  return readFileSync(join(nabDir, path), 'utf8').trim().split('\n').map((l) => l.split(','));
}

function publishedScores(detector: string, profile: string): Map<string, string[]> {
  const rows = csvRows(`results/${detector}/${detector}_${profile}_scores.csv`);
  return new Map(rows.slice(1).map((r) => [r[2]!, r]));
}

function detectorOutput(detector: string, file: string): { x: number[]; scores: number[] } {
  const [dir, name] = file.split('/');
  const rows = csvRows(`results/${detector}/${dir}/${detector}_${name}`);
  const col = rows[0]!.indexOf('anomaly_score');
  const body = rows.slice(1);
  return { x: body.map((r) => parseNabTimestamp(r[0]!)), scores: body.map((r) => Number(r[col])) };
}

describe('NAB scoring', () => {
  it('NAB_PROFILES equals config/profiles.json', () => {
    for (const p of profiles) expect(NAB_PROFILES[p]).toEqual(profilesJson[p]!.CostMatrix);
  });

  it('scaledSigmoid(x) gives NAB’s documented anchor values', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661, 5);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.84828, 5);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(3)).toBe(-1);
  });

  it('parseNabTimestamp(s) parses NAB timestamps to UTC epoch ms', () => {
    expect(parseNabTimestamp('2014-07-01 00:00:00')).toBe(1404172800000);
    expect(parseNabTimestamp('2015-01-24 20:30:00.000000')).toBe(1422131400000);
    expect(parseNabTimestamp('2000-02-29 12:00:01.5')).toBe(951825601500);
  });

  for (const detector of detectors) {
    for (const profile of profiles) {
      it(`scoreNabFile(${detector}, ${profile}) reproduces NAB's published per-file scores and counts to 1e-6`, () => {
        const published = publishedScores(detector, profile);
        const threshold = thresholds[detector]![profile]!.threshold;
        for (const file of files) {
          const { x, scores } = detectorOutput(detector, file);
          const windows = windowsByFile[file]!.map(([a, b]) => ({ start: parseNabTimestamp(a!), end: parseNabTimestamp(b!) }));
          const got = scoreNabFile({ x, scores, windows, cost: NAB_PROFILES[profile], threshold });
          const row = published.get(file)!;
          expect(got.score, file).toBeCloseTo(Number(row[4]), 6);
          expect([got.tp, got.tn, got.fp, got.fn], file).toEqual(row.slice(5, 9).map(Number));
          expect(got.delays.length).toBe(windows.length);
        }
      });
    }
  }

  it('scoreNabFile reports detection delay in rows from the window start', () => {
    const x = Array.from({ length: 100 }, (_, i) => i);
    const scores = x.map((i) => (i === 60 ? 1 : 0));
    const got = scoreNabFile({ x, scores, windows: [{ start: 50, end: 69 }], cost: NAB_PROFILES.standard, threshold: 0.5 });
    expect(got.delays).toEqual([10]);
    expect(got.score).toBeCloseTo(scaledSigmoid(-10 / 20) / scaledSigmoid(-1), 12);
    expect([got.tp, got.fp, got.fn]).toEqual([1, 0, 19]);
  });

  // `random` is left out: its published score files and final_results.json come from different runs.
  it('normalizeNabScore over the per-file scores reproduces final_results.json for 14 detectors', () => {
    const finals = readJson('results/final_results.json') as Record<string, Record<string, number>>;
    const windowCount = Object.values(windowsByFile).reduce((s, w) => s + w.length, 0);
    for (const detector of Object.keys(finals).filter((d) => d !== 'random')) {
      for (const profile of profiles) {
        const raw = [...publishedScores(detector, profile).entries()].filter(([f]) => f.endsWith('.csv')).reduce((s, [, r]) => s + Number(r[4]), 0);
        const { nullScore, perfectScore } = nabBounds(windowCount, NAB_PROFILES[profile]);
        expect(normalizeNabScore(raw, nullScore, perfectScore), `${detector} ${profile}`).toBeCloseTo(finals[detector]![profile]!, 4);
      }
    }
  });
});
