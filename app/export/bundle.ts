import { sha256Hex, utf8Encode } from '../tracking/bytes';
import { dockerfile, dockerignore, kserveYaml, readme } from './docs';
import { buildManifest, MANIFEST_FILE } from './manifest';
import { exampleSplit, mlmodelYaml, pythonEnvFiles } from './mlmodel';
import { openapiYaml } from './openapi';
import { TEMPLATE_FILES } from './server-sources.generated';
import { buildServingSpec } from './serving-spec';
import type { BundleFiles, BundleInput } from './types';

/** Files the server shares with the browser scorer (copied so web/ can be hosted on its own). */
const WEB_SHARED: Readonly<Record<string, string>> = { 'web/schema.js': 'server/lib/schema.js' };

const EXPECTATIONS_FILE = 'expectations.json';
const EXPLAINER_FILE = 'explainer.json';

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Builds a deployable serving bundle as a map of bundle path → bytes (pure: same input, same
 * bytes). Layout: model.onnx, serving.json, MLmodel + input_example.json +
 * serving_input_example.json + requirements.txt + python_env.yaml + conda.yaml (MLflow),
 * server/ (Node server with package.json and package-lock.json), batch/score.js, web/,
 * Dockerfile, .dockerignore, kserve.yaml, openapi.yaml, README.md, package.json, optional
 * expectations.json / explainer.json, and manifest.json (SHA-256 of every other file).
 * Throws `UserInputError` when the signature and the ONNX graph disagree.
 */
export function buildBundle(input: BundleInput): BundleFiles {
  const spec = buildServingSpec(input, {
    ...(input.expectations !== undefined ? { expectations: EXPECTATIONS_FILE } : {}),
    ...(input.explainer !== undefined ? { explainer: EXPLAINER_FILE } : {}),
  });
  const example = exampleSplit(input, spec);
  const text: Record<string, string> = {
    'serving.json': json(spec),
    'input_example.json': json(example),
    'serving_input_example.json': json({ dataframe_split: example }),
    ...pythonEnvFiles(input),
    ...TEMPLATE_FILES,
    Dockerfile: dockerfile(spec),
    '.dockerignore': dockerignore(),
    'kserve.yaml': kserveYaml(spec),
    'openapi.yaml': openapiYaml(spec, { dataframe_split: example }),
  };
  for (const [to, from] of Object.entries(WEB_SHARED)) text[to] = TEMPLATE_FILES[from] ?? '';
  if (input.expectations !== undefined) text[EXPECTATIONS_FILE] = json(input.expectations);
  if (input.explainer !== undefined) text[EXPLAINER_FILE] = json(input.explainer);

  const files = new Map<string, Uint8Array>([['model.onnx', input.modelBytes]]);
  for (const [path, content] of Object.entries(text)) files.set(path, utf8Encode(content));
  const modelSha = sha256Hex(input.modelBytes);
  const size = [...files.values()].reduce((sum, bytes) => sum + bytes.length, 0);
  files.set('MLmodel', utf8Encode(mlmodelYaml(input, spec, size, modelSha)));
  files.set('README.md', utf8Encode(readme(spec, example, [...files.keys(), 'README.md', MANIFEST_FILE].sort())));
  const manifest = buildManifest(files, {
    runId: input.runId,
    modelName: spec.modelName,
    createdAtMs: input.createdAtMs,
    dataFingerprints: input.dataFingerprints.map((d) => ({ name: d.name, fingerprint: d.fingerprint })),
    versions: { ...input.versions },
    metadata: { ...input.metadata },
  });
  files.set(MANIFEST_FILE, utf8Encode(json(manifest)));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
