import { resolve, sep } from 'node:path';
import { UserInputError } from '../../../app/base/errors';

/**
 * Resolves a workspace-relative path to an absolute one, refusing anything that would escape the
 * root (`..`, absolute paths) — the browser shape's client is untrusted.
 */
export function resolveInside(root: string, relative: string): string {
  const absolute = resolve(root, relative);
  if (absolute !== root && !absolute.startsWith(root.endsWith(sep) ? root : root + sep)) {
    throw new UserInputError(`The path "${relative}" is outside the workspace.`, { path: relative });
  }
  return absolute;
}
