import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunId } from '../../../app/base/ids';
import { pushRunToMlflow, type FetchFn } from '../../../app/tracking/mlflow-client';
import { exportToMlflow, importFromMlflow, type VirtualFiles } from '../../../app/tracking/mlflow-file';
import type { RunSummary } from '../../../app/tracking/run-model';
import { openRunStore, type RunStore } from '../../backend/runs/run-store';
import { NativeDatabase } from '../../backend/data/native-engine';
import { registerDataViews } from '../../backend/pipeline/data-views';
import { createOnnxScorer } from '../../backend/pipeline/onnx-scorer';
import { createTrainPool } from '../../backend/pipeline/worker-pool';
import { rerunVerdict } from '../../backend/services/export-service';
import { Exit, UsageError, type CliContext, type Command, type ParsedValues } from '../command';
import { packageVersion } from '../paths';

const USAGE = [
  'vajra runs list [--json]',
  'vajra runs show RUN [--json]',
  'vajra runs export-mlflow DIR [--run RUN]…',
  'vajra runs import-mlflow DIR',
  'vajra runs push-mlflow URL [--experiment NAME] [--run RUN]…',
  'vajra runs rerun RUN [--json]',
].join('\n       ');

function time(ms: number | null): string {
  return ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

function jsonNumber(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

function summaryJson(run: RunSummary) {
  return {
    id: run.id, name: run.name, experiment: run.experiment, status: run.status, startTime: run.startTime, endTime: run.endTime,
    params: run.params, tags: run.tags,
    metrics: Object.fromEntries(Object.entries(run.metrics).map(([k, s]) => [k, { last: jsonNumber(s.last), min: jsonNumber(s.min), max: jsonNumber(s.max), step: s.lastStep }])),
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

function findRun(store: RunStore, given: string): RunId {
  const runs = store.listRuns();
  const exact = runs.find((r) => r.id === given) ?? runs.find((r) => r.name === given);
  if (exact) return exact.id;
  const prefixed = runs.filter((r) => r.id.startsWith(given));
  if (prefixed.length === 1) return prefixed[0]!.id;
  throw new UsageError(prefixed.length > 1 ? `"${given}" matches ${prefixed.length} runs; give more of the id.` : `No run "${given}" in ${store.root}.`);
}

async function listCommand(store: RunStore, values: ParsedValues, context: CliContext): Promise<number> {
  const runs = store.listRuns();
  if (values.json) {
    context.stdout(`${JSON.stringify(runs.map(summaryJson), null, 2)}\n`);
    return Exit.ok;
  }
  if (runs.length === 0) {
    context.stdout(`No runs in ${store.root}.\n`);
    return Exit.ok;
  }
  const rows = runs.map((r) => [r.id, r.name, r.experiment, r.status, time(r.startTime), String(Object.keys(r.params).length), String(Object.keys(r.metrics).length)]);
  context.stdout(table([['ID', 'NAME', 'EXPERIMENT', 'STATUS', 'STARTED (UTC)', 'PARAMS', 'METRICS'], ...rows]));
  return Exit.ok;
}

async function showCommand(store: RunStore, given: string, values: ParsedValues, context: CliContext): Promise<number> {
  const id = findRun(store, given);
  const record = await store.getRun(id);
  const summary = store.getSummary(id)!;
  if (values.json) {
    context.stdout(`${JSON.stringify({ record, metrics: summaryJson(summary).metrics }, null, 2)}\n`);
    return Exit.ok;
  }
  const lines = [
    `Run ${record.name} (${record.id})`,
    `  experiment  ${record.experiment}`,
    `  status      ${record.status}`,
    `  started     ${time(record.startTime)}   ended ${time(record.endTime)}`,
    ...(record.repro.seed !== undefined ? [`  seed        ${record.repro.seed}`] : []),
    ...(record.repro.gitCommit ? [`  git commit  ${record.repro.gitCommit}`] : []),
    ...(record.lineage.parentRunId ? [`  parent run  ${record.lineage.parentRunId}`] : []),
    ...(record.lineage.producedModel ? [`  model       ${record.lineage.producedModel.name} v${record.lineage.producedModel.version}`] : []),
    '', 'Params:', ...Object.entries(record.params).map(([k, v]) => `  ${k} = ${String(v)}`),
    '', 'Metrics (last / min / max @ last step):',
    ...Object.entries(summary.metrics).map(([k, s]) => `  ${k} = ${s.last} / ${s.min} / ${s.max} @ ${s.lastStep}`),
    ...(Object.keys(record.tags).length ? ['', 'Tags:', ...Object.entries(record.tags).map(([k, v]) => `  ${k} = ${v}`)] : []),
    ...(record.artifacts.length ? ['', 'Artifacts:', ...record.artifacts.map((a) => `  ${a.path}  ${a.kind}  ${a.size} B`)] : []),
  ];
  context.stdout(`${lines.join('\n')}\n`);
  return Exit.ok;
}

function selected(store: RunStore, values: ParsedValues): RunId[] {
  const given = [values.run ?? []].flat().map(String);
  return given.length ? given.map((g) => findRun(store, g)) : store.listRuns().map((r) => r.id).reverse();
}

async function exportCommand(store: RunStore, dir: string, values: ParsedValues, context: CliContext): Promise<number> {
  const bundles = [];
  for (const id of selected(store, values)) bundles.push(await store.getBundle(id, true));
  const files = exportToMlflow(bundles, { rootUri: pathToFileURL(dir).href, root: 'mlruns' });
  for (const [path, data] of files) {
    const target = join(dir, path.slice('mlruns/'.length));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, data);
  }
  context.stdout(`Exported ${bundles.length} run(s) to ${dir} (MLflow file store: mlflow ui --backend-store-uri ${pathToFileURL(dir).href}).\n`);
  return Exit.ok;
}

async function readTree(dir: string, files: VirtualFiles, root = dir): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await readTree(path, files, root);
    else if (entry.isFile()) files.set(`mlruns/${relative(root, path).split(sep).join('/')}`, new Uint8Array(await readFile(path)));
  }
}

async function importCommand(store: RunStore, dir: string, context: CliContext): Promise<number> {
  const files: VirtualFiles = new Map();
  await readTree(dir, files).catch((error: NodeJS.ErrnoException) => {
    throw new Error(error.code === 'ENOENT' ? `No such folder: ${dir}` : error.message);
  });
  const found = importFromMlflow(files, 'mlruns');
  let imported = 0;
  const existing = new Set(store.listRuns().map((r) => r.id));
  for (const bundle of found.bundles) {
    if (existing.has(bundle.record.id)) {
      found.skipped.push({ path: bundle.record.id, reason: 'already in this workspace' });
      continue;
    }
    await store.importRun(bundle);
    imported++;
  }
  context.stdout(`Imported ${imported} run(s) from ${found.experiments.length} experiment(s) in ${dir}.\n`);
  for (const s of found.skipped) context.stderr(`skipped ${s.path}: ${s.reason}\n`);
  return Exit.ok;
}

async function pushCommand(store: RunStore, url: string, values: ParsedValues, context: CliContext): Promise<number> {
  const token = context.env.MLFLOW_TRACKING_TOKEN;
  const fetchFn: FetchFn = (target, init) => fetch(target, { ...init, headers: { ...init.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  const experiment = values.experiment === undefined ? undefined : String(values.experiment);
  for (const id of selected(store, values)) {
    const bundle = await store.getBundle(id, false);
    const record = experiment ? { ...bundle.record, experiment } : bundle.record;
    let pushed;
    try {
      pushed = await pushRunToMlflow({ ...bundle, record }, url, fetchFn);
    } catch (error) {
      context.stderr(`vajra runs push-mlflow: ${id}: ${error instanceof Error ? error.message : String(error)}\n`);
      return Exit.failed;
    }
    context.stdout(`${id} → experiment ${pushed.experimentId}, run ${pushed.runId} (${pushed.requests} requests)\n`);
  }
  return Exit.ok;
}

async function rerunCommand(store: RunStore, root: string, given: string, values: ParsedValues, context: CliContext): Promise<number> {
  const id = findRun(store, given);
  const db = await NativeDatabase.open(':memory:', { file_search_path: root });
  const engine = await db.connect();
  const pool = createTrainPool(1);
  try {
    await registerDataViews(engine, root);
    const host = { root, engine, fitModel: pool.fit, score: createOnnxScorer(), concurrency: 1, version: packageVersion() };
    const verdict = await rerunVerdict(host, store, id);
    const same = verdict.identical && verdict.metricsEqual && !verdict.failed;
    if (values.json) {
      context.stdout(`${JSON.stringify(verdict, null, 2)}\n`);
      return same ? Exit.ok : Exit.failed;
    }
    const lines = [
      `run        ${id}`,
      `model.onnx ${verdict.identical ? 'identical' : 'DIFFERENT'} (${verdict.storedBytes} bytes recorded, ${verdict.rebuiltBytes} rebuilt)`,
      `metrics    ${verdict.metricsEqual ? 'equal' : 'DIFFERENT'} (${verdict.metrics.length} compared)`,
      ...verdict.metrics.filter((m) => m.stored !== m.rebuilt).map((m) => `  ${m.key}: ${m.stored ?? '—'} recorded, ${m.rebuilt ?? '—'} rebuilt`),
      ...(verdict.changedData.length ? [`data changed since the run: ${verdict.changedData.join(', ')}`] : []),
      ...(verdict.failed ? [`node "${verdict.failed.nodeId}" failed: ${verdict.failed.message}`] : []),
      same ? 'Re-run reproduced the run exactly.' : 'Re-run did NOT reproduce the run.',
    ];
    context.stdout(`${lines.join('\n')}\n`);
    return same ? Exit.ok : Exit.failed;
  } finally {
    await pool.close();
    await engine.close();
    db.close();
  }
}

/** `vajra runs …`: list, show, MLflow export/import/push and re-run of the workspace's runs. */
export const runsCommand: Command = {
  name: 'runs',
  summary: 'List, show, export, import and push tracked runs (MLflow file store and REST).',
  usage: USAGE,
  help: [
    '--workspace DIR      the workspace (default: the current folder)',
    '--json               machine-readable output (list, show, rerun)',
    '--run RUN            only this run (export-mlflow, push-mlflow; repeatable; id, id prefix or name)',
    '--experiment NAME    push-mlflow: log into this experiment instead of the run\'s own',
    '',
    'push-mlflow sends $MLFLOW_TRACKING_TOKEN as "Authorization: Bearer" when it is set.',
    'export-mlflow writes MLflow\'s file-store layout (DIR is the mlruns folder).',
    'rerun rebuilds RUN from its pipeline snapshot and the data: exit 0 when model.onnx is',
    'identical byte for byte and every metric equal, 1 otherwise.',
  ].join('\n'),
  options: {
    workspace: { type: 'string' },
    json: { type: 'boolean', default: false },
    experiment: { type: 'string' },
    run: { type: 'string', multiple: true },
  },
  allowPositionals: true,
  async run(values, positionals, context) {
    const [action, target, ...extra] = positionals;
    if (extra.length) throw new UsageError(`Unexpected arguments: ${extra.join(' ')}`);
    const needsTarget = action === 'show' || action === 'export-mlflow' || action === 'import-mlflow' || action === 'push-mlflow' || action === 'rerun';
    if (action !== 'list' && !needsTarget) throw new UsageError(action ? `Unknown action "${action}".` : 'Say what to do: list, show, export-mlflow, import-mlflow, push-mlflow or rerun.');
    if (needsTarget && !target) throw new UsageError(`runs ${action} needs ${action === 'push-mlflow' ? 'a URL' : action === 'show' || action === 'rerun' ? 'a RUN' : 'a DIR'}.`);
    const workspace = resolve(context.cwd, String(values.workspace ?? '.'));
    if (!existsSync(join(workspace, 'vajra.json')) && !existsSync(join(workspace, 'runs'))) throw new Error(`${workspace} is not a Vajra workspace (no vajra.json, no runs/). Pass --workspace DIR.`);
    const store = await openRunStore(workspace);
    try {
      switch (action) {
        case 'list': return await listCommand(store, values, context);
        case 'show': return await showCommand(store, target!, values, context);
        case 'export-mlflow': return await exportCommand(store, resolve(context.cwd, target!), values, context);
        case 'import-mlflow': return await importCommand(store, resolve(context.cwd, target!), context);
        case 'rerun': return await rerunCommand(store, workspace, target!, values, context);
        default: return await pushCommand(store, target!, values, context);
      }
    } finally {
      await store.close();
    }
  },
};
