import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { VajraError } from '../../../app/base/errors';
import type { workspaceMethods } from '../../../app/protocol/methods/workspace';
import type { DomainHandlers } from '../../../app/protocol/spec';
import type { Backend } from '../backend';
import { listExamples, materializeExample } from '../workspace/examples';

/** Workspace, files and folders: the methods of `methods/workspace.ts`. */
export function workspaceHandlers(backend: Backend): DomainHandlers<typeof workspaceMethods> {
  const { options } = backend;
  return {
    'app.info': async () => ({
      version: options.version,
      shape: options.shape,
      platform: process.platform,
      workspace: backend.current?.info ?? null,
    }),
    'workspace.open': async ({ root }) => (await backend.openWorkspace(root)).info,
    'workspace.create': async ({ root, name }) => {
      await mkdir(root, { recursive: true });
      return (await backend.openWorkspace(root, name)).info;
    },
    'workspace.recent': async () => ({ items: await backend.config.recent() }),
    'workspace.examples': async () => ({ items: await listExamples(options.examplesDir) }),
    'workspace.openExample': async ({ id }) => {
      const root = await materializeExample(options.examplesDir, id, options.userWorkspacesDir);
      return (await backend.openWorkspace(root)).info;
    },
    'workspace.files': async () => ({ entries: await backend.requireWorkspace().listFiles() }),
    'fs.readText': async ({ path }) => backend.requireWorkspace().readText(path),
    'fs.writeText': async ({ path, text, expectedHash }) => backend.requireWorkspace().writeText(path, text, expectedHash),
    'fs.readBytes': async ({ path }) => ({ bytes: await backend.requireWorkspace().readBytes(path) }),
    'fs.writeBytes': async ({ path, bytes }) => (await backend.requireWorkspace().writeBytes(path, bytes), { size: bytes.length }),
    'fs.browse': async ({ dir }) => browse(dir ?? backend.current?.root ?? homedir()),
  };
}

async function browse(dir: string) {
  const absolute = resolve(dir);
  const children = await readdir(absolute, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new VajraError('not_found', `Cannot list ${absolute}: ${error.code === 'ENOENT' ? 'no such folder' : error.message}`);
  });
  const folders = await Promise.all(
    children
      .filter((c) => c.isDirectory() && !c.name.startsWith('.'))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(async (c) => {
        const path = join(absolute, c.name);
        return { name: c.name, path, isWorkspace: await stat(join(path, 'vajra.json')).then(() => true, () => false) };
      }),
  );
  const parent = dirname(absolute);
  return { dir: absolute, parent: parent === absolute ? null : parent, folders };
}
