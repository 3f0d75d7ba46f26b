import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendDurable, writeFileAtomic } from './atomic';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'vajra-atomic-'));
  dirs.push(dir);
  return dir;
}

let fixtureScript = '';
beforeAll(async () => {
  // Bundle the real helper once so each of the 100 children starts in milliseconds.
  fixtureScript = join(await tempDir(), 'rewrite-loop.mjs');
  await build({ entryPoints: [join(import.meta.dirname, 'rewrite-loop.fixture.ts')], bundle: true, platform: 'node', format: 'esm', outfile: fixtureScript, logLevel: 'error' });
});

function runUntilKilled(path: string, a: string, b: string, killAfterMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixtureScript, path, a, b], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), killAfterMs));
    child.once('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited without SIGKILL (${signal})`))));
  });
}

describe('writeFileAtomic(path, data)', () => {
  it('leaves the old or the new content, never a torn file, across 100 SIGKILLs mid-rewrite', { timeout: 240_000 }, async () => {
    const dir = await tempDir();
    const path = join(dir, 'doc.txt');
    const a = 'A'.repeat(64 * 1024);
    const b = 'B'.repeat(96 * 1024);
    let sawA = 0;
    let sawB = 0;
    for (let i = 0; i < 100; i++) {
      await runUntilKilled(path, a, b, (i * 7) % 23);
      const content = await readFile(path, 'utf8');
      expect(content === a || content === b, `run ${i}: torn file of ${content.length} chars`).toBe(true);
      if (content === a) sawA++;
      else sawB++;
    }
    expect(sawA + sawB).toBe(100);
    const leftovers = (await readdir(dir)).filter((f) => f !== 'doc.txt');
    expect(leftovers.every((f) => f.endsWith('.tmp'))).toBe(true);
  });

  it('creates parent folders and replaces content', async () => {
    const dir = await tempDir();
    const path = join(dir, 'a', 'b', 'c.json');
    await writeFileAtomic(path, '{"v":1}');
    await writeFileAtomic(path, '{"v":2}');
    expect(await readFile(path, 'utf8')).toBe('{"v":2}');
  });
});

describe('appendDurable(path, data)', () => {
  it('appends in order', async () => {
    const dir = await tempDir();
    const path = join(dir, 'log.ndjson');
    for (let i = 0; i < 5; i++) await appendDurable(path, `${i}\n`);
    expect(await readFile(path, 'utf8')).toBe('0\n1\n2\n3\n4\n');
  });
});
