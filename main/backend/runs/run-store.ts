import { createHash, randomInt } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { appendDurable, writeFileAtomic } from '../fs/atomic';
import type { Clock } from '../../../app/base/clock';
import { UserInputError, VajraError } from '../../../app/base/errors';
import type { RunId } from '../../../app/base/ids';
import { createRng, type Rng } from '../../../app/base/rng';
import { artifactSchema, createRunRecord, type Artifact, type ArtifactKind, type MetricPoint, type NewRunInput, type ParamValue, type RunBundle, type RunRecord, type RunStatus, type RunSummary } from '../../../app/tracking/run-model';
import { filterRuns, sortRuns, type FieldReader, type FilterClause, type SortKey } from '../../../app/tracking/run-query';
import { foldMetrics, toRunSummary } from '../../../app/tracking/run-summary';
import { encodeMetricLines, readMetricsFile } from './metrics-log';
import { ARTIFACTS_DIR, loadFolderSummary, METRICS_FILE, readRecord, writeRecord, writeSummaryFile } from './run-folder';
import { appendJournal, compactIndex, loadIndex, type JournalEntry } from './run-index';
import { reconcileIndex } from './run-recovery';

/** Options of `openRunStore`; the defaults are the real clock, host and process table. */
export interface RunStoreOptions {
  clock?: Clock;
  rng?: Rng;
  /** Decides whether a run's writer process still lives (default: `process.kill(pid, 0)`). */
  isWriterAlive?: (writer: { pid: number; host: string }) => boolean;
}

/** Changes to a record that `updateRun` accepts. */
export interface RunPatch {
  name?: string;
  status?: RunStatus;
  endTime?: number | null;
  lineage?: RunRecord['lineage'];
  repro?: RunRecord['repro'];
}

/** The on-disk run store of one workspace (`<workspace>/runs/`). One writer process at a time. */
export interface RunStore {
  readonly root: string;
  /** Runs found `running` with a dead writer when the store opened, now marked `killed`. */
  readonly recovered: readonly RunId[];
  createRun(input: NewRunInput): Promise<RunRecord>;
  /** Writes a whole run (e.g. imported from MLflow) as a new run folder. */
  importRun(bundle: RunBundle): Promise<RunRecord>;
  /** Appends metric points; resolves once they are fsynced (acknowledged = survives kill -9). */
  logMetrics(id: RunId, points: readonly MetricPoint[]): Promise<void>;
  /** Adds params; re-logging a key with another value (compared as text) is an error, as in MLflow. */
  logParams(id: RunId, params: Record<string, ParamValue>): Promise<RunRecord>;
  setTags(id: RunId, tags: Record<string, string>): Promise<RunRecord>;
  updateRun(id: RunId, patch: RunPatch): Promise<RunRecord>;
  finishRun(id: RunId, status: Exclude<RunStatus, 'running'>): Promise<RunRecord>;
  addArtifact(id: RunId, path: string, bytes: Uint8Array | string, kind: ArtifactKind): Promise<Artifact>;
  readArtifact(id: RunId, path: string): Promise<Buffer>;
  getRun(id: RunId): Promise<RunRecord>;
  readMetrics(id: RunId): Promise<MetricPoint[]>;
  getBundle(id: RunId, withArtifacts: boolean): Promise<RunBundle>;
  /** All live runs, newest first; summaries are immutable snapshots. */
  listRuns(): RunSummary[];
  /** Reads run fields; fast for metrics (pass it to app/tracking's sortRuns/filterRuns/groupRuns). */
  readonly readField: FieldReader;
  /** Live runs filtered (AND) then sorted; newest first when no sort is given. */
  queryRuns(query: { filter?: readonly FilterClause[]; sort?: readonly SortKey[] }): RunSummary[];
  getSummary(id: RunId): RunSummary | undefined;
  /** Moves the run folder to `runs/.trash/`. */
  deleteRun(id: RunId): Promise<void>;
  restoreRun(id: RunId): Promise<void>;
  listTrash(): Promise<RunRecord[]>;
  /** Removes a run folder for good, live or trashed. */
  purgeRun(id: RunId): Promise<void>;
  /** Flushes summaries and compacts the index. */
  close(): Promise<void>;
}

function defaultIsWriterAlive(writer: { pid: number; host: string }): boolean {
  // Another machine's process table is out of reach: never kill what we cannot see.
  if (writer.host !== hostname()) return true;
  try {
    process.kill(writer.pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

function notFound(id: string): VajraError {
  return new VajraError('not_found', `Run ${id} does not exist`, { runId: id });
}

function checkPoints(points: readonly MetricPoint[]): void {
  for (const p of points) {
    if (typeof p.key !== 'string' || p.key === '' || typeof p.value !== 'number' || !Number.isInteger(p.step) || !Number.isInteger(p.timestamp)) {
      throw new UserInputError(`Invalid metric point ${JSON.stringify(p)}`);
    }
  }
}

function safeArtifactPath(path: string): string {
  return artifactSchema.shape.path.parse(path.replaceAll('\\', '/'));
}

/** Opens (creating if needed) the run store, recovering runs orphaned by a crash. */
export async function openRunStore(workspace: string, options: RunStoreOptions = {}): Promise<RunStore> {
  const root = join(workspace, 'runs');
  const trash = join(root, '.trash');
  await mkdir(trash, { recursive: true });
  const clock = options.clock ?? { now: () => Date.now() };
  const rng = options.rng ?? createRng(randomInt(2 ** 31));
  const isWriterAlive = options.isWriterAlive ?? defaultIsWriterAlive;
  const loaded = await loadIndex(root);
  const { runs, recovered, changed } = await reconcileIndex(root, loaded, { isWriterAlive });
  const records = new Map<string, RunRecord>();
  const metricsBytes = new Map<string, number>();
  const staleSummaries = new Set<string>();
  const markedDirty = new Set<string>();
  const queues = new Map<string, Promise<unknown>>();
  let journalDirty = changed > 0;
  const dirOf = (id: string) => join(root, id);

  function serial<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = queues.get(id) ?? Promise.resolve();
    const next = previous.then(work, work);
    queues.set(id, next.catch(() => undefined));
    return next;
  }

  async function record(id: string): Promise<RunRecord> {
    const cached = records.get(id);
    if (cached) return cached;
    if (!runs.has(id)) throw notFound(id);
    const read = await readRecord(dirOf(id));
    if (!read) throw notFound(id);
    records.set(id, read);
    return read;
  }

  async function journal(entries: JournalEntry[]): Promise<void> {
    await appendJournal(root, entries);
    journalDirty = true;
  }

  /** Writes run.json between a `dirty` mark and the new summary line (crash-detectable). */
  async function saveRecord(next: RunRecord): Promise<RunRecord> {
    await journal([{ dirty: next.id }]);
    await writeRecord(dirOf(next.id), next);
    records.set(next.id, next);
    const summary = toRunSummary(next, runs.get(next.id)?.metrics ?? {});
    runs.set(next.id, summary);
    await journal([{ run: summary }]);
    return next;
  }

  async function flushSummary(id: string): Promise<void> {
    if (!staleSummaries.has(id)) return;
    const summary = runs.get(id);
    const bytes = metricsBytes.get(id);
    if (summary && bytes !== undefined) await writeSummaryFile(dirOf(id), summary.metrics, bytes);
    staleSummaries.delete(id);
  }

  const store: RunStore = {
    root,
    recovered,
    async createRun(input) {
      const next = createRunRecord({ ...input, writer: input.writer ?? { pid: process.pid, host: hostname() } }, clock, rng);
      await mkdir(join(dirOf(next.id), ARTIFACTS_DIR), { recursive: true });
      metricsBytes.set(next.id, 0);
      return saveRecord(next);
    },
    async importRun(bundle) {
      const id = bundle.record.id;
      if (runs.has(id)) throw new UserInputError(`Run ${id} already exists`);
      const dir = dirOf(id);
      await mkdir(join(dir, ARTIFACTS_DIR), { recursive: true });
      for (const [path, bytes] of bundle.artifacts ?? []) await writeFileAtomic(join(dir, ARTIFACTS_DIR, safeArtifactPath(path)), bytes);
      const text = encodeMetricLines(bundle.metrics);
      if (text) await appendDurable(join(dir, METRICS_FILE), text);
      const summaries = {};
      foldMetrics(summaries, bundle.metrics);
      await writeSummaryFile(dir, summaries, Buffer.byteLength(text));
      runs.set(id, toRunSummary(bundle.record, summaries));
      return saveRecord(bundle.record);
    },
    logMetrics(id, points) {
      return serial(id, async () => {
        checkPoints(points);
        const current = runs.get(id);
        if (!current) throw notFound(id);
        if (current.status !== 'running' && !markedDirty.has(id)) {
          // A finished run's index entry is not revalidated on open unless marked.
          await journal([{ dirty: id }]);
          markedDirty.add(id);
        }
        if (!metricsBytes.has(id)) metricsBytes.set(id, (await loadFolderSummary(dirOf(id), true)).metricsBytes);
        const text = encodeMetricLines(points);
        await appendDurable(join(dirOf(id), METRICS_FILE), text);
        metricsBytes.set(id, metricsBytes.get(id)! + Buffer.byteLength(text));
        const metrics = { ...current.metrics };
        for (const key of new Set(points.map((p) => p.key))) if (metrics[key]) metrics[key] = { ...metrics[key] };
        foldMetrics(metrics, points);
        runs.set(id, { ...runs.get(id)!, metrics });
        staleSummaries.add(id);
      });
    },
    logParams(id, params) {
      return serial(id, async () => {
        const current = await record(id);
        const added: Record<string, ParamValue> = {};
        for (const [key, value] of Object.entries(params)) {
          if (!Object.hasOwn(current.params, key)) added[key] = value;
          // MLflow compares params as strings: re-logging 0.1 as '0.1' is the same value.
          else if (String(current.params[key]) !== String(value)) {
            throw new UserInputError(`Param ${key} was already logged as ${String(current.params[key])}; params cannot change`, { key });
          }
        }
        if (Object.keys(added).length === 0) return current;
        return saveRecord({ ...current, params: { ...current.params, ...added } });
      });
    },
    setTags(id, tags) {
      return serial(id, async () => {
        const current = await record(id);
        return saveRecord({ ...current, tags: { ...current.tags, ...tags } });
      });
    },
    updateRun(id, patch) {
      return serial(id, async () => {
        const current = await record(id);
        const next: RunRecord = { ...current, ...patch };
        if (patch.status && patch.status !== 'running' && patch.endTime === undefined && current.endTime === null) next.endTime = clock.now();
        if (next.status !== 'running') delete next.writer;
        const saved = await saveRecord(next);
        if (next.status !== 'running') await flushSummary(id);
        return saved;
      });
    },
    finishRun(id, status) {
      return store.updateRun(id, { status, endTime: clock.now() });
    },
    addArtifact(id, path, bytes, kind) {
      return serial(id, async () => {
        const current = await record(id);
        const clean = safeArtifactPath(path);
        const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
        await writeFileAtomic(join(dirOf(id), ARTIFACTS_DIR, clean), data);
        const artifact: Artifact = { path: clean, size: data.byteLength, sha256: createHash('sha256').update(data).digest('hex'), kind };
        await saveRecord({ ...current, artifacts: [...current.artifacts.filter((a) => a.path !== clean), artifact] });
        return artifact;
      });
    },
    async readArtifact(id, path) {
      await record(id);
      return readFile(join(dirOf(id), ARTIFACTS_DIR, safeArtifactPath(path)));
    },
    getRun: (id) => record(id),
    async readMetrics(id) {
      await record(id);
      return (await readMetricsFile(join(dirOf(id), METRICS_FILE))).points;
    },
    async getBundle(id, withArtifacts) {
      const rec = await record(id);
      const metrics = await store.readMetrics(id);
      if (!withArtifacts) return { record: rec, metrics };
      const artifacts = new Map<string, Uint8Array>();
      for (const a of rec.artifacts) artifacts.set(a.path, await store.readArtifact(id, a.path));
      return { record: rec, metrics, artifacts };
    },
    listRuns() {
      return [...runs.values()].sort((a, b) => b.startTime - a.startTime || (a.id < b.id ? 1 : -1));
    },
    readField: loaded.readField,
    queryRuns(query) {
      const filtered = query.filter?.length ? filterRuns(store.listRuns(), query.filter, loaded.readField) : store.listRuns();
      return query.sort?.length ? sortRuns(filtered, query.sort, loaded.readField) : filtered;
    },
    getSummary: (id) => runs.get(id),
    deleteRun(id) {
      return serial(id, async () => {
        await record(id);
        await flushSummary(id);
        await rm(join(trash, id), { recursive: true, force: true });
        await rename(dirOf(id), join(trash, id));
        runs.delete(id);
        records.delete(id);
        await journal([{ gone: id }]);
      });
    },
    restoreRun(id) {
      return serial(id, async () => {
        if (runs.has(id)) throw new UserInputError(`Run ${id} is not in the trash`);
        const rec = await readRecord(join(trash, id));
        if (!rec) throw notFound(id);
        await rename(join(trash, id), dirOf(id));
        const { metrics } = await loadFolderSummary(dirOf(id), true);
        runs.set(id, toRunSummary(rec, metrics));
        await journal([{ run: runs.get(id)! }]);
      });
    },
    async listTrash() {
      const names = await readdir(trash);
      const out: RunRecord[] = [];
      for (const name of names) {
        const rec = await readRecord(join(trash, name)).catch(() => undefined);
        if (rec) out.push(rec);
      }
      return out;
    },
    purgeRun(id) {
      return serial(id, async () => {
        const live = runs.has(id);
        await rm(live ? dirOf(id) : join(trash, id), { recursive: true, force: true });
        if (live) {
          runs.delete(id);
          records.delete(id);
          await journal([{ gone: id }]);
        }
      });
    },
    async close() {
      await Promise.all([...queues.values()]);
      for (const id of [...staleSummaries]) if (runs.has(id)) await flushSummary(id);
      if (journalDirty) await compactIndex(root, runs.values(), loaded.columns);
      journalDirty = false;
    },
  };
  if (changed > 0 || loaded.journalLines > 1000) {
    await compactIndex(root, runs.values(), loaded.columns);
    journalDirty = false;
  }
  return store;
}
