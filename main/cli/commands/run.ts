import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { assertNever } from '../../../app/base/assert';
import type { CellValue } from '../../../app/notebook/executor';
import { Backend } from '../../backend/backend';
import { runNotebook, type HeadlessCell } from '../../backend/notebook/headless';
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

export const runCommand: Command = {
  name: 'run',
  summary: 'Run a notebook headless: every cell in dependency order, exit 1 naming a failing cell.',
  usage: 'vajra run NOTEBOOK [--workspace DIR] [--report OUT.html]',
  help: [
    'NOTEBOOK             a .notebook.md file (relative to the workspace, or any path inside it)',
    '--workspace DIR      the workspace folder (default: the current folder)',
    '--report OUT.html    write an HTML report (not yet supported)',
    '',
    'SQL runs in the workspace DuckDB, JS in Node (same semantics as the app). Charts run their',
    'aggregation query but are not drawn (drawing needs a browser).',
  ].join('\n'),
  options: { workspace: { type: 'string' }, report: { type: 'string' } },
  allowPositionals: true,
  async run(values, positionals, context) {
    if (positionals.length !== 1) throw new UsageError('run takes exactly one NOTEBOOK.');
    if (values.report !== undefined) {
      context.stderr('vajra run: --report is not yet supported.\n');
      return Exit.usage;
    }
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
