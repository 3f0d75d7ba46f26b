import { randomUUID } from 'node:crypto';
import { explainRowOf } from '../pipeline/explain-row';
import { UserInputError } from '../../../app/base/errors';
import { asId, type RunId } from '../../../app/base/ids';
import { tableToIpc } from '../../../app/data/ipc';
import type { PipelineDoc } from '../../../app/pipeline/document';
import { columnTableToArrow } from '../../../app/pipeline/run/columns';
import { createOutputCache, type Execution, type OutputCache } from '../../../app/pipeline/run/execute';
import type { CrossValidationSummary } from '../../../app/pipeline/run/cross-validate-node';
import type { NodeStatus, NodeValue, RunEvent } from '../../../app/pipeline/run/types';
import { parsePipeline } from '../../../app/pipeline/serialize';
import type { PipelineOutput, pipelineMethods } from '../../../app/protocol/methods/pipeline';
import type { DomainHandlers } from '../../../app/protocol/spec';
import type { Backend, WorkspaceResource } from '../backend';
import { createSqlDescriber } from '../pipeline/describe-sql';
import { createOnnxScorer } from '../pipeline/onnx-scorer';
import { rerunRun, trainPipeline, type PipelineHost } from '../pipeline/runner';
import { createTrainPool, type TrainPool } from '../pipeline/worker-pool';
import { workspaceDatabase } from './data-service';
import { runsResource } from './runs-service';

/** Per-pipeline state: the output cache, the last execution and the one running now. */
interface PipelineSession {
  cache: OutputCache;
  last?: { doc: PipelineDoc; execution: Execution };
  statuses: NodeStatus[];
  running?: { executionId: string; controller: AbortController };
}

/** Training workers, the scorer and the sessions of the open workspace's pipelines. */
class Pipelines implements WorkspaceResource {
  readonly pool: TrainPool = createTrainPool(2);
  readonly score = createOnnxScorer();
  readonly describeSql = createSqlDescriber();
  /** Set by `pipelines()`: stops listening for dataset changes. */
  unsubscribe: () => void = () => undefined;
  readonly sessions = new Map<string, PipelineSession>();

  session(path: string): PipelineSession {
    let s = this.sessions.get(path);
    if (!s) { s = { cache: createOutputCache(64), statuses: [] }; this.sessions.set(path, s); }
    return s;
  }

  async close(): Promise<void> {
    this.unsubscribe();
    for (const s of this.sessions.values()) s.running?.controller.abort();
    await this.pool.close();
  }
}

function pipelines(backend: Backend): Promise<Pipelines> {
  return backend.resource('pipelines', async () => {
    const p = new Pipelines();
    // A re-imported dataset may have new columns: SQL over it is described afresh.
    p.unsubscribe = backend.events.subscribe((event) => { if (event === 'data.catalogChanged') p.describeSql.forget(); });
    return p;
  });
}

async function host(backend: Backend, p: Pipelines): Promise<PipelineHost> {
  const { engine } = await workspaceDatabase(backend);
  return { root: backend.requireWorkspace().root, engine, fitModel: p.pool.fit, score: p.score, concurrency: 2, version: backend.options.version };
}

function finiteMetrics(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([, v]) => Number.isFinite(v)));
}

/** NaN (e.g. R² of a one-row fold) does not survive JSON: such metrics are left out of the preview. */
function finiteFolds(cv: CrossValidationSummary): CrossValidationSummary {
  return { ...cv, folds: cv.folds.map((f) => ({ ...f, metrics: finiteMetrics(f.metrics) })), mean: finiteMetrics(cv.mean), std: finiteMetrics(cv.std) };
}

function preview(kind: 'table' | 'predictions', port: string, table: { rows: number; columns: { name: string; type: 'number' | 'string' }[] }, full: Parameters<typeof columnTableToArrow>[0], limit: number): PipelineOutput {
  return { kind, port, rows: table.rows, columns: table.columns.map((c) => ({ name: c.name, type: c.type })), ipc: tableToIpc(columnTableToArrow(full, limit)) };
}

/** A node output as the canvas shows it (JSON-safe; tables as Arrow IPC of the first `limit` rows). */
export function outputPreview(port: string, value: NodeValue, limit: number): PipelineOutput {
  switch (value.type) {
    case 'table': return preview('table', port, value.table, value.table, limit);
    case 'predictions': return preview('predictions', port, value.table, value.table, limit);
    case 'model': return { kind: 'model', port, summary: { ...value.summary }, history: value.history };
    case 'metrics': return { kind: 'metrics', port, evaluation: { ...value.evaluation, metrics: finiteMetrics(value.evaluation.metrics) }, ...(value.sweep ? { sweep: value.sweep } : {}), ...(value.crossValidation ? { crossValidation: finiteFolds(value.crossValidation) } : {}) };
    case 'explanations': return { kind: 'explanations', port, explanations: { ...value.explanations } };
  }
}

function forward(backend: Backend, path: string, executionId: string, session: PipelineSession): (event: RunEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'node':
        session.statuses = [...session.statuses.filter((s) => s.nodeId !== event.status.nodeId), event.status];
        backend.events.emit('pipeline.nodeStatus', { path, executionId, status: event.status });
        return;
      case 'progress':
        backend.events.emit('pipeline.nodeProgress', { path, executionId, nodeId: event.nodeId, ...event.progress, ...(event.step ? { step: event.step } : {}) });
        return;
      case 'trial':
        backend.events.emit('pipeline.trialFinished', { path, executionId, nodeId: event.nodeId, index: event.index, total: event.total, metric: event.metric, overrides: event.overrides, ...(event.runId ? { runId: event.runId } : {}), ...(event.error ? { error: event.error } : {}) });
        return;
    }
  };
}

/** Pipelines: run with caching and per-node events, cancel, status, node outputs, rerun checks. */
export function pipelineHandlers(backend: Backend): DomainHandlers<typeof pipelineMethods> {
  return {
    'pipeline.run': async ({ path, text, target, set, track }, { signal }) => {
      const p = await pipelines(backend);
      const session = p.session(path);
      if (session.running) throw new UserInputError(`${path} is already running; cancel it first.`);
      const doc = parsePipeline(text ?? (await backend.requireWorkspace().readText(path)).text);
      const executionId = randomUUID();
      const controller = new AbortController();
      const onAbort = () => controller.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      session.running = { executionId, controller };
      session.statuses = [];
      const runs = (track ?? target.mode === 'all') ? await runsResource(backend) : undefined;
      try {
        const result = await trainPipeline(await host(backend, p), { doc, path, target, overrides: set, cache: session.cache, signal: controller.signal, onEvent: forward(backend, path, executionId, session), ...(runs ? { store: runs.store } : {}) });
        session.last = { doc: result.doc, execution: result.execution };
        if (runs && result.runId) runs.changed([result.runId]);
        const failedNode = result.execution.failed?.nodeId ?? null;
        backend.events.emit('pipeline.runFinished', { path, executionId, runId: result.runId ?? null, cancelled: result.execution.cancelled, failedNode });
        return { executionId, runId: result.runId ?? null, statuses: result.execution.statuses, executed: result.execution.executed, metrics: finiteMetrics(result.metrics), cancelled: result.execution.cancelled, failedNode };
      } finally {
        signal.removeEventListener('abort', onAbort);
        session.running = undefined;
      }
    },
    'pipeline.cancel': async ({ path }) => {
      const running = (await pipelines(backend)).sessions.get(path)?.running;
      running?.controller.abort();
      return { cancelled: running !== undefined };
    },
    'pipeline.status': async ({ path }) => {
      const session = (await pipelines(backend)).sessions.get(path);
      return { running: session?.running !== undefined, executionId: session?.running?.executionId ?? null, statuses: session?.statuses ?? [] };
    },
    'pipeline.output': async ({ path, nodeId, port, limit }) => {
      const last = (await pipelines(backend)).sessions.get(path)?.last;
      const outputs = last?.execution.outputs.get(nodeId);
      if (!outputs) return { kind: 'none', reason: last ? 'This node did not run in the last execution.' : 'Run the pipeline to see outputs.' };
      const name = port ?? Object.keys(outputs)[0];
      const value = name === undefined ? undefined : outputs[name];
      if (!value || name === undefined) return { kind: 'none', reason: port ? `This node has no output "${port}".` : 'This node has no output.' };
      return outputPreview(name, value, limit);
    },
    'pipeline.explainRow': async ({ path, nodeId, values }, { signal }) => {
      const last = (await pipelines(backend)).sessions.get(path)?.last;
      if (!last) throw new UserInputError('Run the pipeline first.');
      return explainRowOf(last.doc, last.execution.outputs, nodeId, values, { score: (await pipelines(backend)).score, signal });
    },
    'pipeline.describeSql': async ({ sql }, { signal }) => {
      const { engine } = await workspaceDatabase(backend);
      return { columns: await (await pipelines(backend)).describeSql(engine, sql, signal) };
    },
    'pipeline.rerun': async ({ runId }, { signal }) => {
      const p = await pipelines(backend);
      const runs = await runsResource(backend);
      return rerunRun(await host(backend, p), runs.store, asId<RunId>(runId), signal);
    },
  };
}
