import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Workspace } from './workspace';

let dir = '';
let ws: Workspace | undefined;
afterEach(async () => {
  ws?.close();
  await rm(dir, { recursive: true, force: true });
});

async function waitForPaths(seen: Set<string>, wanted: string[], timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!wanted.every((p) => seen.has(p))) {
    if (Date.now() - start > timeoutMs) throw new Error(`saw ${[...seen].join(', ')}; wanted ${wanted.join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Workspace.watch(onChange)', () => {
  it('reports files added by other programs: nested, in new folders, and new run folders', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vajra-ws-'));
    await mkdir(join(dir, 'data', 'raw'), { recursive: true });
    await mkdir(join(dir, 'runs'), { recursive: true });
    ws = await Workspace.open(dir);
    const seen = new Set<string>();
    ws.watch((paths) => paths.forEach((p) => seen.add(p)));
    await new Promise((r) => setTimeout(r, 200));
    await writeFile(join(dir, 'data', 'raw', 'new.csv'), 'a\n1\n');
    await mkdir(join(dir, 'runs', 'r1'));
    await mkdir(join(dir, 'later'));
    await new Promise((r) => setTimeout(r, 300));
    await writeFile(join(dir, 'later', 'notes.md'), '# hi\n');
    await waitForPaths(seen, ['data/raw/new.csv', 'runs/r1', 'later/notes.md']);
  });

  it('creates vajra.json for a plain folder and refuses a file as a workspace', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vajra-ws-'));
    ws = await Workspace.open(dir);
    expect(ws.manifest).toMatchObject({ format: 1 });
    await writeFile(join(dir, 'file.txt'), 'x');
    await expect(Workspace.open(join(dir, 'file.txt'))).rejects.toThrow(/is a file, not a folder/);
    await expect(ws.readText('../outside')).rejects.toThrow(/outside the workspace/);
  });
});
