import type { ParseArgsConfig } from 'node:util';

/** Values parsed by node:util parseArgs. */
export type ParsedValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Exit codes scripts can rely on (printed by `vajra --help`). */
export const Exit = {
  ok: 0,
  /** The job ran and failed: a cell, a pipeline node, an expectation. */
  failed: 1,
  /** The command line was wrong. */
  usage: 2,
  /** The job could not start: a missing file, a bad workspace, a port in use. */
  error: 3,
} as const;

export interface CliContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** One subcommand of `vajra`. `options` are node:util parseArgs options. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Extra lines of help after the usage line (options, examples). */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  allowPositionals: boolean;
  run(values: ParsedValues, positionals: string[], context: CliContext): Promise<number>;
}

/** A usage mistake: printed with the command's usage line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
