/** MLflow column types a bundle's inputs and outputs may have. */
export type ColumnType = 'double' | 'float' | 'long' | 'string' | 'boolean';

/** One raw input column of the model (one ONNX graph input of shape [N, 1] or [N]). */
export interface SignatureInput {
  name: string;
  type: ColumnType;
  /** A missing value (JSON null, empty CSV cell) is allowed and becomes NaN / '' in the tensor. */
  optional?: boolean;
}

/** One model output; `shape` as in the ONNX graph with -1 for the batch (default [-1]). */
export interface SignatureOutput {
  name: string;
  type: ColumnType;
  shape?: readonly number[];
}

/** The model's signature: what a caller sends and gets back. */
export interface BundleSignature {
  inputs: readonly SignatureInput[];
  outputs: readonly SignatureOutput[];
}

/** A JSON scalar of one cell of an input example row. */
export type Cell = string | number | boolean | null;

/** Everything the bundle builder needs, as plain data (no file system, no clock reads). */
export interface BundleInput {
  runId: string;
  /** Name served under /v2/models/{name}; default `vajra-<runId>` (lowercase, [a-z0-9-]). */
  modelName?: string;
  /** Version served under /v2/models/{name}/versions/{version}; default '1'. */
  modelVersion?: string;
  /** The compiled ONNX model (preprocessing inside). */
  modelBytes: Uint8Array;
  signature: BundleSignature;
  /** A few rows (column → value) used for input_example.json, the README and the web page. */
  inputExample: readonly Readonly<Record<string, Cell>>[];
  /** Free-form facts about the run (experiment, metrics…), copied into manifest.json. */
  metadata?: Readonly<Record<string, string | number | boolean>>;
  dataFingerprints: readonly { name: string; fingerprint: string }[];
  /** Library versions, e.g. `{ vajra: '0.1.0', 'onnxruntime-node': '1.30.0' }`. */
  versions: Readonly<Record<string, string>>;
  /** The run's expectation suite (`vajra.expectations` JSON); enables POST /validate. */
  expectations?: unknown;
  /** Explainer data; enables POST /explain (hook, see the server's README section). */
  explainer?: unknown;
  /** Creation time, ms since epoch (from the caller's injected clock). */
  createdAtMs: number;
}

/** Tensor element types the server feeds (onnxruntime names). */
export type TensorType = 'float32' | 'float64' | 'int64' | 'bool' | 'string';

/** One input column as the bundle's scorers check and encode it. */
export interface ServingInput {
  name: string;
  type: ColumnType;
  tensorType: TensorType;
  shape: number[];
  optional: boolean;
}

/**
 * Lag/rolling inputs computed by SQL before the graph: callers send `inputs` (raw source rows, a
 * batch in time order) and the server or batch scorer runs `sql` with DuckDB over them.
 */
export interface DerivedServing {
  /** DuckDB query over a table `input` holding the raw columns (model metadata `vajra.derived_sql`). */
  sql: string;
  /** Graph inputs the SQL computes; callers never send them. */
  columns: string[];
  /** The raw columns a caller sends instead of the graph inputs. */
  inputs: ServingInput[];
  /** Raw columns the SQL reads: every request must hold them as columns (values may be null where optional). */
  sources: string[];
  /** Partition columns, then order columns, of the SQL's windows. */
  order: string[];
}

/** `serving.json`: what the bundle's server, batch and web scorers read at start. */
export interface ServingSpec {
  format: 1;
  modelName: string;
  modelVersion: string;
  runId: string;
  /** The ONNX graph's inputs, in the order the scorer feeds them. */
  inputs: ServingInput[];
  outputs: { name: string; type: ColumnType; tensorType: TensorType; shape: number[] }[];
  versions: Record<string, string>;
  /** Present when some graph inputs are lag/rolling columns derived by SQL (see DerivedServing). */
  derived?: DerivedServing;
  /** Bundle-relative paths, present only when the bundle carries them. */
  expectations?: string;
  explainer?: string;
}

/** The bundle: bundle-relative `/` path → bytes, sorted by path. */
export type BundleFiles = Map<string, Uint8Array>;
