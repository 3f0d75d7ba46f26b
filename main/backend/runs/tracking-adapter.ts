import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic';
import { VajraError } from '../../../app/base/errors';
import type { TrackingExperiment, TrackingStore } from '../../../app/tracking/tracking-store';
import { isMissing } from './metrics-log';
import type { RunStore } from './run-store';

/**
 * The workspace run store as a `TrackingStore`, so the MLflow REST handlers of app/tracking
 * serve it. Vajra names experiments; MLflow numbers them: the numbering lives in
 * `runs/experiments.json` (ids given in order of first sight, "0" = Default), written atomically.
 */
export async function createDiskTrackingStore(store: RunStore, clock = { now: () => Date.now() }): Promise<TrackingStore> {
  const path = join(store.root, 'experiments.json');
  let experiments: TrackingExperiment[];
  try {
    experiments = (JSON.parse(await readFile(path, 'utf8')) as { experiments: TrackingExperiment[] }).experiments;
  } catch (error) {
    if (!isMissing(error)) throw error;
    experiments = [];
  }
  if (!experiments.some((e) => e.id === '0')) experiments.unshift({ id: '0', name: 'Default', artifactLocation: `${store.root}/artifacts/0`, lifecycleStage: 'active', creationTime: 0, lastUpdateTime: 0, tags: {} });

  async function add(name: string, artifactLocation: string | undefined, tags: Record<string, string>, creationTime: number): Promise<TrackingExperiment> {
    const id = String(Math.max(0, ...experiments.map((e) => Number(e.id) || 0)) + 1);
    const experiment: TrackingExperiment = { id, name, artifactLocation: artifactLocation ?? `vajra:/experiments/${id}`, lifecycleStage: 'active', creationTime, lastUpdateTime: creationTime, tags };
    experiments.push(experiment);
    await writeFileAtomic(path, `${JSON.stringify({ experiments }, null, 2)}\n`);
    return experiment;
  }

  return {
    async listExperiments() {
      // Runs made by Vajra name experiments that MLflow has not numbered yet: number them now.
      const names = new Set(experiments.map((e) => e.name));
      for (const run of store.listRuns()) {
        if (!names.has(run.experiment)) {
          names.add(run.experiment);
          await add(run.experiment, undefined, {}, run.startTime);
        }
      }
      return experiments.map((e) => ({ ...e, tags: { ...e.tags } }));
    },
    async createExperiment(name, artifactLocation, tags = {}) {
      if (experiments.some((e) => e.name === name)) throw new VajraError('already_exists', `Experiment '${name}' already exists.`);
      return add(name, artifactLocation, tags, clock.now());
    },
    createRun: (input) => store.createRun(input),
    getRun: async (id) => (store.getSummary(id) !== undefined ? store.getRun(id) : undefined),
    getSummary: async (id) => store.getSummary(id),
    listRuns: async () => store.listRuns(),
    logMetrics: (id, points) => store.logMetrics(id, points),
    async logParams(id, params) {
      await store.logParams(id, params);
    },
    async setTags(id, tags) {
      await store.setTags(id, tags);
    },
    updateRun: (id, patch) => store.updateRun(id, patch),
    deleteRun: (id) => store.deleteRun(id),
  };
}
