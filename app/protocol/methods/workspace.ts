import { z } from 'zod';
import { bytes, method } from '../spec';

/** A path inside the workspace: relative, forward slashes, never escaping the root. */
export const workspacePath = z
  .string()
  .max(4096)
  .refine((p) => !p.startsWith('/') && !/^[a-zA-Z]:/.test(p) && !p.split(/[\\/]/).includes('..') && !p.includes('\0'), {
    message: 'must be a relative path inside the workspace',
  });

/** The kinds of entries the sidebar groups (ARCHITECTURE.md: a workspace on disk). */
export const FileKind = z.enum(['folder', 'notebook', 'pipeline', 'dataset', 'labelset', 'run', 'export', 'expectations', 'text', 'other']);
export type FileKind = z.infer<typeof FileKind>;

export const FileEntry = z.object({
  path: z.string(),
  name: z.string(),
  kind: FileKind,
  size: z.number(),
  mtimeMs: z.number(),
});
export type FileEntry = z.infer<typeof FileEntry>;

export const WorkspaceManifest = z.object({
  format: z.literal(1),
  name: z.string(),
  description: z.string().optional(),
  defaultOpen: z.array(z.string()).optional(),
});
export type WorkspaceManifest = z.infer<typeof WorkspaceManifest>;

export const WorkspaceInfo = z.object({ root: z.string(), manifest: WorkspaceManifest });
export type WorkspaceInfo = z.infer<typeof WorkspaceInfo>;

export const RecentWorkspace = z.object({ root: z.string(), name: z.string(), openedAt: z.number() });
export const ExampleInfo = z.object({ id: z.string(), title: z.string(), description: z.string() });
export type ExampleInfo = z.infer<typeof ExampleInfo>;

const absolutePath = z.string().min(1).max(4096);

export const workspaceMethods = {
  'app.info': method(z.object({}), z.object({
    version: z.string(),
    shape: z.enum(['desktop', 'browser']),
    platform: z.string(),
    workspace: WorkspaceInfo.nullable(),
  }), 'What is running: version, shape (desktop or browser), the open workspace.'),
  'workspace.open': method(z.object({ root: absolutePath }), WorkspaceInfo, 'Open a folder as the workspace (creates vajra.json if missing).'),
  'workspace.create': method(z.object({ root: absolutePath, name: z.string().min(1).max(200).optional() }), WorkspaceInfo, 'Create a new, empty workspace folder and open it.'),
  'workspace.recent': method(z.object({}), z.object({ items: z.array(RecentWorkspace) }), 'Recently opened workspaces, newest first.'),
  'workspace.examples': method(z.object({}), z.object({ items: z.array(ExampleInfo) }), 'The example workspaces bundled with Vajra.'),
  'workspace.openExample': method(z.object({ id: z.string().regex(/^[a-z0-9-]+$/) }), WorkspaceInfo, 'Copy a bundled example to the user folder (once) and open it.'),
  'workspace.files': method(z.object({}), z.object({ entries: z.array(FileEntry) }), 'Every file and folder of the open workspace (hidden and cache folders excluded).'),
  'fs.readText': method(z.object({ path: workspacePath }), z.object({ text: z.string(), mtimeMs: z.number(), hash: z.string() }), 'Read a text file of the workspace.'),
  'fs.writeText': method(
    z.object({ path: workspacePath, text: z.string().max(64 * 1024 * 1024), expectedHash: z.string().optional() }),
    z.object({ mtimeMs: z.number(), hash: z.string() }),
    'Write a text file atomically; with expectedHash, refuse if it changed on disk meanwhile.',
  ),
  'fs.readBytes': method(z.object({ path: workspacePath }), z.object({ bytes: bytes }), 'Read a file of the workspace as bytes.'),
  'fs.writeBytes': method(z.object({ path: workspacePath, bytes: bytes }), z.object({ size: z.number() }), 'Write a binary file atomically (e.g. a dropped data file).'),
  'fs.browse': method(z.object({ dir: absolutePath.optional() }), z.object({
    dir: z.string(),
    parent: z.string().nullable(),
    folders: z.array(z.object({ name: z.string(), path: z.string(), isWorkspace: z.boolean() })),
  }), 'List sub-folders of a folder on the host (folder picker of the browser shape).'),
} as const;

export const workspaceEvents = {
  'workspace.opened': WorkspaceInfo,
  'workspace.changed': z.object({ paths: z.array(z.string()) }),
  /** The host asks the renderer to run a workbench command (Electron's app menu). */
  'ui.command': z.object({ id: z.string() }),
} as const;
