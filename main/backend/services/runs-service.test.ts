import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Backend } from '../backend';
import { generateSyntheticStore } from '../runs/synthetic-store';
import { LAYOUTS_FILE, metricSeries, runsHandlers, runsResource } from './runs-service';

let dir: string;
let backend: Backend;
const context = { signal: new AbortController().signal, progress: () => undefined };
const list = { columns: [], filter: [], search: '', sort: [], groupBy: null, offset: 0, limit: 200 };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vajra-runs-service-'));
  backend = new Backend({ version: 'test', shape: 'browser', configDir: join(dir, 'config'), examplesDir: join(dir, 'examples'), userWorkspacesDir: join(dir, 'home') });
});
afterEach(async () => {
  await backend.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function workspaceWithRuns() {
  const root = join(dir, 'ws');
  await generateSyntheticStore(root, { runs: 30, metricsPerRun: 3, stepsPerRun: 50, seed: 7, runsWithHistory: 3 });
  await backend.openWorkspace(root);
  return { root, h: runsHandlers(backend) };
}

describe('runsHandlers(backend)', () => {
  it('runs.list sorts by a metric summary, pages, and groups by a param over all matches', async () => {
    const { h } = await workspaceWithRuns();
    const field = { kind: 'metric' as const, key: 'metric_0', agg: 'min' as const };
    const all = await h['runs.list']({ ...list, columns: [field], sort: [{ field, descending: true }], limit: 5000 }, context);
    const values = all.rows.map((r) => r.values[0] as number);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const page = await h['runs.list']({ ...list, columns: [field], sort: [{ field, descending: true }], offset: 10, limit: 5 }, context);
    expect(page.total).toBe(30);
    expect(page.rows.map((r) => r.id)).toEqual(all.rows.slice(10, 15).map((r) => r.id));
    const grouped = await h['runs.list']({ ...list, groupBy: { kind: 'param', key: 'model.kind' } }, context);
    expect(grouped.groups).toEqual([{ value: 'forest', count: 10 }, { value: 'gbdt', count: 10 }, { value: 'logistic', count: 10 }]);
    expect(grouped.rows.map((r) => r.group)).toEqual([...Array(10).fill('forest'), ...Array(10).fill('gbdt'), ...Array(10).fill('logistic')]);
    const searched = await h['runs.list']({ ...list, search: '"trial 1"' }, context);
    expect(searched.rows.map((r) => r.name).sort()).toEqual(['trial 1', ...Array.from({ length: 10 }, (_, i) => `trial 1${i}`)].sort());
    expect((await h['runs.list']({ ...list, search: 'GBDT sweep-0' }, context)).total).toBe(10);
    const filtered = await h['runs.list']({ ...list, filter: [{ field: { kind: 'param', key: 'model.kind' }, op: '=', value: 'gbdt' }] }, context);
    expect(filtered.total).toBe(10);
    expect((await h['runs.columns']({}, context)).metrics).toEqual(['metric_0', 'metric_1', 'metric_2']);
  });

  it('runs.get and runs.compare return curves and only the params that differ', async () => {
    const { h } = await workspaceWithRuns();
    const oldest = (await h['runs.list']({ ...list, sort: [{ field: { kind: 'attribute', key: 'startTime' }, descending: false }] }, context)).rows;
    const detail = await h['runs.get']({ id: oldest[0]!.id, maxPoints: 20 }, context);
    expect(detail.series.map((s) => s.key)).toEqual(['metric_0', 'metric_1', 'metric_2']);
    expect(detail.series[0]!.thinned).toBe(true);
    expect(detail.series[0]!.steps.at(-1)).toBe(49);
    const compared = await h['runs.compare']({ ids: [oldest[0]!.id, oldest[1]!.id], maxPoints: 1000 }, context);
    expect(compared.runs[1]!.series[0]!.values).toHaveLength(50);
    const keys = compared.paramDiff.map((d) => d.key);
    expect(keys).toContain('seed');
    expect(keys).toContain('model.kind');
    expect(compared.paramDiff.find((d) => d.key === 'seed')!.values).toEqual([0, 1]);
  });

  it('runs.delete → restore → purge move the run folder and announce runs.changed', async () => {
    const { root, h } = await workspaceWithRuns();
    const seen: string[][] = [];
    backend.events.subscribe((event, payload) => event === 'runs.changed' && seen.push((payload as { ids: string[] }).ids));
    const [first] = (await h['runs.list'](list, context)).rows;
    await h['runs.delete']({ ids: [first!.id] }, context);
    expect((await h['runs.list'](list, context)).total).toBe(29);
    expect((await h['runs.trash']({}, context)).runs.map((r) => r.id)).toEqual([first!.id]);
    await h['runs.restore']({ ids: [first!.id] }, context);
    expect((await h['runs.list'](list, context)).total).toBe(30);
    await h['runs.purge']({ ids: [first!.id] }, context);
    await expect(readFile(join(root, 'runs', first!.id, 'run.json'))).rejects.toThrow();
    expect((await h['runs.trash']({}, context)).runs).toEqual([]);
    await expect.poll(() => seen.flat()).toContain(first!.id);
  });

  it('runs.registerModel picks the model artifact, sets champion, and rollbackAlias moves it back', async () => {
    const { h } = await workspaceWithRuns();
    const [a, b] = (await h['runs.list'](list, context)).rows;
    const { store } = await runsResource(backend);
    for (const run of [a!, b!]) await store.addArtifact(run.id as never, 'model/model.onnx', `onnx-${run.id}`, 'model');
    await expect(h['runs.registerModel']({ runId: (await h['runs.list']({ ...list, offset: 2 }, context)).rows[0]!.id, name: 'churn' }, context)).rejects.toThrow(/no model artifact/);
    const v1 = await h['runs.registerModel']({ runId: a!.id, name: 'churn', alias: 'champion' }, context);
    expect(v1.version).toMatchObject({ version: 1, artifactPath: 'model/model.onnx', runId: a!.id });
    const v2 = await h['runs.registerModel']({ runId: b!.id, name: 'churn', alias: 'champion' }, context);
    expect(v2.model.aliases).toMatchObject([{ alias: 'champion', version: 2 }]);
    const rolled = await h['runs.rollbackAlias']({ name: 'churn', alias: 'champion' }, context);
    expect(rolled.aliases[0]).toMatchObject({ alias: 'champion', version: 1 });
    expect(rolled.versions.map((v) => v.version)).toEqual([1, 2]);
    expect((await h['runs.get']({ id: b!.id, maxPoints: 10 }, context)).record.lineage.producedModel).toEqual({ name: 'churn', version: 2 });
    expect((await h['runs.registry']({}, context)).models.map((m) => m.name)).toEqual(['churn']);
  });

  it('runs.saveLayout stores layouts atomically in .vajra/runs-layouts.json, replacing by name', async () => {
    const { root, h } = await workspaceWithRuns();
    await h['runs.saveLayout']({ name: 'losses', columns: [{ kind: 'metric', key: 'metric_0', agg: 'min' }], sort: [], groupBy: null }, context);
    const saved = await h['runs.saveLayout']({ name: 'losses', columns: [{ kind: 'metric', key: 'metric_1' }], sort: [], groupBy: { kind: 'param', key: 'model.kind' } }, context);
    expect(saved.layouts).toHaveLength(1);
    expect(JSON.parse(await readFile(join(root, LAYOUTS_FILE), 'utf8')).layouts[0].columns).toEqual([{ kind: 'metric', key: 'metric_1' }]);
    expect((await h['runs.deleteLayout']({ name: 'losses' }, context)).layouts).toEqual([]);
  });
});

describe('metricSeries(points, maxPoints)', () => {
  it('keeps step order and the last point when thinning', () => {
    const points = Array.from({ length: 10 }, (_, i) => ({ key: 'k', value: i === 3 ? Number.NaN : i, step: 9 - i, timestamp: i }));
    const [series] = metricSeries(points, 4);
    expect(series!.steps).toEqual([0, 3, 6, 9]);
    expect(series!.values).toEqual([9, 6, null, 0]);
  });
});
