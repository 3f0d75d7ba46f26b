// `npm run bench [-- SUITE …]`: every benchmark beside its anchor, as ratios from one run.
import { benchData } from './data';
import type { BenchRow } from './types';

type Suite = { name: string; run: () => Promise<BenchRow[]> };

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
  ['serving', './serving.ts', 'benchServing'],
  ['runs', './runs.ts', 'benchRuns'],
  ['ml', './ml.ts', 'benchMl'],
  ['explain', './explain.ts', 'benchExplain'],
  ['labels', './labels.ts', 'benchLabels'],
  ['validate', './validate.ts', 'benchValidate'],
] as const) {
  const suite = await optionalSuite(name, file, exportName);
  if (suite) suites.push(suite);
}

const wanted = process.argv.slice(2);
const rows: BenchRow[] = [];
for (const suite of suites) {
  if (wanted.length > 0 && !wanted.includes(suite.name)) continue;
  console.error(`running ${suite.name}…`);
  try {
    rows.push(...(await suite.run()));
  } catch (error) {
    console.error(`suite ${suite.name} failed: ${(error as Error).stack}`);
  }
}

function format(value: number, unit: string): string {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

const header = ['suite', 'case', 'vajra', 'anchor', 'anchor value', 'ratio', 'target', 'met'];
const lines = rows.map((r) => {
  const ratio = r.anchor ? (r.higherIsBetter ? r.anchor.value / r.vajra : r.vajra / r.anchor.value) : undefined;
  const met = r.maxRatio !== undefined && ratio !== undefined ? (ratio <= r.maxRatio ? 'yes' : 'NO') : '';
  return [r.suite, r.case, format(r.vajra, r.unit), r.anchor?.name ?? '', r.anchor ? format(r.anchor.value, r.unit) : '', ratio !== undefined ? `${ratio.toFixed(2)}×` : '', r.target ?? '', met];
});
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
const print = (cells: string[]) => console.log(cells.map((c, i) => c.padEnd(widths[i]!)).join('  '));
print(header);
print(widths.map((w) => '-'.repeat(w)));
lines.forEach(print);
console.log('\nratio = Vajra time / anchor time (for throughput: anchor / Vajra); below 1 means Vajra is faster.');
