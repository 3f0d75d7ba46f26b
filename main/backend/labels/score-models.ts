import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { UserInputError } from '../../../app/base/errors';
import type { RunId } from '../../../app/base/ids';
import { readOnnxModel } from '../../../app/onnx/reader';
import type { OnnxScorer } from '../../../app/pipeline/run/types';
import type { Backend } from '../backend';
import { createOnnxScorer } from '../pipeline/onnx-scorer';
import { runsResource } from '../services/runs-service';
import type { Workspace } from '../workspace/workspace';
import { scoreOutput } from './model-suggest';

const MODEL_ARTIFACT = 'model.onnx';
/** Runs looked at when listing models (most recent first): each costs reading its model. */
const MAX_RUNS = 50;
const SKIP_DIRS = new Set(['runs', 'node_modules', 'labels']);

let shared: OnnxScorer | undefined;

/** One onnxruntime-node scorer for suggestions (sessions cached per model bytes). */
export function scorer(): OnnxScorer {
  shared ??= createOnnxScorer();
  return shared;
}

/** A model to score a series with: its bytes, a display name, the run it came from. */
export interface ScoreModel {
  readonly bytes: Uint8Array;
  readonly name: string;
  readonly run?: string;
}

/** Loads `ref`: a workspace `.onnx` path, else a run id whose `model.onnx` is used. */
export async function loadScoreModel(backend: Backend, workspace: Workspace, ref: string): Promise<ScoreModel> {
  if (ref.endsWith('.onnx')) {
    const bytes = await readFile(workspace.resolve(ref)).catch(() => {
      throw new UserInputError(`There is no model file "${ref}" in the workspace.`);
    });
    return { bytes: new Uint8Array(bytes), name: ref };
  }
  const { store } = await runsResource(backend);
  const run = await store.getRun(ref as RunId).catch(() => {
    throw new UserInputError(`There is no run "${ref}".`);
  });
  if (!run.artifacts.some((a) => a.path === MODEL_ARTIFACT)) throw new UserInputError(`Run "${ref}" has no model.onnx.`);
  return { bytes: new Uint8Array(await store.readArtifact(run.id, MODEL_ARTIFACT)), name: run.name || ref, run: ref };
}

function outputOf(bytes: Uint8Array): string | null {
  try {
    return scoreOutput(readOnnxModel(bytes))?.name ?? null;
  } catch {
    return null;
  }
}

async function onnxFiles(root: string, dir: string, depth: number): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory() && depth > 0 && !SKIP_DIRS.has(e.name)) out.push(...(await onnxFiles(root, path, depth - 1)));
    else if (e.isFile() && e.name.endsWith('.onnx')) out.push(relative(root, path).split('\\').join('/'));
  }
  return out;
}

/** Tracked runs (most recent first) and workspace .onnx files whose model outputs a score. */
export async function listScoreModels(backend: Backend, workspace: Workspace): Promise<Array<{ ref: string; name: string; kind: 'run' | 'file'; output: string }>> {
  const items: Array<{ ref: string; name: string; kind: 'run' | 'file'; output: string }> = [];
  const { store } = await runsResource(backend);
  const runs = [...store.listRuns()].sort((a, b) => b.startTime - a.startTime).slice(0, MAX_RUNS);
  for (const summary of runs) {
    const run = await store.getRun(summary.id).catch(() => undefined);
    if (!run?.artifacts.some((a) => a.path === MODEL_ARTIFACT)) continue;
    const output = outputOf(new Uint8Array(await store.readArtifact(run.id, MODEL_ARTIFACT)));
    if (output) items.push({ ref: run.id, name: run.name || run.id, kind: 'run', output });
  }
  for (const file of await onnxFiles(workspace.root, workspace.root, 3)) {
    const output = outputOf(new Uint8Array(await readFile(workspace.resolve(file))));
    if (output) items.push({ ref: file, name: file, kind: 'file', output });
  }
  return items;
}
