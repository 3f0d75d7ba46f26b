import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../backend/fs/atomic';
import { newToken } from './security';

const FILE = 'serve-token';
const TOKEN_SHAPE = /^[\w-]{43}$/;

/**
 * The token `vajra serve` requires, kept in the user's config folder (mode 0600) so that a
 * restarted server (after a crash, a kill or a reboot) accepts the pages that are still open:
 * their cookie stays valid and they reconnect by themselves. `rotate` (or a file that is not the
 * user's alone, or malformed) makes a new one, which signs out every open page.
 */
export async function serveToken(configDir: string, rotate = false): Promise<string> {
  const path = join(configDir, FILE);
  if (!rotate) {
    const kept = await readKept(path);
    if (kept) return kept;
  }
  const token = newToken();
  await writeFileAtomic(path, `${token}\n`, { mode: 0o600 });
  return token;
}

async function readKept(path: string): Promise<string | null> {
  try {
    const info = await stat(path);
    // Readable by others (copied in, or a lax umask): treat it as leaked.
    if ((info.mode & 0o077) !== 0) return null;
    if (typeof process.getuid === 'function' && info.uid !== process.getuid()) return null;
    const token = (await readFile(path, 'utf8')).trim();
    return TOKEN_SHAPE.test(token) ? token : null;
  } catch {
    return null;
  }
}
