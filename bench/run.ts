// `npm run bench [-- SUITE …] [--quick | --full]`: every benchmark beside its anchor, as ratios
// from one run. --quick shrinks every suite so the whole bench is a smoke test of minutes;
// --full adds the large sizes (1M-row ML). Suites read the mode from VAJRA_BENCH_MODE.
import { benchData } from './data';
import { benchMode } from './mode';
import type { BenchRow } from './types';

type Suite = { name: string; run: () => Promise<BenchRow[]> };

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
if (flags.has('--quick')) process.env.VAJRA_BENCH_MODE = 'quick';
if (flags.has('--full')) process.env.VAJRA_BENCH_MODE = 'full';
const mode = benchMode();
if (mode === 'quick') {
  process.env.BENCH_SECONDS ??= '3';
  process.env.VAJRA_BENCH_VALIDATE_ROWS ??= '1000000';
}

const suites: Suite[] = [{ name: 'data', run: benchData }];

async function optionalSuite(name: string, file: string, exportName: string): Promise<Suite | null> {
  try {
    const module = (await import(file)) as Record<string, () => Promise<BenchRow[]>>;
    const run = module[exportName];
    return run ? { name, run } : null;
  } catch (error) {
    console.error(`(suite ${name} unavailable: ${(error as Error).message.split('\n')[0]})`);
    return null;
  }
}

for (const [name, file, exportName] of [
  ['ml', './ml.ts', 'benchMl'],
  ['grid', './grid.ts', 'benchGrid'],
  ['serving', './serving-rows.ts', 'benchServingRows'],
  ['runs', './runs.ts', 'benchRuns'],
  ['explain', './explain.ts', 'benchExplain'],
  ['labels', './labels.ts', 'benchLabels'],
  ['validate', './validate.ts', 'benchValidate'],
] as const) {
  const suite = await optionalSuite(name, file, exportName);
  if (suite) suites.push(suite);
}

const wanted = args.filter((a) => !a.startsWith('--'));
const rows: BenchRow[] = [];
for (const suite of suites) {
  if (wanted.length > 0 && !wanted.includes(suite.name)) continue;
  console.error(`running ${suite.name} (${mode})…`);
  const start = performance.now();
  try {
    rows.push(...(await suite.run()));
  } catch (error) {
    console.error(`suite ${suite.name} failed: ${(error as Error).stack}`);
    rows.push({ suite: suite.name, case: 'suite failed', vajra: Number.NaN, unit: 'ms', note: (error as Error).message.split('\n')[0] });
  }
  console.error(`  ${suite.name} took ${((performance.now() - start) / 1000).toFixed(0)} s`);
}

function format(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '—';
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

const header = ['suite', 'case', 'vajra', 'anchor', 'anchor value', 'ratio', 'target', 'met', 'note'];
const lines = rows.map((r) => {
  const ratio = r.anchor ? (r.higherIsBetter ? r.anchor.value / r.vajra : r.vajra / r.anchor.value) : undefined;
  const met = r.maxRatio !== undefined && ratio !== undefined && Number.isFinite(ratio) ? (ratio <= r.maxRatio ? 'yes' : 'NO') : '';
  return [r.suite, r.case, format(r.vajra, r.unit), r.anchor?.name ?? '', r.anchor ? format(r.anchor.value, r.unit) : '', ratio !== undefined && Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '', r.target ?? '', met, r.note ?? ''];
});
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
const print = (cells: string[]) => console.log(cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
console.log(`\nVajra bench (${mode} mode)`);
print(header);
print(widths.map((w) => '-'.repeat(w)));
lines.forEach(print);
console.log('\nratio = Vajra time / anchor time (for throughput: anchor / Vajra); below 1 means Vajra is faster.');
