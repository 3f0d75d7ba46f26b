// Issue 10: a full-data drift report (KS, Wasserstein, PSI, Jensen–Shannon per column) over
// 10M rows × 10 columns in DuckDB, beside scipy's ks_2samp + wasserstein_distance on the same data.
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { driftReport, type NumericDriftEntry } from '../app/validate/drift';
import { NativeDatabase } from '../main/backend/data/native-engine';
import { benchMode } from './mode';
import type { BenchRow } from './types';

const M = 1000003;
/** Three multipliers per column; must match PRIMES in validate_anchor.py (same doubles on both sides). */
const PRIMES = [[7919, 104729, 1299709], [15485863, 32452843, 49979687], [67867967, 86028121, 104395301], [122949823, 141650939, 160481183],
  [179424673, 198491317, 217645177], [236887691, 256203161, 275604541], [295075147, 314606869, 334214459], [353868013, 373587883, 393342739],
  [413158511, 433024223, 452930459], [472882027, 492876847, 512927357]] as const;

function tableSql(name: string, rows: number, columns: number, current: boolean): string {
  const u = (m: number) => `((i * ${m}) % ${M})::DOUBLE / ${M}::DOUBLE`;
  const cols = PRIMES.slice(0, columns).map(([a, b, c], j) => `${u(a)} + ${u(b)} + ${u(c)} + ${current ? 0.02 * j : 0}::DOUBLE AS c${j}`);
  return `CREATE TABLE ${name} AS SELECT ${cols.join(', ')} FROM (SELECT range${current ? ` + ${rows}` : ''} AS i FROM range(${rows}))`;
}

interface Anchor { seconds: number; columns: Record<string, { ks_statistic: number; ks_pvalue: number; wasserstein: number }> }

/** The issue's size (10M rows) normally; 500k rows in --quick mode; VAJRA_BENCH_VALIDATE_ROWS overrides. */
function defaultRows(): number {
  const given = Number(process.env.VAJRA_BENCH_VALIDATE_ROWS);
  if (Number.isInteger(given) && given > 0) return given;
  return benchMode() === 'quick' ? 500_000 : 10_000_000;
}

export async function benchValidate(rows = defaultRows(), columns = 10): Promise<BenchRow[]> {
  const db = await NativeDatabase.open(':memory:', { threads: '2' });
  // One connection: two side by side (driftReport accepts several) measured slower here, 39–63 s vs 33 s.
  const engine = await db.connect();
  await engine.exec(tableSql('ref', rows, columns, false));
  await engine.exec(tableSql('cur', rows, columns, true));
  const loadBefore = loadavg()[0]!;
  const start = performance.now();
  const report = await driftReport(engine, 'cur', 'ref');
  const vajraMs = performance.now() - start;
  await engine.close();
  db.close();

  const out = execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'validate_anchor.py'), String(rows), String(columns)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const anchor = JSON.parse(out) as Anchor;
  let ksDiff = 0, wDiff = 0;
  for (const [name, ref] of Object.entries(anchor.columns)) {
    const mine = report.columns[name] as NumericDriftEntry;
    ksDiff = Math.max(ksDiff, Math.abs(mine.ks_statistic - ref.ks_statistic));
    wDiff = Math.max(wDiff, Math.abs(mine.wasserstein - ref.wasserstein));
  }
  const label = `${(rows / 1e6).toFixed(rows >= 1e6 ? 0 : 1)}M rows × ${columns} columns`;
  return [{
    suite: 'validate',
    case: `drift report ${label} (KS, Wasserstein, PSI, JS, histograms; full data in DuckDB)`,
    vajra: vajraMs / 1000,
    anchor: { name: 'scipy ks_2samp + wasserstein_distance (arrays in memory)', value: anchor.seconds },
    unit: 's',
    target: 'seconds for 10M rows (issue 10)',
    note: `max |ΔKS| ${ksDiff.toExponential(1)}, max |ΔW| ${wDiff.toExponential(1)} vs scipy; 1-min load ${loadBefore.toFixed(1)} before Vajra, ${loadavg()[0]!.toFixed(1)} after scipy`,
  }];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  void benchValidate().then((r) => console.log(JSON.stringify(r, null, 2)));
}
