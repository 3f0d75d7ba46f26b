import { resolve } from 'node:path';
import { VajraError } from '../../app/base/errors';
import type { VajraContract } from '../../app/protocol/contract';
import type { Handlers } from '../../app/protocol/spec';
import { EventHub } from './events';
import { createHandlers } from './handlers';
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

/** A per-workspace resource (a database, a label store …), opened lazily and closed with it. */
export interface WorkspaceResource {
  close(): void | Promise<void>;
}

/**
 * The services behind the protocol, shared by the WebSocket server and the Electron host. Domain
 * services (`services/*.ts`) keep per-workspace state through `resource(key, open)`.
 */
export class Backend {
  readonly events = new EventHub();
  readonly config: UserConfig;
  private workspace: Workspace | undefined;
  private resources = new Map<string, Promise<WorkspaceResource>>();

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

  /** A resource of the open workspace, created once by `open` and closed when the workspace changes. */
  resource<T extends WorkspaceResource>(key: string, open: (workspace: Workspace) => Promise<T>): Promise<T> {
    const workspace = this.requireWorkspace();
    let entry = this.resources.get(key);
    if (!entry) {
      entry = open(workspace);
      entry.catch(() => this.resources.delete(key));
      this.resources.set(key, entry);
    }
    return entry as Promise<T>;
  }

  async openWorkspace(root: string, name?: string): Promise<Workspace> {
    const absolute = resolve(root);
    const next = await Workspace.open(absolute, name);
    await this.closeResources();
    this.workspace?.close();
    this.workspace = next;
    next.watch((paths) => this.events.emit('workspace.changed', { paths }));
    await this.config.addRecent({ root: absolute, name: next.manifest.name, openedAt: Date.now() });
    this.events.emit('workspace.opened', next.info);
    return next;
  }

  handlers(): Handlers<VajraContract> {
    return createHandlers(this);
  }

  async dispose(): Promise<void> {
    await this.closeResources();
    this.workspace?.close();
  }

  private async closeResources(): Promise<void> {
    const open = [...this.resources.values()];
    this.resources.clear();
    for (const entry of open) await entry.then((r) => r.close(), () => undefined);
  }
}
