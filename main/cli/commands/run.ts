import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { assertNever } from '../../../app/base/assert';
import type { CellValue } from '../../../app/notebook/executor';
import { Backend } from '../../backend/backend';
import type { CodeMode } from '../../../app/report/types';
import type { NativeDatabase } from '../../backend/data/native-engine';
import { runNotebook, type HeadlessCell, type HeadlessRun } from '../../backend/notebook/headless';
import { workspaceDatabase } from '../../backend/services/data-service';
import { Exit, UsageError, type Command } from '../command';
import { configDir, examplesDir, packageVersion, userWorkspacesDir } from '../paths';

function label(cell: HeadlessCell): string {
  return cell.name ?? cell.id;
}

function preview(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)) ?? value.constructor.name;
  } catch {
    return value.constructor.name;
  }
}

function summary(value: CellValue | undefined): string {
  if (!value) return '';
  switch (value.kind) {
    case 'table': return `${value.rowCount.toLocaleString('en-US')} rows × ${value.columns.length} columns`;
    case 'chart': return `${value.rows.length.toLocaleString('en-US')} rows aggregated (not drawn headless)`;
    case 'js':
    case 'input': {
      const text = preview(value.value);
      return text.length > 60 ? `${text.slice(0, 59)}…` : text;
    }
    case 'markdown': return 'rendered';
    case 'statement': return 'done';
    default: return assertNever(value, 'cell value');
  }
}

function line(cell: HeadlessCell, byId: Map<string, HeadlessCell>): string {
  const head = `${label(cell)} (${cell.kind})`;
  switch (cell.status) {
    case 'ok': return `  ok    ${head}  ${summary(cell.value)}  ${cell.ms.toFixed(0)} ms\n`;
    case 'error': {
      const at = typeof cell.error?.detail?.['line'] === 'number' ? ` line ${String(cell.error.detail['line'])}:` : '';
      return `  FAIL  ${head}${at} ${(cell.error?.message ?? 'failed').replace(/\n/g, '\n        ')}\n`;
    }
    case 'upstream-error': {
      const upstream = cell.upstream ? byId.get(cell.upstream) : undefined;
      return `  skip  ${head}  upstream error in ${upstream ? label(upstream) : String(cell.upstream)}\n`;
    }
    case 'cancelled': return `  stop  ${head}  cancelled\n`;
    default: return assertNever(cell.status, 'cell status');
  }
}

interface ReportRequest {
  out: string;
  maxRows: number;
  codeMode: CodeMode;
}

function reportOptions(values: Record<string, unknown>, cwd: string): ReportRequest | undefined {
  if (values['report'] === undefined) return undefined;
  const out = String(values['report']);
  if (!/\.(html?|pdf)$/i.test(out)) throw new UsageError('--report takes a file ending in .html or .pdf.');
  const maxRows = values['rows'] === undefined ? 20 : Number(values['rows']);
  if (!Number.isInteger(maxRows) || maxRows < 0 || maxRows > 100_000) throw new UsageError('--rows takes a whole number from 0 to 100000.');
  const codeMode = values['code'] ?? 'fold';
  if (codeMode !== 'show' && codeMode !== 'fold' && codeMode !== 'hide') throw new UsageError('--code takes show, fold or hide.');
  return { out: resolve(cwd, out), maxRows, codeMode };
}

/** Renders and writes the report (the heavy modules load only when a report is asked for). */
async function writeRunReport(result: HeadlessRun, db: NativeDatabase, path: string, report: ReportRequest): Promise<number> {
  const [{ headlessReportHtml }, { writeReport }] = await Promise.all([import('../../backend/report/headless-report'), import('../../backend/report/write')]);
  const html = await headlessReportHtml(result, db, { path, maxRows: report.maxRows, codeMode: report.codeMode, generatedAt: new Date() });
  return writeReport(report.out, html);
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Run a notebook headless: every cell in dependency order, exit 1 naming a failing cell.',
  usage: 'vajra run NOTEBOOK [--workspace DIR] [--report OUT.html|OUT.pdf] [--rows N] [--code show|fold|hide]',
  help: [
    'NOTEBOOK             a .notebook.md file (relative to the workspace, or any path inside it)',
    '--workspace DIR      the workspace folder (default: the current folder)',
    '--report OUT.html    also write a self-contained report: .html, or .pdf (printed by Chromium)',
    '--rows N             table rows shown per result in the report (default 20)',
    '--code MODE          code cells in the report: show, fold (default) or hide',
    '',
    'SQL runs in the workspace DuckDB, JS in Node (same semantics as the app). Charts run their',
    'aggregation query; with --report they are drawn to SVG. The report is written even when a',
    'cell fails (it shows the error); the exit code still says the run failed.',
  ].join('\n'),
  options: { workspace: { type: 'string' }, report: { type: 'string' }, rows: { type: 'string' }, code: { type: 'string' } },
  allowPositionals: true,
  async run(values, positionals, context) {
    if (positionals.length !== 1) throw new UsageError('run takes exactly one NOTEBOOK.');
    const report = reportOptions(values, context.cwd);
    const root = resolve(context.cwd, typeof values.workspace === 'string' ? values.workspace : '.');
    const given = positionals[0]!;
    const absolute = isAbsolute(given) ? given : existsSync(resolve(context.cwd, given)) ? resolve(context.cwd, given) : join(root, given);
    const path = relative(root, absolute).split(sep).join('/');
    if (path.startsWith('..')) throw new UsageError(`${given} is not inside the workspace ${root}.`);
    const text = await readFile(absolute, 'utf8').catch(() => undefined);
    if (text === undefined) {
      context.stderr(`vajra run: cannot read ${absolute}.\n`);
      return Exit.error;
    }
    const backend = new Backend({ version: packageVersion(), shape: 'browser', configDir: configDir(context.env), examplesDir, userWorkspacesDir: userWorkspacesDir(context.env) });
    try {
      await backend.openWorkspace(root);
      const { db } = await workspaceDatabase(backend);
      const byId = new Map<string, HeadlessCell>();
      context.stdout(`vajra run ${path}\n`);
      const result = await runNotebook({ db, root, path, text, onCell: (cell) => { byId.set(cell.id, cell); context.stdout(line(cell, byId)); } });
      const failed = result.failed.filter((c) => c.status === 'error');
      if (report) {
        const written = await writeRunReport(result, db, path, report).catch((error: unknown) => error instanceof Error ? error : new Error(String(error)));
        if (written instanceof Error) {
          context.stderr(`vajra run: could not write the report ${report.out}: ${written.message}\n`);
          return Exit.error;
        }
        context.stdout(`report: ${report.out} (${written.toLocaleString('en-US')} bytes)\n`);
      }
      if (failed.length === 0) {
        context.stdout(`${result.cells.length} cells ran.\n`);
        return Exit.ok;
      }
      context.stderr(`vajra run: ${failed.length === 1 ? 'cell' : 'cells'} ${failed.map((c) => `"${label(c)}"`).join(', ')} failed.\n`);
      return Exit.failed;
    } finally {
      await backend.dispose();
    }
  },
};
