import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { UserInputError, VajraError } from '../../../app/base/errors';
import { WorkspaceManifest, type FileEntry, type WorkspaceInfo } from '../../../app/protocol/methods/workspace';
import { fileKind, isOpaqueFolder } from '../../../app/workspace/file-kind';
import { writeFileAtomic } from '../fs/atomic';
import { resolveInside } from './paths';

export const MANIFEST_FILE = 'vajra.json';
const MAX_ENTRIES = 50_000;
const IGNORED_NAMES = new Set(['node_modules', '.git', '.vajra']);

/** Reads `vajra.json`, or writes a new one (format 1) when the folder has none. */
export async function loadOrCreateManifest(root: string, name?: string): Promise<WorkspaceManifest> {
  const path = join(root, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    const manifest: WorkspaceManifest = { format: 1, name: name ?? basename(root) };
    await writeFileAtomic(path, `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserInputError(`${path} is not valid JSON: ${(error as Error).message}`, { path });
  }
  const parsed = WorkspaceManifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserInputError(`${path} is not a Vajra manifest (format 1): ${issue?.path.join('.') || 'root'}: ${issue?.message}`, { path });
  }
  return parsed.data;
}

/** An open workspace folder: file listing, text I/O with conflict detection, change events. */
export class Workspace {
  private readonly watchers = new Map<string, FSWatcher>();
  private pendingChanges = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;

  private constructor(readonly root: string, readonly manifest: WorkspaceManifest) {}

  static async open(root: string, name?: string): Promise<Workspace> {
    const info = await stat(root).catch(() => undefined);
    if (!info) throw new UserInputError(`The folder ${root} does not exist.`, { path: root });
    if (!info.isDirectory()) throw new UserInputError(`${root} is a file, not a folder.`, { path: root });
    return new Workspace(root, await loadOrCreateManifest(root, name));
  }

  get info(): WorkspaceInfo {
    return { root: this.root, manifest: this.manifest };
  }

  resolve(path: string): string {
    return resolveInside(this.root, path);
  }

  /** Every entry, depth first, sorted by path; hidden files and caches left out. */
  async listFiles(): Promise<FileEntry[]> {
    const entries: FileEntry[] = [];
    const walk = async (dir: string): Promise<void> => {
      const children = await readdir(dir, { withFileTypes: true }).catch(() => []);
      children.sort((a, b) => a.name.localeCompare(b.name));
      for (const child of children) {
        if (child.name.startsWith('.') || IGNORED_NAMES.has(child.name)) continue;
        if (entries.length >= MAX_ENTRIES) return;
        const absolute = join(dir, child.name);
        const path = relative(this.root, absolute).split(sep).join('/');
        const isFolder = child.isDirectory();
        const info = await stat(absolute).catch(() => undefined);
        if (!info) continue;
        entries.push({ path, name: child.name, kind: fileKind(path, isFolder), size: isFolder ? 0 : info.size, mtimeMs: info.mtimeMs });
        if (isFolder && !isOpaqueFolder(path)) await walk(absolute);
      }
    };
    await walk(this.root);
    return entries;
  }

  async readText(path: string): Promise<{ text: string; mtimeMs: number; hash: string }> {
    const absolute = this.resolve(path);
    const [bytes, info] = await Promise.all([readFile(absolute), stat(absolute)]).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? new UserInputError(`The file ${path} does not exist.`, { path }) : error;
    });
    return { text: bytes.toString('utf8'), mtimeMs: info.mtimeMs, hash: sha256(bytes) };
  }

  async writeText(path: string, text: string, expectedHash?: string): Promise<{ mtimeMs: number; hash: string }> {
    const absolute = this.resolve(path);
    if (expectedHash !== undefined) {
      const current = await readFile(absolute).catch(() => undefined);
      if (current && sha256(current) !== expectedHash) {
        throw new VajraError('conflict', `${path} was changed on disk by another program since it was opened.`, { path }, 'ConflictError');
      }
    }
    const bytes = Buffer.from(text, 'utf8');
    await writeFileAtomic(absolute, bytes);
    const info = await stat(absolute);
    return { mtimeMs: info.mtimeMs, hash: sha256(bytes) };
  }

  async readBytes(path: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(this.resolve(path)));
  }

  async writeBytes(path: string, bytes: Uint8Array): Promise<void> {
    const absolute = this.resolve(path);
    await mkdir(join(absolute, '..'), { recursive: true });
    await writeFileAtomic(absolute, bytes);
  }

  /**
   * Starts reporting changes made by anyone (other programs included), batched per 150 ms.
   * Ordinary folders are watched recursively; `runs/`, `labels/` and `exports/` only one level
   * deep (a run folder is one entry), so 10,000 runs cost 3 watches, not 10,000.
   */
  watch(onChange: (paths: string[]) => void): void {
    this.closeWatchers();
    const report = (prefix: string) => (_event: string, filename: string | Buffer | null) => {
      if (!filename) return;
      const path = `${prefix}${filename.toString().split(sep).join('/')}`;
      if (path.split('/').some((part) => part.startsWith('.') || IGNORED_NAMES.has(part))) return;
      if (!prefix && !path.includes('/')) void this.watchTopLevel(path, report);
      this.pendingChanges.add(path);
      this.flushTimer ??= setTimeout(() => {
        this.flushTimer = undefined;
        const paths = [...this.pendingChanges].sort();
        this.pendingChanges.clear();
        onChange(paths);
      }, 150);
    };
    this.addWatcher(this.root, false, report(''));
    void readdir(this.root, { withFileTypes: true }).then((children) => {
      for (const child of children) if (child.isDirectory()) void this.watchTopLevel(child.name, report);
    }, () => undefined);
  }

  private async watchTopLevel(name: string, report: (prefix: string) => (event: string, filename: string | Buffer | null) => void): Promise<void> {
    if (name.startsWith('.') || IGNORED_NAMES.has(name) || this.watchers.has(name)) return;
    const info = await stat(join(this.root, name)).catch(() => undefined);
    if (!info?.isDirectory()) return;
    const shallow = name === 'runs' || name === 'labels' || name === 'exports';
    this.addWatcher(join(this.root, name), !shallow, report(`${name}/`), name);
  }

  private addWatcher(dir: string, recursive: boolean, listener: (event: string, filename: string | Buffer | null) => void, key = ''): void {
    try {
      const watcher = watch(dir, { recursive }, listener);
      watcher.on('error', () => {
        watcher.close();
        this.watchers.delete(key);
      });
      this.watchers.set(key, watcher);
    } catch {
      // Watching is unavailable on some file systems; the tree then refreshes on demand.
    }
  }

  private closeWatchers(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  close(): void {
    this.closeWatchers();
    if (this.flushTimer) clearTimeout(this.flushTimer);
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
