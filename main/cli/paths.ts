import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';

/** The package root (where package.json, examples/ and dist/ live). */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Where Vajra keeps user settings: $VAJRA_CONFIG_DIR, else $XDG_CONFIG_HOME/vajra, else ~/.config/vajra. */
export function configDir(env: NodeJS.ProcessEnv): string {
  return env.VAJRA_CONFIG_DIR ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'vajra');
}

/** Where opened examples are copied: $VAJRA_HOME, else ~/Vajra. */
export function userWorkspacesDir(env: NodeJS.ProcessEnv): string {
  return env.VAJRA_HOME ?? join(homedir(), 'Vajra');
}

export const examplesDir = join(packageRoot, 'examples');
/** The built renderer; $VAJRA_RENDERER_DIR overrides it (parallel builds in development). */
export const rendererDir = process.env.VAJRA_RENDERER_DIR ?? join(packageRoot, 'dist', 'renderer');
export const DEFAULT_EXAMPLE = 'tabular';
