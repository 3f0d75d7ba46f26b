import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Engine } from '../../../app/data/engine';
import type { SuiteResult } from '../../../app/validate/run-suite';
import { validateCommand as validateSuite } from '../../../app/validate/headless';
import { Backend } from '../../backend/backend';
import { workspaceDatabase } from '../../backend/services/data-service';
import { Exit, UsageError, type CliContext, type Command, type ParsedValues } from '../command';
import { configDir, examplesDir, packageVersion, userWorkspacesDir } from '../paths';

const FILE_ARG = /\.(csv|tsv|txt|parquet|json|ndjson|jsonl)(\.gz)?$/i;

/**
 * A DATA argument as `relationFor` reads it: a file that exists from the current folder becomes an
 * absolute path; anything else stays as given (a file relative to the workspace, which the
 * workspace database finds through `file_search_path`, or a table/view name).
 */
export function dataArgument(cwd: string, arg: string): string {
  if (FILE_ARG.test(arg) && existsSync(resolve(cwd, arg))) return resolve(cwd, arg);
  return arg;
}

/** Opens the workspace (`--workspace DIR`, default cwd) and runs `work` on its DuckDB engine. */
export async function withWorkspaceEngine<T>(values: ParsedValues, context: CliContext, work: (engine: Engine) => Promise<T>): Promise<T> {
  const root = resolve(context.cwd, typeof values.workspace === 'string' ? values.workspace : '.');
  const backend = new Backend({ version: packageVersion(), shape: 'browser', configDir: configDir(context.env), examplesDir, userWorkspacesDir: userWorkspacesDir(context.env) });
  try {
    await backend.openWorkspace(root);
    const { engine } = await workspaceDatabase(backend);
    return await work(engine);
  } finally {
    await backend.dispose();
  }
}

function formatObserved(observed: SuiteResult['results'][number]['observed']): string {
  return Object.entries(observed).map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toPrecision(4)) : String(v)}`).join(' ');
}

/** The suite result as aligned text: one line per expectation, offending samples under failures. */
export function suiteResultText(result: SuiteResult): string {
  const lines = [`suite ${result.suite} on ${result.table}${result.reference ? ` (reference ${result.reference})` : ''}: ${result.rowCount.toLocaleString('en-US')} rows`];
  for (const r of result.results) {
    const tag = r.status === 'pass' ? 'PASS' : r.status === 'error' ? 'ERROR' : r.severity === 'warn' ? 'WARN' : 'FAIL';
    lines.push(`${tag.padEnd(5)}  #${r.index} ${r.expectation.kind}${'column' in r.expectation ? ` ${r.expectation.column}` : ''}: ${r.message}${Object.keys(r.observed).length ? `  [${formatObserved(r.observed)}]` : ''}`);
    if (r.failingRows) {
      lines.push(`       ${r.failingRows.count.toLocaleString('en-US')} offending; e.g. ${r.failingRows.sample.slice(0, 3).map((row) => JSON.stringify(row)).join(' ')}`);
    }
  }
  const c = result.counts;
  lines.push('', `${result.success ? 'passed' : 'FAILED'}: ${c.passed} passed, ${c.failed} failed, ${c.warned} warned, ${c.errored} errored`, '');
  return lines.join('\n');
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check a table or data file against an expectation suite; exit 1 when an expectation fails.',
  usage: 'vajra validate SUITE DATA [--reference REF] [--json] [--html OUT.html] [--workspace DIR]',
  help: [
    'SUITE             an expectation suite (NAME.expectations.json)',
    'DATA              a CSV, Parquet or JSON file, or a table/view of the workspace',
    '--reference REF   the reference data for drift expectations (ks, chi2, psi, wasserstein …)',
    '--json            print the full result as JSON',
    '--html OUT.html   also write the data-docs report',
    '--workspace DIR   the workspace folder (default: the current folder)',
    '',
    'Everything runs as DuckDB SQL over the full data. Exit 0 all passed (warnings allowed),',
    '1 an error-severity expectation failed, 2 the suite is invalid, 3 a file is missing.',
  ].join('\n'),
  options: { reference: { type: 'string' }, json: { type: 'boolean' }, html: { type: 'string' }, workspace: { type: 'string' } },
  allowPositionals: true,
  async run(values, positionals, context) {
    if (positionals.length !== 2) throw new UsageError('validate takes SUITE and DATA.');
    const suitePath = resolve(context.cwd, positionals[0]!);
    const suiteText = await readFile(suitePath, 'utf8').catch(() => undefined);
    if (suiteText === undefined) {
      context.stderr(`vajra validate: cannot read ${positionals[0]}\n`);
      return Exit.error;
    }
    const table = dataArgument(context.cwd, positionals[1]!);
    const reference = typeof values.reference === 'string' ? dataArgument(context.cwd, values.reference) : undefined;
    const htmlOut = typeof values.html === 'string' ? resolve(context.cwd, values.html) : undefined;
    const out = await withWorkspaceEngine(values, context, (engine) =>
      validateSuite(engine, suiteText, { table, ...(reference ? { reference } : {}), html: htmlOut !== undefined }));
    if (out.exitCode === 2) {
      context.stderr(`vajra validate: invalid suite ${positionals[0]}\n${out.stdout}`);
      return Exit.usage;
    }
    if (htmlOut && out.html) await writeFile(htmlOut, out.html);
    const result = JSON.parse(out.stdout) as SuiteResult;
    context.stdout(values.json === true ? out.stdout : suiteResultText(result));
    return out.exitCode === 0 ? Exit.ok : Exit.failed;
  },
};
