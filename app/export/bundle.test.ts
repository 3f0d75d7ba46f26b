import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createGraphBuilder } from '../onnx/builder';
import { attr } from '../onnx/types';
import { utf8Decode } from '../tracking/bytes';
import { buildBundle } from './bundle';
import { curlExamples } from './docs';
import { verifyManifest } from './manifest';
import { formatUtc } from './mlmodel';
import { TEMPLATE_FILES } from './server-sources.generated';
import type { BundleInput } from './types';

const templateDir = fileURLToPath(new URL('./server-template/', import.meta.url));

/** A hand-written model: x (float [N,1]) and tag (string [N,1]) → label [N] (int64) + probabilities [N,2]. */
function tinyModel(): Uint8Array {
  const b = createGraphBuilder();
  const x = b.addInput('x', 'float', ['N', 1]);
  const tag = b.addInput('tag', 'string', ['N', 1]);
  const code = b.op('LabelEncoder', [tag], { keys_strings: attr.strings(['a', 'b']), values_floats: attr.floats([0, 1]), default_float: attr.float(-1) }, 'ai.onnx.ml');
  const features = b.op('Concat', [x, code], { axis: attr.int(1) });
  const [label, proba] = b.addNode('LinearClassifier', [features], { domain: 'ai.onnx.ml', outputs: 2, attrs: { coefficients: attr.floats([-1, -0.5, 1, 0.5]), intercepts: attr.floats([0, 0]), classlabels_ints: attr.ints([0, 1]), post_transform: attr.string('SOFTMAX') } });
  b.addOutput(label!, 'label', 'int64', ['N']);
  b.addOutput(proba!, 'probabilities', 'float', ['N', 2]);
  return b.build({ graphName: 'tiny' });
}

function input(extra: Partial<BundleInput> = {}): BundleInput {
  return {
    runId: 'Run_42',
    modelBytes: tinyModel(),
    signature: { inputs: [{ name: 'x', type: 'double' }, { name: 'tag', type: 'string', optional: true }], outputs: [{ name: 'label', type: 'long' }, { name: 'probabilities', type: 'float', shape: [-1, 2] }] },
    inputExample: [{ x: 1.5, tag: 'a' }, { x: -2, tag: null }],
    dataFingerprints: [{ name: 'train', fingerprint: 'abc' }],
    versions: { vajra: '0.1.0' },
    createdAtMs: 1_767_225_600_123, // 2026-01-01T00:00:00.123Z
    ...extra,
  };
}

const text = (files: Map<string, Uint8Array>, path: string) => utf8Decode(files.get(path)!);

describe('buildBundle(input)', () => {
  it('buildBundle(input) writes the documented layout, byte-identical on a second call', () => {
    const files = buildBundle(input());
    expect([...files.keys()]).toEqual([
      '.dockerignore', 'Dockerfile', 'MLmodel', 'README.md', 'batch/derived.js', 'batch/output.js', 'batch/read-csv.js', 'batch/score.js', 'conda.yaml', 'input_example.json', 'kserve.yaml', 'manifest.json', 'model.onnx',
      'openapi.yaml', 'package.json', 'python_env.yaml', 'requirements.txt', 'server/index.js', 'server/lib/app.js', 'server/lib/csv.js', 'server/lib/derived.js', 'server/lib/expectations.js', 'server/lib/explain.js',
      'server/lib/parquet.js', 'server/lib/protocols.js', 'server/lib/schema.js', 'server/lib/scorer.js', 'server/package-lock.json', 'server/package.json',
      'serving.json', 'serving_input_example.json', 'web/index.html', 'web/schema.js', 'web/score.js',
    ]);
    const again = buildBundle(input());
    for (const [path, bytes] of files) expect(Buffer.from(again.get(path)!).equals(Buffer.from(bytes)), path).toBe(true);
  });

  it('buildBundle(input) writes an MLflow MLmodel with both flavors, the signature and the example info', () => {
    const files = buildBundle(input());
    const mlmodel = parse(text(files, 'MLmodel')) as Record<string, unknown> & { signature: { inputs: string; outputs: string }; flavors: Record<string, Record<string, unknown>> };
    expect(mlmodel.flavors.python_function).toMatchObject({ loader_module: 'mlflow.onnx', data: 'model.onnx', env: { conda: 'conda.yaml', virtualenv: 'python_env.yaml' } });
    expect(mlmodel.flavors.onnx).toMatchObject({ data: 'model.onnx', providers: ['CPUExecutionProvider'] });
    expect(JSON.parse(mlmodel.signature.inputs)).toEqual([{ type: 'double', name: 'x', required: true }, { type: 'string', name: 'tag', required: false }]);
    expect(JSON.parse(mlmodel.signature.outputs)).toEqual([
      { type: 'tensor', 'tensor-spec': { dtype: 'int64', shape: [-1] }, name: 'label' },
      { type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1, 2] }, name: 'probabilities' },
    ]);
    expect(mlmodel).toMatchObject({ run_id: 'Run_42', utc_time_created: '2026-01-01 00:00:00.123000', saved_input_example_info: { artifact_path: 'input_example.json', type: 'dataframe', pandas_orient: 'split' } });
    expect(mlmodel.model_uuid).toMatch(/^[0-9a-f]{32}$/);
    const others = [...files].filter(([p]) => p !== 'MLmodel' && p !== 'README.md' && p !== 'manifest.json').reduce((s, [, b]) => s + b.length, 0);
    expect(mlmodel.model_size_bytes).toBe(others);
    expect(JSON.parse(text(files, 'input_example.json'))).toEqual({ columns: ['x', 'tag'], data: [[1.5, 'a'], [-2, null]] });
    expect(JSON.parse(text(files, 'serving_input_example.json'))).toEqual({ dataframe_split: { columns: ['x', 'tag'], data: [[1.5, 'a'], [-2, null]] } });
    expect(text(files, 'requirements.txt')).toMatch(/^mlflow==2\.\d+\.\d+\nonnx==/);
    expect(parse(text(files, 'python_env.yaml'))).toMatchObject({ dependencies: ['-r requirements.txt'] });
  });

  it('buildBundle(input) lists every file in manifest.json with its SHA-256, and verifyManifest accepts it', () => {
    const files = buildBundle(input());
    const manifest = JSON.parse(text(files, 'manifest.json')) as { runId: string; files: Record<string, { sha256: string; size: number }>; dataFingerprints: unknown };
    expect(manifest.runId).toBe('Run_42');
    expect(manifest.dataFingerprints).toEqual([{ name: 'train', fingerprint: 'abc' }]);
    expect(Object.keys(manifest.files).sort()).toEqual([...files.keys()].filter((p) => p !== 'manifest.json'));
    const actual = new Map([...files].filter(([p]) => p !== 'manifest.json').map(([p, b]) => [p, createHash('sha256').update(b).digest('hex')]));
    for (const [path, sha] of actual) expect(manifest.files[path]!.sha256).toBe(sha);
    expect(verifyManifest(text(files, 'manifest.json'), actual).ok).toBe(true);
    actual.set('model.onnx', '0'.repeat(64));
    expect(verifyManifest(text(files, 'manifest.json'), actual)).toMatchObject({ ok: false, changed: [{ path: 'model.onnx' }] });
  });

  it('buildBundle(input) describes every server route in openapi.yaml and puts runnable curl commands in the README', () => {
    const files = buildBundle(input());
    const openapi = parse(text(files, 'openapi.yaml')) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/invocations', '/ping', '/health', '/version', '/validate', '/explain', '/v2/health/live', '/v2/health/ready', '/v2/models/vajra-run-42', '/v2/models/vajra-run-42/ready', '/v2/models/vajra-run-42/infer']));
    const serving = JSON.parse(text(files, 'serving.json')) as { modelName: string };
    expect(serving.modelName).toBe('vajra-run-42');
    const readme = text(files, 'README.md');
    for (const c of curlExamples(JSON.parse(text(files, 'serving.json')), JSON.parse(text(files, 'input_example.json')))) expect(readme).toContain(c.command);
    expect(text(files, 'Dockerfile')).toMatch(/FROM node:22-slim[\s\S]*npm ci --omit=dev[\s\S]*USER node[\s\S]*EXPOSE 8080[\s\S]*HEALTHCHECK/);
    expect(parse(text(files, 'kserve.yaml'))).toMatchObject({ kind: 'InferenceService', metadata: { name: 'vajra-run-42' } });
  });

  it('buildBundle(input) carries the suite and explainer only when given, and names them in serving.json', () => {
    const plain = buildBundle(input());
    expect(plain.has('expectations.json')).toBe(false);
    const rich = buildBundle(input({ expectations: { format: 'vajra.expectations', version: 1, name: 's', expectations: [] }, explainer: { kind: 'linear' } }));
    expect(JSON.parse(text(rich, 'serving.json'))).toMatchObject({ expectations: 'expectations.json', explainer: 'explainer.json' });
    expect(JSON.parse(text(rich, 'explainer.json'))).toEqual({ kind: 'linear' });
  });

  it('buildBundle(input) refuses a signature that disagrees with the ONNX graph', () => {
    const sig = input().signature;
    expect(() => buildBundle(input({ signature: { ...sig, inputs: [sig.inputs[0]!] } }))).toThrow(/The model takes "tag", but the signature does not list it/);
    expect(() => buildBundle(input({ signature: { ...sig, inputs: [...sig.inputs, { name: 'z', type: 'double' }] } }))).toThrow(/signature lists input "z"/);
    expect(() => buildBundle(input({ signature: { ...sig, inputs: [{ name: 'x', type: 'string' }, sig.inputs[1]!] } }))).toThrow(/"x" is declared string, but the model reads it as float/);
    expect(() => buildBundle(input({ signature: { ...sig, outputs: [{ name: 'proba', type: 'float' }] } }))).toThrow(/output "proba"/);
    expect(() => buildBundle(input({ modelBytes: new Uint8Array([1, 2, 3]) }))).toThrow(/not a valid ONNX model/);
  });
});

describe('formatUtc(ms)', () => {
  it('formatUtc(ms) matches Date#toISOString for dates across leap years and centuries', () => {
    for (const ms of [0, 951_782_400_000, 1_709_164_800_999, 4_107_542_399_999, 1_767_225_600_123, 253_402_300_799_000]) {
      const iso = new Date(ms).toISOString();
      expect(formatUtc(ms)).toBe(`${iso.slice(0, 10)} ${iso.slice(11, 23)}000`);
    }
  });
});

describe('server-sources.generated.ts', () => {
  it('TEMPLATE_FILES equals the files under server-template/ (run `node app/export/generate-sources.mjs` when this fails)', () => {
    const list = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? (d.name === 'node_modules' ? [] : list(join(dir, d.name))) : [join(dir, d.name)]));
    const onDisk = Object.fromEntries(list(templateDir).map((p) => [relative(templateDir, p).split(sep).join('/'), readFileSync(p, 'utf8')]));
    expect(Object.keys(TEMPLATE_FILES).sort()).toEqual(Object.keys(onDisk).sort());
    for (const [path, content] of Object.entries(onDisk)) expect(TEMPLATE_FILES[path], path).toBe(content);
  });

  it('server/package-lock.json pins the onnxruntime-node the workspace tests with', () => {
    const lock = JSON.parse(TEMPLATE_FILES['server/package-lock.json']!) as { packages: Record<string, { version?: string; optional?: boolean }> };
    const workspace = JSON.parse(readFileSync(fileURLToPath(new URL('../../package-lock.json', import.meta.url)), 'utf8')) as { packages: Record<string, { version: string }> };
    expect(lock.packages['node_modules/onnxruntime-node']!.version).toBe(workspace.packages['node_modules/onnxruntime-node']!.version);
    expect(lock.packages['node_modules/onnxruntime-common']!.optional).toBeUndefined();
    expect(lock.packages['node_modules/@duckdb/node-api']!.optional).toBe(true);
  });
});
