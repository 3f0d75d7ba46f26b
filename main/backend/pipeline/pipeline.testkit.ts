import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../../../app/data/engine';
import type { PipelineDoc } from '../../../app/pipeline/document';
import { parsePipeline } from '../../../app/pipeline/serialize';
import { NativeDatabase } from '../data/native-engine';
import { openRunStore, type RunStore } from '../runs/run-store';
import { registerDataViews } from './data-views';
import { createOnnxScorer } from './onnx-scorer';
import type { PipelineHost } from './runner';
import { createTrainPool, type TrainPool } from './worker-pool';

/** The example workspace with the adult and wine data and their pipelines. */
export const TABULAR_EXAMPLE = new URL('../../../examples/tabular/', import.meta.url);

/** A real host over a temporary copy of examples/tabular: in-memory DuckDB, worker pool, run store. */
export interface TestHost extends PipelineHost {
  engine: Engine;
  pool: TrainPool;
  store: RunStore;
  pipeline(name: string): Promise<PipelineDoc>;
  close(): Promise<void>;
}

/** Opens a TestHost; `close()` removes the folder. Everything is real (no test doubles). */
export async function openTestHost(): Promise<TestHost> {
  const root = await mkdtemp(join(tmpdir(), 'vajra-pipeline-'));
  await cp(TABULAR_EXAMPLE, root, { recursive: true });
  const db = await NativeDatabase.open(':memory:', { file_search_path: root });
  const engine = await db.connect();
  await registerDataViews(engine, root);
  const pool = createTrainPool(2);
  const store = await openRunStore(root);
  return {
    root, engine, pool, store, fitModel: pool.fit, score: createOnnxScorer(), concurrency: 2, version: 'test',
    pipeline: async (name) => parsePipeline(await readFile(join(root, name), 'utf8')),
    async close() {
      await store.close();
      await pool.close();
      await engine.close();
      db.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Overrides that make the adult pipeline fast: its first 6,000 rows and 15 boosting rounds. */
export const FAST_ADULT = { 'source.from': 'sql', 'source.sql': 'SELECT * FROM adult LIMIT 6000', 'gbdt.maxIter': 15 } as const;
