import { resolve } from 'node:path';
import { exportBundle, verifyBundle } from '../../backend/export/export-bundle';
import { Exit, UsageError, type Command } from '../command';
import { packageVersion } from '../paths';

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export a run with a compiled model to a deployable serving bundle.',
  usage: 'vajra export RUN --out DIR [--zip] [--overwrite] [--workspace DIR] [--optional COL,COL] [--json]',
  help: [
    'RUN                  the run id (see `vajra runs list`)',
    '--out DIR            the bundle folder to write (refused if it exists and is not empty)',
    '--zip                also write DIR.zip',
    '--overwrite          replace an existing bundle folder',
    '--optional COLS      input columns that may be missing at serving time (comma-separated)',
    '--workspace DIR      the workspace (default: the current folder)',
    '--json               print the result as JSON',
    '',
    'The bundle: model.onnx, MLmodel (MLflow onnx + python_function flavors), server/ (Node,',
    'onnxruntime-node: MLflow scoring and KServe v2 protocols), batch/, web/, Dockerfile,',
    'openapi.yaml, manifest.json. Start it with `cd DIR/server && npm ci && node index.js`.',
  ].join('\n'),
  options: {
    out: { type: 'string' },
    zip: { type: 'boolean', default: false },
    overwrite: { type: 'boolean', default: false },
    optional: { type: 'string' },
    workspace: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  allowPositionals: true,
  async run(values, positionals, context) {
    const [runId, ...extra] = positionals;
    if (!runId || extra.length > 0) throw new UsageError('export takes exactly one RUN id.');
    if (typeof values.out !== 'string') throw new UsageError('--out DIR is required.');
    const workspace = resolve(context.cwd, typeof values.workspace === 'string' ? values.workspace : '.');
    const result = await exportBundle(workspace, runId, resolve(context.cwd, values.out), {
      zip: values.zip === true,
      overwrite: values.overwrite === true,
      optionalColumns: typeof values.optional === 'string' ? values.optional.split(',').map((c) => c.trim()).filter(Boolean) : [],
      versions: { vajra: packageVersion() },
    });
    if (values.json) context.stdout(`${JSON.stringify(result, null, 2)}\n`);
    else context.stdout(`Wrote ${result.files.length} files (${(result.bytes / 1024).toFixed(0)} KiB) to ${result.dir}${result.zipPath ? ` and ${result.zipPath}` : ''}\n`);
    return Exit.ok;
  },
};

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Check an exported bundle against its manifest (SHA-256 of every file).',
  usage: 'vajra verify BUNDLE [--json]',
  help: 'Exit 0 when every file matches manifest.json; 1 when a file is missing, changed or extra.',
  options: { json: { type: 'boolean', default: false } },
  allowPositionals: true,
  async run(values, positionals, context) {
    if (positionals.length !== 1) throw new UsageError('verify takes exactly one BUNDLE folder.');
    const report = await verifyBundle(resolve(context.cwd, positionals[0]!));
    if (values.json) context.stdout(`${JSON.stringify({ ok: report.ok, checked: report.checked, missing: report.missing, changed: report.changed, extra: report.extra, problem: report.problem ?? null }, null, 2)}\n`);
    else context.stdout(`${report.text}\n`);
    return report.ok ? Exit.ok : Exit.failed;
  },
};
