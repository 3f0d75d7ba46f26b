import type { Clock } from '../base/clock';
import { UserInputError, VajraError } from '../base/errors';
import type { RunId } from '../base/ids';
import type { Rng } from '../base/rng';
import { createRunRecord, type MetricPoint, type NewRunInput, type ParamValue, type RunRecord, type RunStatus, type RunSummary } from './run-model';
import { foldMetrics, toRunSummary } from './run-summary';

/** An MLflow experiment as the tracking API sees it. Times in ms since epoch. */
export interface TrackingExperiment {
  id: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: 'active' | 'deleted';
  creationTime: number;
  lastUpdateTime: number;
  tags: Record<string, string>;
}

/**
 * What the MLflow REST handlers need from a run store. Implemented in memory below (tests,
 * backend-less use) and over the workspace's disk store in main/backend/runs. Failures use
 * VajraError codes: `not_found` for a missing run, `bad_input` (UserInputError) for a rejected
 * value such as changing a logged param.
 */
export interface TrackingStore {
  listExperiments(): Promise<TrackingExperiment[]>;
  createExperiment(name: string, artifactLocation?: string, tags?: Record<string, string>): Promise<TrackingExperiment>;
  createRun(input: NewRunInput): Promise<RunRecord>;
  getRun(id: RunId): Promise<RunRecord | undefined>;
  getSummary(id: RunId): Promise<RunSummary | undefined>;
  listRuns(): Promise<RunSummary[]>;
  logMetrics(id: RunId, points: readonly MetricPoint[]): Promise<void>;
  logParams(id: RunId, params: Record<string, ParamValue>): Promise<void>;
  setTags(id: RunId, tags: Record<string, string>): Promise<void>;
  updateRun(id: RunId, patch: TrackingRunPatch): Promise<RunRecord>;
  deleteRun(id: RunId): Promise<void>;
}

/** Record fields the tracking API may change. */
export interface TrackingRunPatch {
  name?: string;
  status?: RunStatus;
  endTime?: number | null;
  repro?: RunRecord['repro'];
  lineage?: RunRecord['lineage'];
}

/** A run was not found (REST: RESOURCE_DOES_NOT_EXIST). */
export function runNotFound(id: string): VajraError {
  return new VajraError('not_found', `Run '${id}' not found`, { runId: id });
}

/** A complete in-memory `TrackingStore`. Experiment ids count up from 1 ("0" is Default). */
export function createMemoryTrackingStore(clock: Clock, rng: Rng): TrackingStore {
  const experiments: TrackingExperiment[] = [{ id: '0', name: 'Default', artifactLocation: 'memory:/0', lifecycleStage: 'active', creationTime: 0, lastUpdateTime: 0, tags: {} }];
  const runs = new Map<string, { record: RunRecord; metrics: Record<string, RunSummary['metrics'][string]> }>();
  const entry = (id: string) => {
    const found = runs.get(id);
    if (!found) throw runNotFound(id);
    return found;
  };
  return {
    listExperiments: async () => experiments.map((e) => ({ ...e, tags: { ...e.tags } })),
    async createExperiment(name, artifactLocation, tags = {}) {
      if (experiments.some((e) => e.name === name)) throw new VajraError('already_exists', `Experiment '${name}' already exists.`);
      const id = String(experiments.length);
      const now = clock.now();
      const experiment: TrackingExperiment = { id, name, artifactLocation: artifactLocation ?? `memory:/${id}`, lifecycleStage: 'active', creationTime: now, lastUpdateTime: now, tags };
      experiments.push(experiment);
      return experiment;
    },
    async createRun(input) {
      const record = createRunRecord(input, clock, rng);
      runs.set(record.id, { record, metrics: {} });
      return record;
    },
    getRun: async (id) => runs.get(id)?.record,
    async getSummary(id) {
      const found = runs.get(id);
      return found && toRunSummary(found.record, found.metrics);
    },
    listRuns: async () => [...runs.values()].map((r) => toRunSummary(r.record, r.metrics)),
    async logMetrics(id, points) {
      foldMetrics(entry(id).metrics, points);
    },
    async logParams(id, params) {
      const found = entry(id);
      for (const [key, value] of Object.entries(params)) {
        if (Object.hasOwn(found.record.params, key) && String(found.record.params[key]) !== String(value)) {
          throw new UserInputError(`Changing param values is not allowed. Param with key='${key}' was already logged with value='${String(found.record.params[key])}'`);
        }
      }
      found.record = { ...found.record, params: { ...found.record.params, ...params } };
    },
    async setTags(id, tags) {
      const found = entry(id);
      found.record = { ...found.record, tags: { ...found.record.tags, ...tags } };
    },
    async updateRun(id, patch) {
      const found = entry(id);
      found.record = { ...found.record, ...patch };
      return found.record;
    },
    async deleteRun(id) {
      entry(id);
      runs.delete(id);
    },
  };
}
