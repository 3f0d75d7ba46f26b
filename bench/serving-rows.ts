// The serving benchmark's rows (bench/serving.ts keeps its own table for `npx tsx bench/serving.ts`)
// as BenchRows: the bundle's throughput beside each FastAPI server's.
import { benchServing } from './serving';
import type { BenchRow } from './types';

/** Requests per second of the exported bundle vs FastAPI + uvicorn (1 and 2 workers); p50/p99 in the note. */
export async function benchServingRows(): Promise<BenchRow[]> {
  const [bundle, ...others] = await benchServing();
  if (!bundle) return [];
  const latency = (r: { p50Ms: number; p99Ms: number; errors: number }) => `p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms, ${r.errors} errors`;
  return others.map((other) => ({
    suite: 'serving',
    case: `one JSON row per request, wrk -c32: ${bundle.server}`,
    vajra: bundle.requestsPerSec,
    anchor: { name: other.server, value: other.requestsPerSec },
    unit: 'req/s',
    higherIsBetter: true,
    note: `bundle ${latency(bundle)}; anchor ${latency(other)}`,
  }));
}
