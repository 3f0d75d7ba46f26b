import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../app/base/clock';
import { openModelRegistry } from './model-registry-store';
import { openRunStore } from './run-store';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('openModelRegistry(workspace, runs)', () => {
  it('registerModel numbers versions, records lineage; aliases move, keep history and roll back', async () => {
    const ws = await mkdtemp(join(tmpdir(), 'vajra-models-'));
    dirs.push(ws);
    const runs = await openRunStore(ws);
    const registry = openModelRegistry(ws, runs, fixedClock(1000, 10));
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const run = await runs.createRun({ experiment: 'churn' });
      await runs.addArtifact(run.id, 'model/model.onnx', `model ${i}`, 'model');
      await runs.finishRun(run.id, 'finished');
      ids.push(run.id);
    }
    // Concurrent registrations still get distinct numbers.
    const versions = await Promise.all(ids.map((runId) => registry.registerModel({ name: 'churn-gbdt', runId, artifactPath: 'model/model.onnx' })));
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2, 3]);
    expect(await readdir(join(ws, 'models', 'churn-gbdt', 'versions'))).toEqual(['1.json', '2.json', '3.json']);
    const v1 = versions.find((v) => v.version === 1)!;
    expect((await runs.getRun(v1.runId as never)).lineage.producedModel).toEqual({ name: 'churn-gbdt', version: 1 });
    await expect(registry.registerModel({ name: 'churn-gbdt', runId: ids[0]!, artifactPath: 'nope.onnx' })).rejects.toThrow(/no artifact/);

    await registry.setAlias('churn-gbdt', 'champion', 1);
    await registry.setAlias('churn-gbdt', 'champion', 3);
    await registry.setAlias('churn-gbdt', 'challenger', 2);
    await expect(registry.setAlias('churn-gbdt', 'champion', 9)).rejects.toThrow(/no version 9/);
    expect((await registry.resolveAlias('churn-gbdt', 'champion'))!.version).toBe(3);
    await registry.rollbackAlias('churn-gbdt', 'champion');
    expect((await registry.resolveAlias('churn-gbdt', 'champion'))!.version).toBe(1);
    const saved = JSON.parse(await readFile(join(ws, 'models', 'churn-gbdt', 'aliases.json'), 'utf8'));
    expect(saved.aliases.champion.map((e: { version: number; action: string }) => [e.version, e.action])).toEqual([[1, 'set'], [3, 'set'], [1, 'rollback']]);
    expect(await registry.listModels()).toEqual(['churn-gbdt']);
    expect((await registry.listVersions('churn-gbdt')).map((v) => v.version)).toEqual([1, 2, 3]);
  });
});
