// Issue 5: the runs table opens and sorts 10,000 runs × 100 metrics × 1,000 steps in under 1 s,
// measured through the service path the UI uses (Backend → runs.list), not the store alone.
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Backend } from '../main/backend/backend';
import { generateSyntheticStore } from '../main/backend/runs/synthetic-store';
import { listRuns, openRunsResource, runsHandlers } from '../main/backend/services/runs-service';
import { timeIt, type BenchRow } from './types';

const RUNS = 10_000;
const METRICS = 100;
const STEPS = 1_000;
const PAGE = 200;

/** The synthetic workspace, generated once per machine (≈ 30 s) and reused by later runs. */
async function workspace(): Promise<string> {
  const root = join(tmpdir(), `vajra-bench-runs-${RUNS}x${METRICS}x${STEPS}`);
  if (existsSync(join(root, 'vajra.json'))) return root;
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  await generateSyntheticStore(root, { runs: RUNS, metricsPerRun: METRICS, stepsPerRun: STEPS, seed: 5, runsWithHistory: 5 });
  await writeFile(join(root, 'vajra.json'), '{"format":1,"name":"bench-runs"}\n');
  return root;
}

function newBackend(dir: string): Backend {
  return new Backend({ version: 'bench', shape: 'browser', configDir: join(dir, '.bench-config'), examplesDir: dir, userWorkspacesDir: dir });
}

const context = { signal: new AbortController().signal, progress: () => undefined };
const metricColumns = (n: number) => Array.from({ length: n }, (_, k) => ({ kind: 'metric' as const, key: `metric_${k}`, agg: 'last' as const }));
const base = { columns: metricColumns(12), filter: [], search: '', groupBy: null, offset: 0, limit: PAGE };

/** Times of opening the runs table and sorting it by metrics, through `runs.list`. */
export async function benchRuns(): Promise<BenchRow[]> {
  const root = await workspace();
  let key = 0;
  const sortBy = () => [{ field: { kind: 'metric' as const, key: `metric_${key++ % METRICS}`, agg: 'min' as const }, descending: true }];

  // What opening the Runs tab costs in an open workspace: the tracker resource, then the first page.
  const coldOpen = await timeIt(async () => {
    const tracker = await openRunsResource(root);
    const result = listRuns(tracker.store, { ...base, sort: sortBy() });
    if (result.total !== RUNS) throw new Error(`expected ${RUNS} runs, got ${result.total}`);
    await tracker.close();
  }, 3);

  const backend = newBackend(root);
  const workspaceStart = performance.now();
  await backend.openWorkspace(root);
  const workspaceMs = performance.now() - workspaceStart;
  const handlers = runsHandlers(backend);
  await handlers['runs.list']({ ...base, sort: [] }, context);
  const sortMs = await timeIt(() => handlers['runs.list']({ ...base, sort: sortBy() }, context), 7);
  const filterGroupMs = await timeIt(() => handlers['runs.list']({
    ...base,
    sort: sortBy(),
    filter: [{ field: { kind: 'metric', key: 'metric_3', agg: 'last' }, op: '<', value: 0.5 }],
    groupBy: { kind: 'param', key: 'model.kind' },
  }, context), 5);
  const searchMs = await timeIt(() => handlers['runs.list']({ ...base, sort: sortBy(), search: 'gbdt sweep-4' }, context), 5);
  await backend.dispose();

  const shape = `${RUNS.toLocaleString('en')} runs × ${METRICS} metrics × ${STEPS.toLocaleString('en')} steps`;
  return [
    { suite: 'runs', case: `open runs table + sort by a metric, cold store (${shape})`, vajra: coldOpen, unit: 'ms', target: '< 1 s', note: 'store open (index.bin + journal + folder scan) and the first sorted page of 200' },
    { suite: 'runs', case: `open the workspace holding them (once, includes fs watch)`, vajra: workspaceMs, unit: 'ms', note: 'Backend.openWorkspace: recursive fs.watch over 10k run folders' },
    { suite: 'runs', case: `re-sort by another metric (${shape})`, vajra: sortMs, unit: 'ms', target: '< 1 s' },
    { suite: 'runs', case: `filter on a metric + group by a param + sort (${shape})`, vajra: filterGroupMs, unit: 'ms', target: '< 1 s' },
    { suite: 'runs', case: `text search + sort (${shape})`, vajra: searchMs, unit: 'ms', target: '< 1 s' },
  ];
}
