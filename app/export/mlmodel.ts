import { stringify } from 'yaml';
import { sha256Hex } from '../tracking/bytes';
import { requestInputs } from './derived';
import type { BundleInput, Cell, ServingSpec, TensorType } from './types';

/** MLflow release the MLmodel and the Python environment files are written for. */
export const MLFLOW_VERSION = '2.17.2';
const PYTHON_VERSION = '3.10.12';
const DEFAULT_PY_VERSIONS: Record<string, string> = { onnx: '1.16.2', onnxruntime: '1.19.2', numpy: '1.26.4', pandas: '2.2.3' };

/** numpy dtype names of MLflow tensor specs. */
const NUMPY_DTYPES: Record<TensorType, string> = { float32: 'float32', float64: 'float64', int64: 'int64', bool: 'bool', string: 'str' };

/**
 * `ms` since epoch as MLflow's `utc_time_created` ('YYYY-MM-DD HH:MM:SS.ffffff', UTC). Computed
 * with integer calendar arithmetic (days → civil date) because app/ has no `Date`.
 */
export function formatUtc(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const rest = ms - days * 86_400_000;
  // Civil-from-days (H. Hinnant): proleptic Gregorian calendar, era of 400 years.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const h = Math.floor(rest / 3_600_000);
  const m = Math.floor((rest % 3_600_000) / 60_000);
  const s = Math.floor((rest % 60_000) / 1000);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)} ${pad(h)}:${pad(m)}:${pad(s)}.${pad(rest % 1000, 3)}000`;
}

/** A stable model UUID (32 hex digits, like MLflow's uuid4().hex): same run + model → same id. */
export function modelUuid(runId: string, modelSha256: string): string {
  return sha256Hex(`vajra-model:${runId}:${modelSha256}`).slice(0, 32);
}

/**
 * The input example as pandas "split" orient: `{columns, data}` in the order of the columns a
 * caller sends (the raw columns when SQL derives lag/rolling inputs; absent cells are null).
 */
export function exampleSplit(input: BundleInput, spec: ServingSpec): { columns: string[]; data: Cell[][] } {
  const columns = requestInputs(spec).map((i) => i.name);
  return { columns, data: input.inputExample.map((row) => columns.map((c) => row[c] ?? null)) };
}

function pyVersion(input: BundleInput, name: string): string {
  return input.versions[name] ?? DEFAULT_PY_VERSIONS[name] ?? '';
}

/**
 * The MLmodel file: flavors `onnx` and `python_function` (loader mlflow.onnx), the signature
 * (inputs as MLflow column specs — the raw columns when SQL derives lag/rolling inputs —, outputs
 * as named tensor specs, both JSON strings), the input example info, model_uuid, utc_time_created, run_id, model_size_bytes and mlflow_version.
 */
export function mlmodelYaml(input: BundleInput, spec: ServingSpec, modelSizeBytes: number, modelSha256: string): string {
  const inputs = requestInputs(spec).map((i) => ({ type: i.type, name: i.name, required: !i.optional }));
  const outputs = spec.outputs.map((o) => ({ type: 'tensor', 'tensor-spec': { dtype: NUMPY_DTYPES[o.tensorType], shape: o.shape }, name: o.name }));
  const doc = {
    artifact_path: 'model',
    flavors: {
      onnx: { code: null, data: 'model.onnx', onnx_version: pyVersion(input, 'onnx'), providers: ['CPUExecutionProvider'] },
      python_function: {
        data: 'model.onnx',
        env: { conda: 'conda.yaml', virtualenv: 'python_env.yaml' },
        loader_module: 'mlflow.onnx',
        python_version: PYTHON_VERSION,
      },
    },
    mlflow_version: MLFLOW_VERSION,
    model_size_bytes: modelSizeBytes,
    model_uuid: modelUuid(input.runId, modelSha256),
    run_id: input.runId,
    saved_input_example_info: { artifact_path: 'input_example.json', pandas_orient: 'split', serving_input_path: 'serving_input_example.json', type: 'dataframe' },
    signature: { inputs: JSON.stringify(inputs), outputs: JSON.stringify(outputs), params: null },
    utc_time_created: formatUtc(input.createdAtMs),
  };
  return stringify(doc, { lineWidth: 0 });
}

function pipRequirements(input: BundleInput): string[] {
  return [`mlflow==${MLFLOW_VERSION}`, `onnx==${pyVersion(input, 'onnx')}`, `onnxruntime==${pyVersion(input, 'onnxruntime')}`, `numpy==${pyVersion(input, 'numpy')}`, `pandas==${pyVersion(input, 'pandas')}`];
}

/** requirements.txt, python_env.yaml and conda.yaml for `mlflow models serve -m BUNDLE`. */
export function pythonEnvFiles(input: BundleInput): Record<string, string> {
  const pip = pipRequirements(input);
  return {
    'requirements.txt': `${pip.join('\n')}\n`,
    'python_env.yaml': stringify({ python: PYTHON_VERSION, build_dependencies: ['pip', 'setuptools', 'wheel'], dependencies: ['-r requirements.txt'] }),
    'conda.yaml': stringify({ channels: ['conda-forge'], dependencies: [`python=${PYTHON_VERSION}`, 'pip<=24.2', { pip }], name: 'mlflow-env' }),
  };
}
