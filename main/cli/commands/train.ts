import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { PipelineDoc } from '../../../app/pipeline/document';
import { applyOverrides, parseAssignment } from '../../../app/pipeline/run/overrides';
import type { RunEvent } from '../../../app/pipeline/run/types';
import { parsePipeline } from '../../../app/pipeline/serialize';
import { NativeDatabase } from '../../backend/data/native-engine';
import { registerDataViews } from '../../backend/pipeline/data-views';
import { createOnnxScorer } from '../../backend/pipeline/onnx-scorer';
import { trainPipeline } from '../../backend/pipeline/runner';
import { createTrainPool } from '../../backend/pipeline/worker-pool';
import { openRunStore } from '../../backend/runs/run-store';
import { Exit, UsageError, type CliContext, type Command } from '../command';
import { packageVersion } from '../paths';

function progressPrinter(doc: PipelineDoc, context: CliContext): (event: RunEvent) => void {
  const names = new Map(doc.nodes.map((n) => [n.id, n.label ? `${n.id} (${n.label})` : n.id]));
  const lastPrinted = new Map<string, number>();
  return (event) => {
    if (event.type === 'node') {
      const s = event.status;
      if (s.state === 'queued') return;
      const time = s.durationMs === undefined ? '' : ` in ${(s.durationMs / 1000).toFixed(2)} s`;
      const detail = s.error ? `: ${s.error.message}` : s.message ? `: ${s.message}` : '';
      context.stderr(`${s.state.padEnd(9)} ${names.get(s.nodeId) ?? s.nodeId}${time}${detail}\n`);
    } else if (event.type === 'progress') {
      const now = Date.now();
      if (now - (lastPrinted.get(event.nodeId) ?? 0) < 1000 && event.progress.done !== event.progress.total) return;
      lastPrinted.set(event.nodeId, now);
      const loss = event.step ? `, loss ${event.step.trainLoss.toFixed(4)}${event.step.validLoss === undefined ? '' : ` / validation ${event.step.validLoss.toFixed(4)}`}` : '';
      context.stderr(`          ${names.get(event.nodeId) ?? event.nodeId}: ${event.progress.done}/${event.progress.total} ${event.progress.message ?? ''}${loss}\n`);
    } else {
      context.stderr(`trial     ${event.index + 1}/${event.total} ${JSON.stringify(event.overrides)} → ${event.metric ?? event.error ?? 'no metric'}\n`);
    }
  };
}

function overridesOf(values: unknown): Record<string, unknown> {
  const list = Array.isArray(values) ? values : values === undefined ? [] : [values];
  const out: Record<string, unknown> = {};
  for (const item of list) {
    try {
      const [key, value] = parseAssignment(String(item));
      out[key] = value;
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  }
  return out;
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'Train and evaluate a pipeline without the UI; prints the tracked run id.',
  usage: 'vajra train PIPELINE [--workspace DIR] [--set NODE.PARAM=VALUE …] [--json]',
  help: [
    'PIPELINE             a NAME.pipeline.json file',
    '--workspace DIR      the workspace (default: the current folder); runs land in DIR/runs/',
    '--set NODE.PARAM=V   change a node parameter for this run (repeatable); V is JSON or text,',
    '                     e.g. --set gbdt.maxIter=20 --set split.method=\'"random"\'',
    '--json               print {"runId", "status", "metrics", "failedNode"} as JSON on stdout',
    '',
    'Progress goes to stderr. Exit 1 when a node fails (its id and message are printed).',
  ].join('\n'),
  options: {
    workspace: { type: 'string' },
    set: { type: 'string', multiple: true },
    json: { type: 'boolean', default: false },
  },
  allowPositionals: true,
  async run(values, positionals, context) {
    if (positionals.length !== 1) throw new UsageError('train takes exactly one PIPELINE file.');
    const root = resolve(context.cwd, typeof values.workspace === 'string' ? values.workspace : '.');
    const file = resolve(context.cwd, positionals[0]!);
    const overrides = overridesOf(values.set);
    if (!existsSync(file)) { context.stderr(`vajra train: ${positionals[0]} does not exist.\n`); return Exit.error; }
    if (!existsSync(root)) { context.stderr(`vajra train: the workspace ${root} does not exist.\n`); return Exit.error; }
    let doc: PipelineDoc;
    try {
      doc = parsePipeline(await readFile(file, 'utf8'));
    } catch (error) {
      context.stderr(`vajra train: ${positionals[0]}: ${error instanceof Error ? error.message : String(error)}\n`);
      return Exit.error;
    }
    try {
      applyOverrides(doc, overrides);
    } catch (error) {
      throw new UsageError(`--set ${error instanceof Error ? error.message : String(error)}`);
    }
    const rel = relative(root, file);
    const path = rel.startsWith('..') || isAbsolute(rel) ? file : rel;
    const db = await NativeDatabase.open(':memory:', { file_search_path: root });
    const engine = await db.connect();
    const pool = createTrainPool(2);
    const store = await openRunStore(root);
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    try {
      await registerDataViews(engine, root);
      const host = { root, engine, fitModel: pool.fit, score: createOnnxScorer(), concurrency: 2, version: packageVersion() };
      const result = await trainPipeline(host, { doc, path, overrides, store, signal: abort.signal, onEvent: progressPrinter(doc, context) });
      const failed = result.execution.failed;
      const status = result.execution.cancelled ? 'cancelled' : failed ? 'failed' : 'finished';
      if (failed) context.stderr(`vajra train: node "${failed.nodeId}" failed: ${failed.error?.message ?? 'unknown error'}\n`);
      if (values.json) context.stdout(`${JSON.stringify({ runId: result.runId, status, metrics: result.metrics, ...(failed ? { failedNode: failed.nodeId, error: failed.error?.message } : {}) }, null, 2)}\n`);
      else context.stdout(`${result.runId ?? ''}\n`);
      return status === 'finished' ? Exit.ok : Exit.failed;
    } finally {
      process.off('SIGINT', onSigint);
      await store.close();
      await pool.close();
      await engine.close();
      db.close();
    }
  },
};
