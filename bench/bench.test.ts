// Smoke test of `npm run bench`: every suite's quick mode runs and yields rows (no timed
// assertions — speed is reported by the bench, not tested). Minutes of CPU, so opt-in only.
import { describe, expect, it } from 'vitest';
import type { BenchRow } from './types';

const SMOKE = process.env.VAJRA_BENCH_SMOKE === '1';
const REASON = 'set VAJRA_BENCH_SMOKE=1 to run the bench suites in quick mode (minutes of CPU, Chromium, /usr/bin/python3)';
process.env.VAJRA_BENCH_MODE = 'quick';
process.env.BENCH_SECONDS ??= '2';

/** Every row is a number or says why it was skipped; anchors, when present, are numbers too. */
function expectWellFormed(rows: BenchRow[], suite: string): void {
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    expect(row.suite).toBe(suite);
    if (!Number.isFinite(row.vajra)) expect(row.note ?? '').toMatch(/skipped/);
    if (row.anchor) expect(Number.isFinite(row.anchor.value)).toBe(true);
  }
}

const SUITES: [string, () => Promise<() => Promise<BenchRow[]>>][] = [
  ['data', async () => (await import('./data')).benchData],
  ['ml', async () => (await import('./ml')).benchMl],
  ['grid', async () => (await import('./grid')).benchGrid],
  ['serving', async () => (await import('./serving-rows')).benchServingRows],
  ['runs', async () => (await import('./runs')).benchRuns],
  ['labels', async () => (await import('./labels')).benchLabels],
];

describe('npm run bench -- --quick', () => {
  for (const [name, load] of SUITES) {
    it(`bench${name[0]!.toUpperCase()}${name.slice(1)}() in quick mode returns well-formed rows`, async ({ skip }) => {
      skip(!SMOKE, REASON);
      expectWellFormed(await (await load())(), name);
    }, 1_200_000);
  }
});
