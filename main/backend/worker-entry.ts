import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread from a `*.worker.ts` module next to `metaUrl`. In a checkout (and under
 * `vajra`) the TypeScript runs through tsx's loader; in the Electron build the worker is bundled
 * next to the main bundle as `<name>.worker.mjs` and runs as plain JavaScript.
 */
export function startWorker(metaUrl: string, name: string): Worker {
  const bundled = new URL(`./${name}.worker.mjs`, metaUrl);
  if (existsSync(fileURLToPath(bundled))) return new Worker(bundled);
  // Resolved here, not by the worker: `--import tsx` alone would resolve from the process' cwd.
  return new Worker(new URL(`./${name}.worker.ts`, metaUrl), { execArgv: ['--import', import.meta.resolve('tsx')] });
}
