// What the browser benches share: `vajra serve` on a temp copy of an example workspace and
// Debian's Chromium driven by playwright-core (never a downloaded browser).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Served } from '../e2e/fixtures';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const CHROMIUM = process.env.VAJRA_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Why a browser bench cannot run here, or null. */
export function browserUnavailable(): string | null {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} missing (apt-get install chromium)`;
  const renderer = process.env.VAJRA_RENDERER_DIR ?? join(root, 'dist', 'renderer');
  if (!existsSync(join(renderer, 'index.html'))) return `no built renderer in ${renderer} (npm run build)`;
  return null;
}

/** A served example workspace open in a Chromium page; `close()` stops both and removes the copy. */
export interface BrowserSession { served: Served; page: Page; close: () => Promise<void> }

async function startServe(workspace: string): Promise<Served> {
  const dir = resolve(workspace, '..');
  const child: ChildProcess = spawn(process.execPath, [join(root, 'bin/vajra.js'), 'serve', workspace, '--port', '0', '--no-open'], {
    cwd: dir, env: { ...process.env, VAJRA_CONFIG_DIR: join(dir, 'config'), VAJRA_HOME: join(dir, 'home') }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`vajra serve did not start:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(out);
      if (match) {
        clearTimeout(timer);
        done(match[0]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => fail(new Error(`vajra serve exited with ${code}:\n${out}`)));
  });
  const parsed = new URL(url);
  return { url, origin: parsed.origin, token: parsed.searchParams.get('token')!, workspace, process: child };
}

/**
 * Serves a fresh copy of examples/<example> and opens it in Chromium (1280×800); `prepare` may add
 * files to the copy before the server starts.
 */
export async function openSession(example: string, prepare?: (workspace: string) => Promise<void>): Promise<BrowserSession> {
  const dir = await mkdtemp(join(tmpdir(), 'vajra-bench-browser-'));
  const workspace = join(dir, example);
  await cp(join(root, 'examples', example), workspace, { recursive: true });
  await prepare?.(workspace);
  const served = await startServe(workspace);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(served.url);
    const close = async () => {
      await browser?.close();
      const exited = new Promise((r) => (served.process.exitCode !== null ? r(null) : served.process.once('exit', r)));
      served.process.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    };
    return { served, page, close };
  } catch (error) {
    await browser?.close();
    served.process.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
