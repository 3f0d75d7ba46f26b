import { assertNever } from '../../base/assert';
import { CancelledError, toErrorData } from '../../base/errors';
import type { ErrorData } from '../../base/errors';
import type { PipelineDoc, PipelineNode } from '../document';
import { validateGraph } from '../validate';
import { runPreprocess, runModel, runImportedOnnx } from './nodes-model';
import { loadSource, runSplit, runWindowFeatures, sourceFingerprint } from './nodes-data';
import { runValidateNode } from './validate-node';
import { runEvaluate } from './nodes-evaluate';
import { runExplain } from './explain-node';
import { runCrossValidate } from './cross-validate-node';
import { inputsOf, nodeKey, planNodes } from './plan';
import type { RunTarget } from './plan';
import { runSweep } from './sweep';
import { isTrainableKind } from './train';
import type { NodeOutputs, NodeStatus, NodeValue, RunEnv } from './types';

/**
 * Outputs of earlier executions by content key, shared across runs of one pipeline (and across the
 * trials of a sweep). `pending` dedupes work in flight: two trials needing the same split wait for
 * one computation. Bounded: the oldest entries go first.
 */
export interface OutputCache {
  get(key: string): NodeOutputs | undefined;
  set(key: string, outputs: NodeOutputs): void;
  readonly pending: Map<string, Promise<NodeOutputs>>;
}

/** A cache of at most `limit` node outputs (insertion order = eviction order; a hit refreshes). */
export function createOutputCache(limit = 64): OutputCache {
  const entries = new Map<string, NodeOutputs>();
  return {
    get(key) {
      const hit = entries.get(key);
      if (hit) { entries.delete(key); entries.set(key, hit); }
      return hit;
    },
    set(key, outputs) {
      entries.delete(key);
      entries.set(key, outputs);
      while (entries.size > limit) entries.delete(entries.keys().next().value!);
    },
    pending: new Map(),
  };
}

/** A dataset a source read, with the fingerprint of its rows (for reproducibility). */
export interface SourceFingerprint {
  nodeId: string;
  dataset: string;
  fingerprint: string;
}

/** What one execution did: per-node status, outputs, content keys and the nodes that really ran. */
export interface Execution {
  statuses: NodeStatus[];
  outputs: Map<string, NodeOutputs>;
  keys: Record<string, string>;
  /** Nodes whose work ran in this execution (not served from the cache), in order. */
  executed: string[];
  sources: SourceFingerprint[];
  /** The first node that failed, if any. */
  failed?: NodeStatus;
  cancelled: boolean;
}

function upstreamOf(doc: PipelineDoc, node: PipelineNode, keys: Record<string, string>, outputs: Map<string, NodeOutputs>): { upstream: Record<string, string>; inputs: Record<string, NodeValue>; missing: boolean } {
  const upstream: Record<string, string> = {};
  const inputs: Record<string, NodeValue> = {};
  let missing = false;
  for (const [port, from] of inputsOf(doc, node.id)) {
    const value = outputs.get(from.node)?.[from.port];
    const key = keys[from.node];
    if (!value || key === undefined) { missing = true; continue; }
    upstream[port] = `${key}:${from.port}`;
    inputs[port] = value;
  }
  return { upstream, inputs, missing };
}

/**
 * Runs the nodes `target` needs, in dependency order, reusing cached outputs whose content key
 * (params + upstream keys + data fingerprint) is unchanged. A node that fails gets a plain
 * message and blocks only what depends on it; other branches still run. Cancelling stops at
 * the next node boundary (and inside training) and marks the rest `cancelled`.
 */
export async function executePipeline(doc: PipelineDoc, target: RunTarget, env: RunEnv, cache: OutputCache): Promise<Execution> {
  const nodes = planNodes(doc, target);
  const forced = target.mode === 'node' ? target.nodeId : undefined;
  const invalid = new Map<string, string>();
  for (const issue of validateGraph(doc)) if (issue.severity === 'error' && issue.nodeId && !invalid.has(issue.nodeId)) invalid.set(issue.nodeId, issue.message);
  const run: Execution = { statuses: [], outputs: new Map(), keys: {}, executed: [], sources: [], cancelled: false };
  const report = (status: NodeStatus) => {
    run.statuses = [...run.statuses.filter((s) => s.nodeId !== status.nodeId), status];
    if (status.state === 'failed' && !run.failed) run.failed = status;
    env.onEvent?.({ type: 'node', status });
  };
  for (const node of nodes) report({ nodeId: node.id, state: 'queued' });
  for (const node of nodes) {
    if (run.cancelled || env.signal?.aborted) { run.cancelled = true; report({ nodeId: node.id, state: 'cancelled' }); continue; }
    const problem = invalid.get(node.id);
    if (problem) { report({ nodeId: node.id, state: 'failed', error: { name: 'UserInputError', code: 'bad_input', message: problem } }); continue; }
    const { upstream, inputs, missing } = upstreamOf(doc, node, run.keys, run.outputs);
    if (missing) { report({ nodeId: node.id, state: 'blocked', message: 'An input did not run.' }); continue; }
    await runOne(doc, node, { upstream, inputs, forced: forced === node.id }, env, cache, run, report);
  }
  return run;
}

interface NodeJob {
  upstream: Record<string, string>;
  inputs: Record<string, NodeValue>;
  forced: boolean;
}

async function runOne(doc: PipelineDoc, node: PipelineNode, job: NodeJob, env: RunEnv, cache: OutputCache, run: Execution, report: (s: NodeStatus) => void): Promise<void> {
  const started = env.clock.now();
  report({ nodeId: node.id, state: 'running' });
  try {
    let key: string;
    let outputs: NodeOutputs | undefined;
    let message: string | undefined;
    let fromCache = false;
    if (node.kind === 'source') {
      const source = await sourceFingerprint(node, env);
      key = nodeKey(node, job.upstream, source.fingerprint);
      run.sources.push({ nodeId: node.id, dataset: source.dataset, fingerprint: source.fingerprint });
      outputs = job.forced ? undefined : cache.get(key);
      fromCache = outputs !== undefined;
      if (!fromCache) { outputs = await loadSource(source, env); cache.set(key, outputs); }
    } else {
      key = nodeKey(node, job.upstream);
      const hit = job.forced || node.kind === 'sweep' ? undefined : cache.get(key) ?? (await cache.pending.get(key)?.catch(() => undefined));
      if (hit) { outputs = hit; fromCache = true; } else {
        const work = perform(doc, node, job.inputs, env, cache);
        const shared = work.then((r) => r.outputs);
        shared.catch(() => undefined); // waiters handle failure themselves; never an unhandled rejection
        cache.pending.set(key, shared);
        try {
          const result = await work;
          outputs = result.outputs;
          message = result.message;
          cache.set(key, outputs);
        } finally {
          cache.pending.delete(key);
        }
      }
    }
    run.keys[node.id] = key;
    run.outputs.set(node.id, outputs!);
    if (!fromCache) run.executed.push(node.id);
    report({ nodeId: node.id, state: fromCache ? 'cached' : 'done', key, durationMs: env.clock.now() - started, ...(message ? { message } : {}) });
  } catch (error) {
    const cancelled = error instanceof CancelledError || (error instanceof Error && error.name === 'CancelledError') || env.signal?.aborted === true;
    if (cancelled) run.cancelled = true;
    const data: ErrorData = toErrorData(error);
    report({ nodeId: node.id, state: cancelled ? 'cancelled' : 'failed', durationMs: env.clock.now() - started, ...(cancelled ? {} : { error: { ...data, detail: { ...data.detail, nodeId: node.id } } }) });
  }
}

async function perform(doc: PipelineDoc, node: PipelineNode, inputs: Record<string, NodeValue>, env: RunEnv, cache: OutputCache): Promise<{ outputs: NodeOutputs; message?: string }> {
  const kind = node.kind;
  if (isTrainableKind(kind)) {
    return { outputs: await runModel(doc, node, kind, inputs, env, (p) => env.onEvent?.({ type: 'progress', nodeId: node.id, progress: { done: p.done, total: p.total, ...(p.message ? { message: p.message } : {}) }, ...(p.step ? { step: p.step } : {}) })) };
  }
  switch (kind) {
    case 'source': return { outputs: await loadSource(await sourceFingerprint(node, env), env) };
    case 'validate': {
      const input = inputs['data'];
      if (input?.type !== 'table') throw new Error('validate needs a table');
      return runValidateNode(node, input, env);
    }
    case 'split': return { outputs: runSplit(node, inputs) };
    case 'lag': case 'rolling': return runWindowFeatures(node, inputs, env);
    case 'impute': case 'scale': case 'oneHot': case 'ordinal': case 'bucketize': case 'log1p': case 'cyclic':
    case 'textVectorizer': case 'selectColumns': case 'featureSelect':
      return { outputs: runPreprocess(node, inputs) };
    case 'importedOnnx': return { outputs: await runImportedOnnx(node, env) };
    case 'evaluate': return { outputs: await runEvaluate(node, inputs, env) };
    case 'explain': return { outputs: await runExplain(node, inputs, env) };
    case 'crossValidate': return runCrossValidate(doc, node, inputs, env);
    case 'sweep': return { outputs: await runSweep(doc, node, env, cache, executePipeline) };
    default: return assertNever(kind, 'node kind');
  }
}
