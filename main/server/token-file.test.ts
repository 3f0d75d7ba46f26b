import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveToken } from './token-file';

async function configDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'vajra-token-'));
}

describe('serveToken(configDir, rotate)', () => {
  it('keeps one token across restarts in a file only the user can read', async () => {
    const dir = await configDir();
    const first = await serveToken(dir);
    expect(first).toMatch(/^[\w-]{43}$/);
    expect(await serveToken(dir)).toBe(first);
    expect((await stat(join(dir, 'serve-token'))).mode & 0o777).toBe(0o600);
  });

  it('rotates on request', async () => {
    const dir = await configDir();
    const first = await serveToken(dir);
    const second = await serveToken(dir, true);
    expect(second).not.toBe(first);
    expect((await readFile(join(dir, 'serve-token'), 'utf8')).trim()).toBe(second);
  });

  it('replaces a token file others can read, or one that is malformed', async () => {
    const dir = await configDir();
    const first = await serveToken(dir);
    await chmod(join(dir, 'serve-token'), 0o644);
    const second = await serveToken(dir);
    expect(second).not.toBe(first);
    await writeFile(join(dir, 'serve-token'), 'short\n', { mode: 0o600 });
    const third = await serveToken(dir);
    expect(third).toMatch(/^[\w-]{43}$/);
  });
});
