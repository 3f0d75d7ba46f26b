/**
 * The logic of the headless commands (`vajra validate`, `vajra drift`, `vajra suggest-suite`) as
 * plain async functions over an Engine: the CLI only reads files, opens the engine, prints
 * `stdout` and exits with `exitCode`.
 */
import type { Engine } from '../data/engine';
import { quoteIdent, quoteLiteral } from '../data/engine';
import type { CancelSignal, ProgressSink } from '../base/signal';
import { driftReport } from './drift';
import { renderSuiteHtml } from './html';
import { runSuite } from './run-suite';
import type { RelationSql } from './sql-util';
import { profileTable, suggestSuite } from './suggest';
import { serializeSuite, tryParseSuite } from './suite';

/** What a command prints and how it exits (0 ok, 1 expectations failed, 2 bad input). */
export interface CommandOutput {
  exitCode: 0 | 1 | 2;
  stdout: string;
  /** The data-docs page, when asked for. */
  html?: string;
}

/**
 * A FROM-clause for a CLI argument: a data file by extension (CSV/TSV, Parquet, JSON/NDJSON)
 * read with DuckDB's readers, otherwise a table or view name.
 */
export function relationFor(arg: string): RelationSql {
  const lower = arg.toLowerCase();
  if (/\.(csv|tsv|txt)(\.gz)?$/.test(lower)) return `read_csv(${quoteLiteral(arg)})`;
  if (lower.endsWith('.parquet')) return `read_parquet(${quoteLiteral(arg)})`;
  if (/\.(json|ndjson|jsonl)$/.test(lower)) return `read_json_auto(${quoteLiteral(arg)})`;
  return quoteIdent(arg);
}

/** `vajra validate SUITE TABLE [--reference REF] [--html]`: the SuiteResult as JSON. */
export async function validateCommand(
  engine: Engine, suiteText: string, options: { table: string; reference?: string; html?: boolean; signal?: CancelSignal },
): Promise<CommandOutput> {
  const parsed = tryParseSuite(suiteText);
  if (!parsed.ok) {
    return { exitCode: 2, stdout: `${JSON.stringify({ error: 'invalid suite', issues: parsed.issues }, null, 2)}\n` };
  }
  const result = await runSuite(engine, parsed.suite, {
    table: relationFor(options.table),
    ...(options.reference ? { reference: relationFor(options.reference) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const out: CommandOutput = { exitCode: result.success ? 0 : 1, stdout: `${JSON.stringify(result, null, 2)}\n` };
  if (options.html) out.html = renderSuiteHtml(result);
  return out;
}

/** `vajra drift CURRENT REFERENCE [--columns a,b] --json`: the drift report document (progress: columns done). */
export async function driftCommand(
  engine: Engine, options: { current: string; reference: string; columns?: readonly string[]; signal?: CancelSignal; progress?: ProgressSink },
): Promise<CommandOutput> {
  const report = await driftReport(engine, relationFor(options.current), relationFor(options.reference), options.columns, options.signal, options.progress);
  return { exitCode: 0, stdout: `${JSON.stringify(report, null, 2)}\n` };
}

/** `vajra suggest-suite TABLE --name NAME`: the suggested suite file's text. */
export async function suggestCommand(engine: Engine, options: { table: string; name: string; signal?: CancelSignal }): Promise<CommandOutput> {
  const profile = await profileTable(engine, relationFor(options.table), options.signal);
  return { exitCode: 0, stdout: serializeSuite(suggestSuite(profile, options.name)) };
}
