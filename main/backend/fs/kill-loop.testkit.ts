// Shared by the crash tests (series and text label stores): run a writer child process, SIGKILL
// it mid-write, and read back what it acknowledged before it died.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';

/** Bundles a fixture entry into one ESM file in `dir`, so each child starts in milliseconds rather than compiling TypeScript. */
export async function bundleFixture(entry: string, dir: string): Promise<string> {
  const outfile = join(dir, `${entry.split('/').at(-1)!.replace(/\.ts$/, '')}.mjs`);
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'error' });
  return outfile;
}

/**
 * Runs `node script ...args`; `killAfterMs` after its stdout first contains `armOn`, SIGKILLs it.
 * Resolves with everything it printed; rejects when it exits any other way.
 */
export function runUntilKilled(script: string, args: readonly string[], killAfterMs: number, armOn = 'ack '): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let armed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!armed && out.includes(armOn)) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.once('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(out) : reject(new Error(`writer exited without SIGKILL: ${out.slice(-500)}`))));
  });
}

/** The last `ack <n>` a writer printed (−1 when none): the highest seq it saw acknowledged. */
export function lastAckedSeq(out: string): number {
  const acks = [...out.matchAll(/^ack (\d+)$/gm)].map((m) => Number(m[1]));
  return acks.at(-1) ?? -1;
}
