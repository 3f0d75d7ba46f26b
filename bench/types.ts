/** One line of `npm run bench`: Vajra's figure beside its anchor's, from the same run. */
export interface BenchRow {
  suite: string;
  case: string;
  /** Vajra's figure in `unit`. */
  vajra: number;
  anchor?: { name: string; value: number };
  unit: 'ms' | 's' | 'req/s' | 'rows/s' | 'MB';
  /** Whether bigger is better (throughput) or smaller (time). Default: smaller. */
  higherIsBetter?: boolean;
  /** The target from the issue, in words (e.g. "≤ 1.2× native"). */
  target?: string;
  /** The ratio the target bounds (Vajra / anchor for times); met when ≤ this. */
  maxRatio?: number;
  note?: string;
}

/** Median of `runs` timings (ms) of `fn` after one warm-up call. */
export async function timeIt(fn: () => Promise<unknown> | unknown, runs = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
