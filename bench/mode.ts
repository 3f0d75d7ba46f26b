/** How big `npm run bench` runs: quick (smoke test, minutes), normal (the issues' sizes), full (adds 1M-row ML). */
export type BenchMode = 'quick' | 'normal' | 'full';

/** The mode `bench/run.ts` set from its flags (VAJRA_BENCH_MODE), normal by default. */
export function benchMode(): BenchMode {
  const mode = process.env.VAJRA_BENCH_MODE;
  return mode === 'quick' || mode === 'full' ? mode : 'normal';
}
