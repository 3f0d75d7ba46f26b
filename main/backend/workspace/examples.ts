import { cp, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserInputError } from '../../../app/base/errors';
import type { ExampleInfo } from '../../../app/protocol/methods/workspace';
import { loadOrCreateManifest, MANIFEST_FILE } from './workspace';

/** The example workspaces shipped in `examples/`: every sub-folder with a vajra.json. */
export async function listExamples(examplesDir: string): Promise<ExampleInfo[]> {
  const children = await readdir(examplesDir, { withFileTypes: true }).catch(() => []);
  const items: ExampleInfo[] = [];
  for (const child of children.filter((c) => c.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const hasManifest = await stat(join(examplesDir, child.name, MANIFEST_FILE)).then(() => true, () => false);
    if (!hasManifest) continue;
    const manifest = await loadOrCreateManifest(join(examplesDir, child.name));
    items.push({ id: child.name, title: manifest.name, description: manifest.description ?? '' });
  }
  return items;
}

/**
 * Copies example `id` into `targetRoot/id` unless it is there already (the user's copy keeps
 * their edits; the shipped example stays pristine). Returns the copy's folder.
 */
export async function materializeExample(examplesDir: string, id: string, targetRoot: string): Promise<string> {
  const source = join(examplesDir, id);
  const exists = await stat(join(source, MANIFEST_FILE)).then(() => true, () => false);
  if (!exists) throw new UserInputError(`There is no example named "${id}".`, { id });
  const target = join(targetRoot, id);
  const copied = await stat(target).then(() => true, () => false);
  if (!copied) await cp(source, target, { recursive: true, errorOnExist: false, force: false });
  return target;
}
