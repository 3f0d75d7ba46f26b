import { parseArgs } from 'node:util';
import { Exit, UsageError, type CliContext, type Command } from './command';
import { serveCommand } from './commands/serve';
import { trainCommand } from './commands/train';
import { runCommand } from './commands/run';
import { runsCommand } from './commands/runs';
import { exportCommand, verifyCommand } from './commands/export';
import { labelsCommand } from './commands/labels';
import { nabScoreCommand } from './commands/nab-score';
import { lfAnalysisCommand } from './commands/lf-analysis';
import { validateCommand } from './commands/validate';
import { driftCommand } from './commands/drift';
import { packageVersion } from './paths';

/** Every subcommand; later ones (run, train, export …) register here. */
export const commands: Command[] = [serveCommand, runCommand, runsCommand, trainCommand, labelsCommand, nabScoreCommand, lfAnalysisCommand, exportCommand, verifyCommand, validateCommand, driftCommand];

function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    `vajra ${packageVersion()} — a workbench for the whole life of a machine-learning model`,
    '',
    'Usage: vajra <command> [options]   (vajra <command> --help for more)',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Exit codes: 0 ok · 1 the job failed (a cell, node or expectation) · 2 usage error · 3 could not run',
    '',
  ].join('\n');
}

function commandHelp(command: Command): string {
  return `Usage: ${command.usage}\n\n${command.summary}\n\n${command.help}\n`;
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function runCli(argv: string[], context: CliContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    context.stdout(mainHelp());
    return name === undefined ? Exit.usage : Exit.ok;
  }
  if (name === '--version' || name === '-v') {
    context.stdout(`${packageVersion()}\n`);
    return Exit.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    context.stderr(`vajra: unknown command "${name}". Run \`vajra --help\` for the list.\n`);
    return Exit.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    context.stdout(commandHelp(command));
    return Exit.ok;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: command.options, allowPositionals: command.allowPositionals, strict: true });
    return await command.run(values, positionals, context);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      context.stderr(`vajra ${command.name}: ${error.message}\nUsage: ${command.usage}\n`);
      return Exit.usage;
    }
    context.stderr(`vajra ${command.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return Exit.error;
  }
}
