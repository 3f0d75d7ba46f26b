import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

/**
 * Compares `actual` with `dir/__golden__/name`. On a mismatch it writes `*.changed.*` beside the
 * golden file and fails; `UPDATE_GOLDEN=1` accepts the new text. A missing golden file is created
 * locally and is an error in CI. Golden files are never rewritten silently.
 */
export function checkGolden(dir: string, name: string, actual: string): void {
  const path = join(dir, '__golden__', name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    if (process.env.UPDATE_GOLDEN !== '1' && process.env.CI) throw new Error(`Golden file ${name} is missing`);
    writeFileSync(path, actual);
    return;
  }
  const expected = readFileSync(path, 'utf8');
  if (expected !== actual) {
    writeFileSync(path.replace(/(\.[a-z]+)$/, '.changed$1'), actual);
    expect(actual, `golden ${name} differs; see the .changed file, rerun with UPDATE_GOLDEN=1 to accept`).toBe(expected);
  }
}
