import { test as base, expect, _electron, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const root = resolve(import.meta.dirname, '..');

/** A running `vajra serve` on a fresh copy of an example workspace. */
export interface Served {
  url: string;
  origin: string;
  token: string;
  workspace: string;
  process: ChildProcess;
}

/** Why the Electron project cannot run here, or null when it can (never triggers a download). */
export function electronUnavailable(): string | null {
  let dir: string;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return 'The electron package is not installed.';
  }
  const pathFile = join(dir, 'path.txt');
  const binary = existsSync(pathFile) ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, 'dist'), readFileSync(pathFile, 'utf8').trim()) : '';
  if (!binary || !existsSync(binary)) return 'Electron binary not downloaded on this machine (no network for it); the web project covers these specs.';
  if (!existsSync(join(root, 'dist/electron/main.mjs'))) return 'Electron main not built (npm run build).';
  return null;
}

/** Starts `vajra serve` on a temp copy of examples/<example>; resolves when it prints its URL. */
export async function serve(example: string): Promise<Served> {
  const dir = await mkdtemp(join(tmpdir(), 'vajra-e2e-'));
  const workspace = join(dir, example);
  await cp(join(root, 'examples', example), workspace, { recursive: true });
  return start(workspace);
}

/**
 * Starts `vajra serve` again on the same workspace (after a crash or a kill) with the same config
 * folder, so the same kept token; `samePort` keeps the origin (and so the page's cookie and
 * localStorage).
 */
export async function restart(served: Served, options: { samePort?: boolean } = {}): Promise<Served> {
  if (served.process.exitCode === null && served.process.signalCode === null) {
    served.process.kill('SIGKILL');
    await new Promise((r) => served.process.once('exit', r));
  }
  return start(served.workspace, options.samePort ? new URL(served.origin).port : '0');
}

async function start(workspace: string, port = '0'): Promise<Served> {
  const dir = resolve(workspace, '..');
  const child = spawn(process.execPath, [join(root, 'bin/vajra.js'), 'serve', workspace, '--port', port, '--no-open'], {
    cwd: dir,
    env: { ...process.env, VAJRA_CONFIG_DIR: join(dir, 'config'), VAJRA_HOME: join(dir, 'home') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`vajra serve did not start:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[0]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`vajra serve exited with ${code}:\n${out}`)));
  });
  const parsed = new URL(url);
  return { url, origin: parsed.origin, token: parsed.searchParams.get('token')!, workspace, process: child };
}

export async function stop(served: Served): Promise<void> {
  served.process.kill('SIGTERM');
  await new Promise((r) => (served.process.exitCode !== null || served.process.signalCode !== null ? r(null) : served.process.once('exit', r)));
  await rm(resolve(served.workspace, '..'), { recursive: true, force: true });
}

interface Fixtures {
  /** Skips the electron project before anything starts when its binary is missing. */
  electronGate: void;
  example: string;
  served: Served;
  app: Page;
}

/** `app` is the workbench page: a Chromium tab on `vajra serve` (web) or the Electron window. */
export const test = base.extend<Fixtures>({
  electronGate: [
    async ({ example: _example }, use, testInfo) => {
      const reason = testInfo.project.name === 'electron' ? electronUnavailable() : null;
      testInfo.skip(reason !== null, reason ?? '');
      await use();
    },
    { auto: true },
  ],
  example: ['tabular', { option: true }],
  served: async ({ example }, use) => {
    const served = await serve(example);
    await use(served);
    await stop(served);
  },
  app: async ({ served, page }, use, testInfo) => {
    if (testInfo.project.name === 'electron') {
      const reason = electronUnavailable();
      testInfo.skip(reason !== null, reason ?? '');
      const electronApp = await _electron.launch({ args: [join(root, 'dist/electron/main.mjs'), served.workspace], env: { ...process.env, VAJRA_CONFIG_DIR: join(served.workspace, '..', 'config-electron') } });
      const window = await electronApp.firstWindow();
      await use(window);
      await electronApp.close();
      return;
    }
    await page.goto(served.url);
    await use(page);
  },
});

export { expect };

/** Saves a screenshot as a test artefact under test-results/screenshots/ and attaches it. */
export async function snap(page: Page, name: string): Promise<void> {
  const path = join(root, 'test-results', 'screenshots', `${name}.png`);
  await page.screenshot({ path });
  await test.info().attach(name, { path, contentType: 'image/png' });
}
