import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { readdir, stat, mkdir } from 'node:fs/promises';
import { VajraError } from '../../app/base/errors';
import type { VajraContract } from '../../app/protocol/contract';
import type { Handlers } from '../../app/protocol/spec';
import { EventHub } from './events';
import { listExamples, materializeExample } from './workspace/examples';
import { UserConfig } from './workspace/user-config';
import { Workspace } from './workspace/workspace';

/** Where the backend finds and keeps things; every path absolute. */
export interface BackendOptions {
  version: string;
  shape: 'desktop' | 'browser';
  configDir: string;
  examplesDir: string;
  /** Where examples are copied when opened. */
  userWorkspacesDir: string;
}

/** The services behind the protocol, shared by the WebSocket server and the Electron host. */
export class Backend {
  readonly events = new EventHub();
  private workspace: Workspace | undefined;
  private readonly config: UserConfig;

  constructor(readonly options: BackendOptions) {
    this.config = new UserConfig(options.configDir);
  }

  get current(): Workspace | undefined {
    return this.workspace;
  }

  /** The open workspace, or a plain-words error when none is open. */
  requireWorkspace(): Workspace {
    if (!this.workspace) throw new VajraError('no_workspace', 'No workspace is open. Open a folder first.', undefined, 'NoWorkspaceError');
    return this.workspace;
  }

  async openWorkspace(root: string, name?: string): Promise<Workspace> {
    const absolute = resolve(root);
    const next = await Workspace.open(absolute, name);
    this.workspace?.close();
    this.workspace = next;
    next.watch((paths) => this.events.emit('workspace.changed', { paths }));
    await this.config.addRecent({ root: absolute, name: next.manifest.name, openedAt: Date.now() });
    this.events.emit('workspace.opened', next.info);
    return next;
  }

  dispose(): void {
    this.workspace?.close();
  }

  handlers(): Handlers<VajraContract> {
    return {
      'app.info': async () => ({
        version: this.options.version,
        shape: this.options.shape,
        platform: process.platform,
        workspace: this.workspace?.info ?? null,
      }),
      'workspace.open': async ({ root }) => (await this.openWorkspace(root)).info,
      'workspace.create': async ({ root, name }) => {
        await mkdir(root, { recursive: true });
        return (await this.openWorkspace(root, name)).info;
      },
      'workspace.recent': async () => ({ items: await this.config.recent() }),
      'workspace.examples': async () => ({ items: await listExamples(this.options.examplesDir) }),
      'workspace.openExample': async ({ id }) => {
        const root = await materializeExample(this.options.examplesDir, id, this.options.userWorkspacesDir);
        return (await this.openWorkspace(root)).info;
      },
      'workspace.files': async () => ({ entries: await this.requireWorkspace().listFiles() }),
      'fs.readText': async ({ path }) => this.requireWorkspace().readText(path),
      'fs.writeText': async ({ path, text, expectedHash }) => this.requireWorkspace().writeText(path, text, expectedHash),
      'fs.readBytes': async ({ path }) => ({ bytes: await this.requireWorkspace().readBytes(path) }),
      'fs.writeBytes': async ({ path, bytes }) => (await this.requireWorkspace().writeBytes(path, bytes), { size: bytes.length }),
      'fs.browse': async ({ dir }) => browse(dir ?? this.workspace?.root ?? homedir()),
    };
  }
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
