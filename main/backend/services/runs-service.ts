import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { throwIfAborted, UserInputError } from '../../../app/base/errors';
import { asId, type RunId } from '../../../app/base/ids';
import type { MetricSeries, MetricSummaryRow, RegisteredModel, RunRow, RunsLayout, runsMethods } from '../../../app/protocol/methods/runs';
import { RunsLayout as RunsLayoutSchema } from '../../../app/protocol/methods/runs';
import type { DomainHandlers } from '../../../app/protocol/spec';
import type { ModelVersion } from '../../../app/tracking/model-registry';
import type { MetricPoint, MetricSummary, ParamValue, RunRecord, RunSummary } from '../../../app/tracking/run-model';
import { groupRuns, sortRuns, type FieldReader, type FieldValue, type FilterClause, type RunField, type SortKey } from '../../../app/tracking/run-query';
import { diffParams } from '../../../app/tracking/run-summary';
import type { TrackingStore } from '../../../app/tracking/tracking-store';
import type { Backend, WorkspaceResource } from '../backend';
import { writeFileAtomic } from '../fs/atomic';
import { openModelRegistry, type ModelRegistry } from '../runs/model-registry-store';
import { openRunStore, type RunStore } from '../runs/run-store';
import { createDiskTrackingStore } from '../runs/tracking-adapter';

/** Saved column layouts, hidden from the file tree with the other per-workspace state. */
export const LAYOUTS_FILE = '.vajra/runs-layouts.json';
const CHANGE_BATCH_MS = 100;

/**
 * The tracker of the open workspace: the run store, its MLflow view and the model registry,
 * opened together once per workspace (`backend.resource('runs')`) and closed on switch.
 * Everything that writes through it calls `changed(ids)`, batched into one `runs.changed` event.
 */
export interface RunsResource extends WorkspaceResource {
  readonly store: RunStore;
  readonly tracking: TrackingStore;
  readonly registry: ModelRegistry;
  readonly workspaceRoot: string;
  /** Counts `changed` calls, so callers can cache what they derive from the store. */
  readonly version: number;
  changed(ids: readonly string[]): void;
}

/** Opens the tracker of a workspace folder; `onChanged` receives batched run ids. */
export async function openRunsResource(workspaceRoot: string, onChanged: (ids: string[]) => void = () => undefined): Promise<RunsResource> {
  const store = await openRunStore(workspaceRoot);
  const tracking = await createDiskTrackingStore(store);
  const registry = openModelRegistry(workspaceRoot, store);
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let version = 0;
  const flush = () => {
    timer = undefined;
    const ids = [...pending];
    pending.clear();
    onChanged(ids.length > 200 ? [] : ids);
  };
  return {
    store, tracking, registry, workspaceRoot,
    get version() {
      return version;
    },
    changed(ids) {
      version++;
      for (const id of ids) pending.add(id);
      timer ??= setTimeout(flush, CHANGE_BATCH_MS);
    },
    async close() {
      if (timer) clearTimeout(timer);
      await store.close();
    },
  };
}

/** The per-workspace tracker of `backend` (shared by the protocol handlers and the MLflow route). */
export function runsResource(backend: Backend): Promise<RunsResource> {
  return backend.resource('runs', (workspace) => openRunsResource(workspace.root, (ids) => backend.events.emit('runs.changed', { ids })));
}

/** A table cell: null for missing and non-finite values (JSON has no NaN). */
function cell(value: FieldValue): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function matchesSearch(run: RunSummary, words: readonly string[]): boolean {
  const hay = [run.id, run.name, run.experiment, run.status, ...Object.entries(run.params).map(([k, v]) => `${k}=${String(v)}`), ...Object.entries(run.tags).map(([k, v]) => `${k}=${v}`)].join('\n').toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** Parameters of `listRuns` (the `runs.list` request after defaults). */
export interface ListQuery {
  columns: readonly RunField[];
  filter: readonly FilterClause[];
  search: string;
  sort: readonly SortKey[];
  groupBy: RunField | null;
  offset: number;
  limit: number;
}

/** Filter → search → sort → group → page, reading metric fields through the store's fast reader. */
export function listRuns(store: Pick<RunStore, 'queryRuns' | 'readField'>, query: ListQuery): { total: number; rows: RunRow[]; groups: { value: string | number | boolean | null; count: number }[] } {
  const read: FieldReader = store.readField;
  let runs = store.queryRuns({ filter: query.filter });
  // Words must all match; "quoted text" matches as one phrase.
  const words = [...query.search.toLowerCase().matchAll(/"([^"]+)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  if (words.length) runs = runs.filter((run) => matchesSearch(run, words));
  if (query.sort.length) runs = sortRuns(runs, query.sort, read);
  let groups: { value: string | number | boolean | null; count: number }[] = [];
  if (query.groupBy) {
    const grouped = groupRuns(runs, query.groupBy, read);
    groups = grouped.map((g) => ({ value: cell(g.value), count: g.runs.length }));
    runs = grouped.flatMap((g) => g.runs);
  }
  const page = runs.slice(query.offset, query.offset + query.limit);
  const groupBy = query.groupBy;
  const rows = page.map((run): RunRow => ({
    id: run.id, name: run.name, experiment: run.experiment, status: run.status, startTime: run.startTime, endTime: run.endTime,
    values: query.columns.map((field) => cell(read(run, field))),
    ...(groupBy ? { group: cell(read(run, groupBy)) } : {}),
  }));
  return { total: runs.length, rows, groups };
}

/** Every key in use, sorted. Reads all summaries once: cache the result per store change. */
export function columnKeys(runs: readonly RunSummary[]): { params: string[]; metrics: string[]; tags: string[]; experiments: string[]; count: number } {
  const params = new Set<string>(), metrics = new Set<string>(), tags = new Set<string>(), experiments = new Set<string>();
  for (const run of runs) {
    for (const k of Object.keys(run.params)) params.add(k);
    for (const k of Object.keys(run.metrics)) metrics.add(k);
    for (const k of Object.keys(run.tags)) tags.add(k);
    experiments.add(run.experiment);
  }
  const sorted = (s: Set<string>) => [...s].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return { params: sorted(params), metrics: sorted(metrics), tags: sorted(tags), experiments: sorted(experiments), count: runs.length };
}

/** Per-key curves in step order; longer histories are thinned evenly to `maxPoints`, last kept. */
export function metricSeries(points: readonly MetricPoint[], maxPoints: number): MetricSeries[] {
  const byKey = new Map<string, MetricPoint[]>();
  for (const p of points) {
    let list = byKey.get(p.key);
    if (!list) byKey.set(p.key, (list = []));
    list.push(p);
  }
  const out: MetricSeries[] = [];
  for (const key of [...byKey.keys()].sort()) {
    const list = byKey.get(key)!.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
    const stride = Math.ceil(list.length / maxPoints);
    const kept = stride <= 1 ? list : list.filter((_, i) => i % stride === 0 || i === list.length - 1);
    out.push({ key, steps: kept.map((p) => p.step), values: kept.map((p) => finite(p.value)), thinned: stride > 1 });
  }
  return out;
}

function summaryRows(metrics: Record<string, MetricSummary>): MetricSummaryRow[] {
  return Object.entries(metrics)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, s]) => ({ key, last: finite(s.last), min: finite(s.min), max: finite(s.max), lastStep: s.lastStep, count: s.count }));
}

const MEDIA_TYPES: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml',
  json: 'application/json', csv: 'text/csv', txt: 'text/plain', log: 'text/plain', md: 'text/markdown', html: 'text/html', yaml: 'text/yaml', yml: 'text/yaml',
};

/** The media type of an artifact from its extension (`application/octet-stream` otherwise). */
export function mediaTypeOf(path: string): string {
  const ext = path.includes('.') ? path.slice(path.lastIndexOf('.') + 1).toLowerCase() : '';
  return MEDIA_TYPES[ext] ?? 'application/octet-stream';
}

/** The artifact to register when none is named: a `model` artifact, else an `.onnx` file. */
export function defaultModelArtifact(record: RunRecord): string {
  const found = record.artifacts.find((a) => a.kind === 'model') ?? record.artifacts.find((a) => a.path.toLowerCase().endsWith('.onnx'));
  if (!found) throw new UserInputError(`Run ${record.name} (${record.id}) has no model artifact to register. Log a model file (e.g. model.onnx) first.`);
  return found.path;
}

async function describeModel(registry: ModelRegistry, name: string): Promise<RegisteredModel> {
  const [versions, state] = await Promise.all([registry.listVersions(name), registry.getAliases(name)]);
  const aliases = Object.entries(state.aliases)
    .filter(([, history]) => history.length > 0)
    .map(([alias, history]) => ({ alias, version: history.at(-1)!.version, history }))
    .sort((a, b) => a.alias.localeCompare(b.alias));
  return { name, versions, aliases };
}

async function readLayouts(root: string): Promise<RunsLayout[]> {
  let text: string;
  try {
    text = await readFile(join(root, LAYOUTS_FILE), 'utf8');
  } catch {
    return [];
  }
  try {
    const raw = JSON.parse(text) as { layouts?: unknown[] };
    return (raw.layouts ?? []).flatMap((l) => {
      const parsed = RunsLayoutSchema.safeParse(l);
      return parsed.success ? [parsed.data] : [];
    });
  } catch {
    // A hand-broken layouts file only loses saved layouts, never the runs.
    return [];
  }
}

async function writeLayouts(root: string, layouts: RunsLayout[]): Promise<RunsLayout[]> {
  const path = join(root, LAYOUTS_FILE);
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify({ format: 1, layouts }, null, 2)}\n`);
  return layouts;
}

async function runDetail(store: RunStore, id: RunId, maxPoints: number) {
  const record = await store.getRun(id);
  const points = await store.readMetrics(id);
  return { record, metrics: summaryRows(store.getSummary(id)?.metrics ?? {}), series: metricSeries(points, maxPoints) };
}

/** The run tracker: the methods of `methods/runs.ts`. */
export function runsHandlers(backend: Backend): DomainHandlers<typeof runsMethods> {
  const open = () => runsResource(backend);
  let keysCache: { store: RunStore; version: number; keys: ReturnType<typeof columnKeys> } | undefined;
  const each = async (ids: readonly string[], work: (id: RunId, r: RunsResource) => Promise<void>) => {
    const r = await open();
    let done = 0;
    try {
      for (const id of ids) {
        await work(asId<RunId>(id), r);
        done++;
      }
    } finally {
      r.changed(ids);
    }
    return done;
  };
  return {
    'runs.list': async (query) => listRuns((await open()).store, query),
    'runs.columns': async () => {
      const { store, version } = await open();
      if (keysCache?.store !== store || keysCache.version !== version) keysCache = { store, version, keys: columnKeys(store.listRuns()) };
      return keysCache.keys;
    },
    'runs.get': async ({ id, maxPoints }) => runDetail((await open()).store, asId<RunId>(id), maxPoints),
    'runs.compare': async ({ ids, maxPoints }, { signal }) => {
      const { store } = await open();
      const runs = [];
      for (const id of ids) {
        throwIfAborted(signal);
        runs.push(await runDetail(store, asId<RunId>(id), maxPoints));
      }
      const paramDiff = diffParams(runs.map((r) => r.record)).map((row) => ({ key: row.key, values: row.values.map((v: ParamValue | undefined) => v ?? null) }));
      const metricKeys = [...new Set(runs.flatMap((r) => r.metrics.map((m) => m.key)))].sort();
      return { runs, paramDiff, metricKeys };
    },
    'runs.artifact': async ({ id, path }) => {
      const { store } = await open();
      return { bytes: new Uint8Array(await store.readArtifact(asId<RunId>(id), path)), mediaType: mediaTypeOf(path) };
    },
    'runs.delete': async ({ ids }) => ({ deleted: await each(ids, (id, r) => r.store.deleteRun(id)) }),
    'runs.restore': async ({ ids }) => ({ restored: await each(ids, (id, r) => r.store.restoreRun(id)) }),
    'runs.purge': async ({ ids }) => ({ purged: await each(ids, (id, r) => r.store.purgeRun(id)) }),
    'runs.trash': async () => ({ runs: (await (await open()).store.listTrash()).map((r) => ({ id: r.id, name: r.name, experiment: r.experiment, startTime: r.startTime })).sort((a, b) => b.startTime - a.startTime) }),
    'runs.registerModel': async ({ runId, name, artifactPath, alias, description }) => {
      const r = await open();
      const id = asId<RunId>(runId);
      const record = await r.store.getRun(id);
      const version: ModelVersion = await r.registry.registerModel({ name, runId: id, artifactPath: artifactPath ?? defaultModelArtifact(record), ...(description !== undefined ? { description } : {}) });
      if (alias) await r.registry.setAlias(name, alias, version.version);
      r.changed([runId]);
      return { version, model: await describeModel(r.registry, name) };
    },
    'runs.setAlias': async ({ name, alias, version: v }) => {
      const r = await open();
      await r.registry.setAlias(name, alias, v);
      return describeModel(r.registry, name);
    },
    'runs.rollbackAlias': async ({ name, alias }) => {
      const r = await open();
      await r.registry.rollbackAlias(name, alias);
      return describeModel(r.registry, name);
    },
    'runs.registry': async () => {
      const r = await open();
      return { models: await Promise.all((await r.registry.listModels()).map((name) => describeModel(r.registry, name))) };
    },
    'runs.layouts': async () => ({ layouts: await readLayouts(backend.requireWorkspace().root) }),
    'runs.saveLayout': async (layout) => {
      const root = backend.requireWorkspace().root;
      const layouts = (await readLayouts(root)).filter((l) => l.name !== layout.name);
      return { layouts: await writeLayouts(root, [...layouts, layout].sort((a, b) => a.name.localeCompare(b.name))) };
    },
    'runs.deleteLayout': async ({ name }) => {
      const root = backend.requireWorkspace().root;
      return { layouts: await writeLayouts(root, (await readLayouts(root)).filter((l) => l.name !== name)) };
    },
  };
}
