import { CancelledError } from '../../../app/base/errors';
import type { Progress } from '../../../app/base/signal';
import type { DriftReport } from '../../../app/validate/drift';
import { driftCommand as driftJson } from '../../../app/validate/headless';
import { Exit, UsageError, type Command } from '../command';
import { dataArgument, withWorkspaceEngine } from './validate';

const fmt = (x: number) => (Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(4) : x.toExponential(2));

/** The drift report as an aligned text table, one row per column. */
export function driftText(report: DriftReport): string {
  const head = ['column', 'test', 'statistic', 'p-value', 'wasserstein', 'psi', 'jensen-shannon'];
  const rows = Object.entries(report.columns).map(([name, c]) => 'ks_statistic' in c
    ? [name, 'KS', fmt(c.ks_statistic), fmt(c.ks_pvalue), fmt(c.wasserstein), fmt(c.psi), fmt(c.jensen_shannon)]
    : [name, 'chi²', fmt(c.chi2_statistic), fmt(c.chi2_pvalue), '-', fmt(c.psi), fmt(c.jensen_shannon)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(head), ...rows.map(line), ''].join('\n');
}

export const driftCommand: Command = {
  name: 'drift',
  summary: 'Per-column drift of CURRENT against REFERENCE (KS, chi², PSI, Wasserstein, Jensen–Shannon).',
  usage: 'vajra drift CURRENT REFERENCE [--columns a,b] [--json] [--workspace DIR]',
  help: [
    'CURRENT, REFERENCE  CSV, Parquet or JSON files, or tables/views of the workspace',
    '--columns a,b       only these columns (default: every column present in both)',
    '--json              print {"columns": {"<col>": {ks_statistic, ks_pvalue, wasserstein, psi,',
    '                    jensen_shannon} or {chi2_statistic, chi2_pvalue, psi, jensen_shannon}}}',
    '--workspace DIR     the workspace folder (default: the current folder)',
    '',
    'Numeric columns get the two-sample KS test and the Wasserstein-1 distance; others the χ² test',
    'of homogeneity. PSI and Jensen–Shannon (base 2) use reference deciles or categories. All over',
    'the full data in DuckDB.',
  ].join('\n'),
  options: { columns: { type: 'string' }, json: { type: 'boolean' }, workspace: { type: 'string' } },
  allowPositionals: true,
  async run(values, positionals, context) {
    if (positionals.length !== 2) throw new UsageError('drift takes CURRENT and REFERENCE.');
    const columns = typeof values.columns === 'string' ? values.columns.split(',').map((c) => c.trim()).filter(Boolean) : undefined;
    const current = dataArgument(context.cwd, positionals[0]!);
    const reference = dataArgument(context.cwd, positionals[1]!);
    // Ctrl-C interrupts the running DuckDB query; progress (columns done) goes to a terminal's stderr.
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    const progress = (p: Progress) => {
      if (process.stderr.isTTY) context.stderr(`drift: ${p.done}/${p.total} ${p.message ?? ''}\n`);
    };
    try {
      const out = await withWorkspaceEngine(values, context, (engine) =>
        driftJson(engine, { current, reference, signal: abort.signal, progress, ...(columns ? { columns } : {}) }));
      context.stdout(values.json === true ? out.stdout : driftText(JSON.parse(out.stdout) as DriftReport));
      return Exit.ok;
    } catch (error) {
      if (!(error instanceof CancelledError)) throw error;
      context.stderr('vajra drift: cancelled\n');
      return Exit.failed;
    } finally {
      process.off('SIGINT', onSigint);
    }
  },
};
