import { stringify } from 'yaml';
import { requestInputs } from './derived';
import type { ColumnType, ServingSpec } from './types';

type Schema = Record<string, unknown>;

const JSON_TYPES: Record<ColumnType, Schema> = {
  double: { type: 'number' },
  float: { type: 'number', format: 'float' },
  long: { type: 'integer', format: 'int64' },
  string: { type: 'string' },
  boolean: { type: 'boolean' },
};

function cell(type: ColumnType, optional: boolean): Schema {
  return optional ? { ...JSON_TYPES[type], nullable: true } : JSON_TYPES[type];
}

const errorRef = { $ref: '#/components/schemas/Error' };

function errors(...codes: number[]): Record<string, unknown> {
  const text: Record<number, string> = {
    400: 'The request does not fit the signature (wrong column or type, missing value, bad JSON or CSV).',
    404: 'Unknown model name or version, or the feature is not in this bundle.',
    405: 'Wrong HTTP method.',
    413: 'The body is larger than the limit (--max-body-bytes, default 10 MB).',
    415: 'Unsupported Content-Type.',
    500: 'The model failed on the request.',
    501: 'Not implemented by this bundle.',
  };
  return Object.fromEntries(codes.map((c) => [String(c), { description: text[c] ?? 'Error', content: { 'application/json': { schema: errorRef } } }]));
}

function ok(description: string, schema: Schema, type = 'application/json'): Record<string, unknown> {
  return { '200': { description, content: { [type]: { schema } } } };
}

function scoringBody(spec: ServingSpec, example: unknown): Schema {
  return {
    required: true,
    content: {
      'application/json': { schema: { $ref: '#/components/schemas/MlflowRequest' }, example },
      'text/csv': { schema: { type: 'string' }, example: requestInputs(spec).map((i) => i.name).join(',') },
    },
  };
}

function components(spec: ServingSpec): Schema {
  const inputs = requestInputs(spec);
  const row: Schema = {
    type: 'object',
    additionalProperties: false,
    required: inputs.filter((i) => !i.optional).map((i) => i.name),
    properties: Object.fromEntries(inputs.map((i) => [i.name, cell(i.type, i.optional)])),
    ...(spec.derived ? { description: `A raw source row. ${derivedText(spec.derived.columns)}` } : {}),
  };
  const tensor: Schema = { type: 'object', required: ['name', 'shape', 'datatype', 'data'], properties: { name: { type: 'string' }, shape: { type: 'array', items: { type: 'integer' } }, datatype: { type: 'string' }, data: { type: 'array', items: {} } } };
  const prediction: Schema = { type: 'object', properties: Object.fromEntries(spec.outputs.map((o) => [o.name, o.shape.length === 2 && o.shape[1] !== 1 ? { type: 'array', items: JSON_TYPES[o.type] } : JSON_TYPES[o.type]])) };
  return {
    schemas: {
      Row: row,
      MlflowRequest: {
        type: 'object',
        description: 'Exactly one of dataframe_split, dataframe_records, instances, inputs (params is accepted and ignored).',
        properties: {
          dataframe_split: { type: 'object', required: ['columns', 'data'], properties: { columns: { type: 'array', items: { type: 'string' } }, data: { type: 'array', items: { type: 'array', items: {} } }, index: { type: 'array', items: {} } } },
          dataframe_records: { type: 'array', items: { $ref: '#/components/schemas/Row' } },
          instances: { type: 'array', items: { $ref: '#/components/schemas/Row' } },
          inputs: { oneOf: [{ type: 'object', additionalProperties: { type: 'array', items: {} } }, { type: 'array', items: { $ref: '#/components/schemas/Row' } }] },
          params: { type: 'object' },
        },
      },
      Prediction: prediction,
      Tensor: tensor,
      InferRequest: { type: 'object', required: ['inputs'], properties: { id: { type: 'string' }, parameters: { type: 'object' }, inputs: { type: 'array', items: { $ref: '#/components/schemas/Tensor' } }, outputs: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } } } },
      InferResponse: { type: 'object', properties: { model_name: { type: 'string' }, model_version: { type: 'string' }, id: { type: 'string' }, outputs: { type: 'array', items: { $ref: '#/components/schemas/Tensor' } } } },
      Error: { type: 'object', required: ['error_code', 'message'], properties: { error_code: { type: 'string' }, message: { type: 'string' }, error: { type: 'string', description: 'KServe v2 routes: same text as message.' } } },
    },
  };
}

const EXPLAIN_OUTPUT = '`output` is the model output being explained, before any link function: for a binary classifier the positive-class (second class) log-odds for boosted trees and logistic regression, or the positive-class probability for random forests; for a multiclass model the logit of the class in explainer.json `outputClass`; for a regression the predicted value. explainer.json `output` names which (log_odds, logit, probability, value). Attributions are exact (TreeSHAP / linear SHAP) on the model features, summed to the raw column each feature derives from.';

const EXPLANATIONS = {
  type: 'object',
  properties: {
    explanations: {
      type: 'array',
      items: { type: 'object', properties: { output: { type: 'number' }, base_value: { type: 'number' }, attributions: { type: 'object', additionalProperties: { type: 'number' } } }, required: ['output', 'base_value', 'attributions'] },
    },
  },
};

function derivedText(columns: readonly string[]): string {
  return `The lag/rolling inputs ${columns.join(', ')} are computed by the server (DuckDB, the SQL in serving.json derived.sql) over the rows of the request: send one batch in time order per partition, history rows first; do not send these columns. Rows without enough history get NaN there, which the model handles as missing, as in training. One prediction per row, in the order sent.`;
}

/** `openapi.yaml` (OpenAPI 3.0.3) describing every route the bundle server answers. */
export function openapiYaml(spec: ServingSpec, example: unknown): string {
  const name = spec.modelName;
  const get = (summary: string, responses: Record<string, unknown>) => ({ get: { summary, responses } });
  const text = { type: 'string' };
  const v2Model = (suffix: string) => `/v2/models/${name}${suffix}`;
  const v2Versioned = (suffix: string) => `/v2/models/${name}/versions/${spec.modelVersion}${suffix}`;
  const infer = { post: { summary: `KServe v2 inference: one named tensor per input column ([N] or [N, 1]; BYTES for text)${spec.derived ? ': the raw columns of GET /v2/models/{name}; lag/rolling inputs are computed from them' : ''}.`, requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/InferRequest' } } } }, responses: { ...ok('Output tensors.', { $ref: '#/components/schemas/InferResponse' }), ...errors(400, 404, 413, 415, 500) } } };
  const metadata = get('KServe v2 model metadata: inputs and outputs with datatype and shape.', { ...ok('Model metadata.', { type: 'object' }), ...errors(404) });
  const ready = get('KServe v2 model readiness.', { ...ok('Ready.', { type: 'object' }), ...errors(404) });
  const doc = {
    openapi: '3.0.3',
    info: { title: `${name} (Vajra bundle)`, version: spec.modelVersion, description: `Serves run ${spec.runId} with onnxruntime-node.${spec.derived ? ` ${derivedText(spec.derived.columns)}` : ''}` },
    servers: [{ url: 'http://127.0.0.1:8080' }],
    paths: {
      '/invocations': { post: { summary: 'MLflow scoring protocol.', requestBody: scoringBody(spec, example), responses: { ...ok('One prediction per row.', { type: 'object', properties: { predictions: { type: 'array', items: { $ref: '#/components/schemas/Prediction' } } } }), ...errors(400, 413, 415, 500) } } },
      '/ping': get('Liveness (MLflow).', ok('Alive.', text, 'text/plain')),
      '/health': get('Liveness (MLflow).', ok('Alive.', text, 'text/plain')),
      '/version': get('Bundle, model and runtime versions.', ok('Versions.', { type: 'object' })),
      '/validate': { post: { summary: "Applies the run's row-level expectations to the rows (same bodies as /invocations).", requestBody: scoringBody(spec, example), responses: { ...ok('Validation report.', { type: 'object' }), ...errors(400, 404, 413, 415) } } },
      '/explain': { post: { summary: 'Per-row exact SHAP attributions by raw input column (when the bundle carries an explainer).', description: EXPLAIN_OUTPUT, requestBody: scoringBody(spec, example), responses: { ...ok('One explanation per row; base_value + Σ attributions = output.', EXPLANATIONS), ...errors(400, 404, 413, 415) } } },
      '/openapi.yaml': get('This document.', ok('OpenAPI document.', text, 'application/yaml')),
      '/v2': get('KServe v2 server metadata.', ok('Server metadata.', { type: 'object' })),
      '/v2/health/live': get('KServe v2 liveness.', ok('Live.', { type: 'object' })),
      '/v2/health/ready': get('KServe v2 readiness.', ok('Ready.', { type: 'object' })),
      [v2Model('')]: metadata,
      [v2Model('/ready')]: ready,
      [v2Model('/infer')]: infer,
      [v2Versioned('')]: metadata,
      [v2Versioned('/ready')]: ready,
      [v2Versioned('/infer')]: infer,
    },
    components: components(spec),
  };
  return stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}
