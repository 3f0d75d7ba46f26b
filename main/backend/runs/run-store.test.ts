import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../app/base/clock';
import type { RunId } from '../../../app/base/ids';
import { createRng } from '../../../app/base/rng';
import { openRunStore } from './run-store';

const dirs: string[] = [];
async function workspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vajra-runs-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const options = () => ({ clock: fixedClock(1_700_000_000_000, 1), rng: createRng(9) });

describe('openRunStore(workspace)', () => {
  it('createRun/logMetrics/logParams/setTags/finishRun persist and survive a reopen', async () => {
    const ws = await workspace();
    const store = await openRunStore(ws, options());
    const run = await store.createRun({ experiment: 'exp', name: 'first', params: { lr: 0.1 } });
    await store.logMetrics(run.id, [{ key: 'loss', value: 0.9, step: 0, timestamp: 1 }, { key: 'loss', value: 0.4, step: 1, timestamp: 2 }]);
    await store.logMetrics(run.id, [{ key: 'loss', value: Number.NaN, step: 2, timestamp: 3 }]);
    await store.logParams(run.id, { depth: 6, lr: 0.1 });
    await expect(store.logParams(run.id, { lr: 0.2 })).rejects.toThrow(/cannot change/);
    await store.setTags(run.id, { team: 'a' });
    const artifact = await store.addArtifact(run.id, 'model/model.onnx', 'bytes', 'model');
    expect(artifact).toEqual({ path: 'model/model.onnx', size: 5, sha256: '277089d91c0bdf4f2e6862ba7e4a07605119431f5d13f726dd352b06f1b206a9', kind: 'model' });
    await store.finishRun(run.id, 'finished');
    await store.close();

    const again = await openRunStore(ws, options());
    const [summary] = again.listRuns();
    expect(summary).toMatchObject({ id: run.id, status: 'finished', params: { lr: 0.1, depth: 6 }, tags: { team: 'a' } });
    expect(summary!.metrics.loss).toMatchObject({ min: 0.4, max: 0.9, count: 3, lastStep: 2 });
    expect(Number.isNaN(summary!.metrics.loss!.last)).toBe(true);
    expect((await again.readMetrics(run.id)).map((p) => p.value)).toEqual([0.9, 0.4, Number.NaN]);
    expect((await again.readArtifact(run.id, 'model/model.onnx')).toString()).toBe('bytes');
    expect((await again.getRun(run.id)).artifacts).toEqual([artifact]);
    await expect(again.addArtifact(run.id, '../escape', 'x', 'other')).rejects.toThrow();
  });

  it('readMetrics ignores a torn last line and the reopen cuts it before new appends', async () => {
    const ws = await workspace();
    const store = await openRunStore(ws, options());
    const run = await store.createRun({ experiment: 'exp' });
    await store.logMetrics(run.id, [{ key: 'a', value: 1, step: 0, timestamp: 1 }]);
    await appendFile(join(ws, 'runs', run.id, 'metrics.ndjson'), '["a",2,1,');
    expect(await store.readMetrics(run.id)).toHaveLength(1);
    const again = await openRunStore(ws, { ...options(), isWriterAlive: () => false });
    expect(again.recovered).toEqual([run.id]);
    await again.logMetrics(run.id, [{ key: 'a', value: 3, step: 2, timestamp: 5 }]);
    expect((await again.readMetrics(run.id)).map((p) => p.value)).toEqual([1, 3]);
  });

  it('deleteRun moves to runs/.trash, restoreRun brings it back, purgeRun removes it for good', async () => {
    const ws = await workspace();
    const store = await openRunStore(ws, options());
    const a = await store.createRun({ experiment: 'exp', name: 'a' });
    const b = await store.createRun({ experiment: 'exp', name: 'b' });
    await store.deleteRun(a.id);
    expect(store.listRuns().map((r) => r.id)).toEqual([b.id]);
    expect(await readdir(join(ws, 'runs', '.trash'))).toEqual([a.id]);
    expect((await store.listTrash()).map((r) => r.name)).toEqual(['a']);
    await store.restoreRun(a.id);
    expect(store.listRuns()).toHaveLength(2);
    await store.deleteRun(a.id);
    await store.purgeRun(a.id);
    await store.purgeRun(b.id);
    expect(await readdir(join(ws, 'runs', '.trash'))).toEqual([]);
    expect((await openRunStore(ws, options())).listRuns()).toEqual([]);
  });

  it('a lost or damaged index is rebuilt from the run folders; a dirty mark forces a re-read', async () => {
    const ws = await workspace();
    const store = await openRunStore(ws, options());
    const run = await store.createRun({ experiment: 'exp' });
    await store.logMetrics(run.id, [{ key: 'm', value: 2, step: 0, timestamp: 1 }]);
    await store.finishRun(run.id, 'finished');
    await store.close();
    await writeFile(join(ws, 'runs', 'index.bin'), 'garbage');
    await writeFile(join(ws, 'runs', 'index.ndjson'), '');
    const rebuilt = await openRunStore(ws, options());
    expect(rebuilt.listRuns()[0]).toMatchObject({ id: run.id, status: 'finished', metrics: { m: { last: 2 } } });
    // Simulate a crash between the dirty mark and the summary line of a record change.
    const recordPath = join(ws, 'runs', run.id, 'run.json');
    const changed = JSON.parse(await readFile(recordPath, 'utf8')) as { name: string };
    await writeFile(recordPath, JSON.stringify({ ...changed, name: 'renamed on disk' }));
    await appendFile(join(ws, 'runs', 'index.ndjson'), `${JSON.stringify({ dirty: run.id })}\n`);
    expect((await openRunStore(ws, options())).listRuns()[0]!.name).toBe('renamed on disk');
  });

  it('a writer killed with SIGKILL loses no acknowledged metric and its run is marked killed', async () => {
    const ws = await workspace();
    const script = fileURLToPath(new URL('./crash-writer.fixture.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, ws], { stdio: ['ignore', 'pipe', 'inherit'] });
    let runId = '';
    let acked = -1;
    let buffer = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`writer exited early (${code})`)));
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) {
          if (line.startsWith('run ')) runId = line.slice(4);
          if (line.startsWith('ack ')) acked = Number(line.slice(4));
        }
        if (acked >= 40) {
          child.removeAllListeners('exit');
          child.kill('SIGKILL');
          child.on('exit', () => resolve());
        }
      });
    });
    const store = await openRunStore(ws);
    expect(store.recovered).toEqual([runId]);
    const summary = store.getSummary(runId as RunId)!;
    expect(summary.status).toBe('killed');
    expect(summary.metrics.loss!.count).toBeGreaterThanOrEqual(acked + 1);
    const steps = new Set((await store.readMetrics(runId as RunId)).filter((p) => p.key === 'acc').map((p) => p.step));
    for (let step = 0; step <= acked; step++) expect(steps.has(step)).toBe(true);
    expect((await store.getRun(runId as RunId)).writer).toBeUndefined();
  }, 30_000);
});
