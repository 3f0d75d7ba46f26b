import { stringify } from 'yaml';
import { requestInputs } from './derived';
import type { Cell, ServingSpec } from './types';

const V2_TYPES: Record<string, string> = { float32: 'FP32', float64: 'FP64', int64: 'INT64', bool: 'BOOL', string: 'BYTES' };

/**
 * Dockerfile: node:22-slim, `npm ci --omit=dev` in server/ (also `--omit=optional`, leaving DuckDB
 * out, unless the model derives lag/rolling inputs with SQL), non-root, healthcheck.
 */
export function dockerfile(spec: Pick<ServingSpec, 'derived'>): string {
  const duckdb = spec.derived
    ? `# onnxruntime-node's CPU binaries ship in its npm tarball. DuckDB (@duckdb/node-api) computes this
# model's lag/rolling inputs from the request rows, so the image installs it.
RUN cd server && npm ci --omit=dev --no-audit --no-fund && npm cache clean --force`
    : `# onnxruntime-node's CPU binaries ship in its npm tarball; the optional DuckDB (Parquet batch
# scoring) is left out of the image.
RUN cd server && npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force`;
  return `# Model server of a Vajra bundle: docker build -t my-model . && docker run -p 8080:8080 my-model
FROM node:22-slim
ENV NODE_ENV=production \\
    ONNXRUNTIME_NODE_INSTALL=skip \\
    HOST=0.0.0.0 \\
    PORT=8080
WORKDIR /bundle
COPY server/package.json server/package-lock.json server/
${duckdb}
COPY . .
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \\
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/ping').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "server/index.js"]
`;
}

/** .dockerignore: never copy a local node_modules into the image. */
export function dockerignore(): string {
  return 'server/node_modules\n**/node_modules\n*.zip\n';
}

/** kserve.yaml: an InferenceService running the bundle's image as a custom predictor. */
export function kserveYaml(spec: ServingSpec): string {
  const probe = (path: string) => ({ httpGet: { path, port: 8080 }, initialDelaySeconds: 2, periodSeconds: 10 });
  return stringify({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: spec.modelName, annotations: { 'vajra.dev/run-id': spec.runId } },
    spec: {
      predictor: {
        containers: [{
          name: 'kserve-container',
          image: `REGISTRY/${spec.modelName}:${spec.modelVersion}`,
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          env: [{ name: 'HOST', value: '0.0.0.0' }, { name: 'PORT', value: '8080' }],
          readinessProbe: probe('/v2/health/ready'),
          livenessProbe: probe('/v2/health/live'),
          resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
        }],
      },
    },
  });
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** The curl commands of the README (also what the UI's "copy curl command" button offers). */
export function curlExamples(spec: ServingSpec, example: { columns: string[]; data: Cell[][] }, base = 'http://127.0.0.1:8080'): { title: string; command: string }[] {
  const first = example.data.slice(0, 1);
  const records = first.map((row) => Object.fromEntries(example.columns.map((c, i) => [c, row[i] ?? null])));
  const csv = [example.columns.join(','), ...first.map((row) => row.map((v) => (v === null ? '' : typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : String(v))).join(','))].join('\n');
  const v2 = { inputs: requestInputs(spec).map((input) => ({ name: input.name, shape: [first.length, 1], datatype: V2_TYPES[input.tensorType], data: first.map((row) => row[example.columns.indexOf(input.name)] ?? null) })) };
  const post = (path: string, type: string, body: string) => `curl -s ${base}${path} -H 'Content-Type: ${type}' --data-binary ${shellQuote(body)}`;
  return [
    { title: 'MLflow, dataframe_split', command: post('/invocations', 'application/json', JSON.stringify({ dataframe_split: { columns: example.columns, data: first } })) },
    { title: 'MLflow, dataframe_records', command: post('/invocations', 'application/json', JSON.stringify({ dataframe_records: records })) },
    { title: 'MLflow, CSV', command: post('/invocations', 'text/csv', `${csv}\n`) },
    { title: 'KServe v2', command: post(`/v2/models/${spec.modelName}/infer`, 'application/json', JSON.stringify(v2)) },
  ];
}

/** The README's section on lag/rolling inputs computed from the request rows ('' without them). */
function derivedSection(spec: ServingSpec): string {
  const d = spec.derived;
  if (!d) return '';
  const list = (names: readonly string[]) => names.map((c) => `\`${c}\``).join(', ');
  const keys = d.order.length > 0 ? ` (windows over ${list(d.order)})` : '';
  return `
### Lag and rolling inputs

The model also takes ${list(d.columns)}: lag/rolling columns that DuckDB computes from the rows of
each request${keys}, with the very SQL Vajra trained and evaluated with (\`serving.json\` →
\`derived.sql\`). Do not send them. Send raw source rows instead, as one batch holding, per
partition, the history rows and then the rows to score (time order is easiest to read; the SQL
itself orders each partition by time, so rows tied on time within a partition have no defined
order). Every row gets a prediction, in the order sent. A row whose lag or window reaches before the first row of the batch gets a missing
value (NaN) there, exactly as the first rows of the training data did, and the model handles it as
it did in training (trees route it as missing; an Impute step fills it). So send at least as many
history rows as the longest lag or window. Columns the SQL reads but the model does not take
directly (such as a lagged target) may be null on the rows being forecast. The server needs
\`@duckdb/node-api\` (installed by \`npm ci\` in server/; the Docker image includes it).
`;
}

/** README.md: what the bundle is, how to run each part, and curl examples from the input example. */
export function readme(spec: ServingSpec, example: { columns: string[]; data: Cell[][] }, files: readonly string[]): string {
  const columns = requestInputs(spec).map((i) => `| \`${i.name}\` | ${i.type} | ${i.optional ? 'yes' : 'no'} |`).join('\n');
  const outputs = spec.outputs.map((o) => `| \`${o.name}\` | ${o.type} | [${o.shape.join(', ')}] |`).join('\n');
  const curls = curlExamples(spec, example).map((c) => `${c.title}:\n\n\`\`\`sh\n${c.command}\n\`\`\``).join('\n\n');
  return `# ${spec.modelName}

The model of Vajra run \`${spec.runId}\`, ready to deploy without Vajra and without Python.
\`model.onnx\` is the whole pipeline (preprocessing inside); every part of this folder scores that
same file. \`manifest.json\` lists the SHA-256 of every file (\`vajra verify .\` checks it).

## Inputs

| column | type | may be missing |
|---|---|---|
${columns}

Missing values: JSON \`null\` or an empty CSV cell, only where allowed above.
${derivedSection(spec)}
## Outputs

| output | type | shape |
|---|---|---|
${outputs}

## Serve with Node (no Python)

\`\`\`sh
cd server && npm ci --omit=dev && cd ..      # onnxruntime-node (CPU binaries are in the package)
node server/index.js --port 8080 --host 127.0.0.1
\`\`\`

Options (or environment variables): \`--port\` (PORT, default 8080), \`--host\` (HOST, default
127.0.0.1), \`--max-body-bytes\` (MAX_BODY_BYTES, default 10 MB), \`--timeout-ms\` (TIMEOUT_MS,
default 30 s), \`--threads\` (THREADS, default 1). SIGTERM finishes in-flight requests, then exits 0.

Routes (see \`openapi.yaml\`): MLflow scoring protocol \`POST /invocations\` (JSON
\`dataframe_split\`, \`dataframe_records\`, \`instances\`, \`inputs\`, or \`text/csv\`), \`GET /ping\`,
\`/health\`, \`/version\`; KServe Open Inference Protocol v2 \`GET /v2/health/live\`,
\`/v2/health/ready\`, \`GET /v2/models/${spec.modelName}\`, \`/ready\`, \`POST /v2/models/${spec.modelName}/infer\`;
\`POST /validate\` ${spec.expectations ? "(the run's row-level expectations)" : '(404: this run has no expectations)'};
\`POST /explain\` ${spec.explainer ? '(same bodies as /invocations; answers {"explanations": [{"output", "base_value", "attributions": {raw column: value}}]} per row, exact SHAP with base_value + Σ attributions = output; what `output` is: see openapi.yaml)' : '(404: exported without an explainer)'}.
Errors are JSON \`{"error_code": …, "message": …}\` with status 400, 404, 405, 413 or 415.

\`/invocations\` answers \`{"predictions": [ … ]}\` with one object per row, keyed by output name,
as MLflow's onnx flavor returns a DataFrame with one column per output.

${curls}

## Docker and KServe

\`\`\`sh
docker build -t ${spec.modelName}:${spec.modelVersion} .
docker run --rm -p 8080:8080 ${spec.modelName}:${spec.modelVersion}
\`\`\`

\`kserve.yaml\` is an InferenceService for that image (replace \`REGISTRY\`).

## Serve with MLflow (optional, needs Python)

\`MLmodel\` is a valid MLflow Model (flavors \`onnx\` and \`python_function\`):
\`mlflow models serve -m . --env-manager virtualenv\` (or \`conda\`, or \`local\` after
\`pip install -r requirements.txt\`).${spec.derived ? `
MLflow's onnx flavor does not run this model's lag/rolling SQL: served that way it needs the
derived columns (${spec.derived.columns.map((c) => `\`${c}\``).join(', ')}) in each request. Prefer the Node server.` : ''}

## Batch scoring

\`\`\`sh
node batch/score.js input.csv scored.csv        # any size, streamed in chunks, progress on stderr
node batch/score.js input.parquet scored.parquet  # needs the optional @duckdb/node-api (npm ci in server/)
\`\`\`

The output holds every input column, then the outputs (an [N, k] output as \`name_0\` … \`name_{k-1}\`).
${spec.derived ? `Rows come out in the input's order. This model's lag/rolling inputs are computed by DuckDB over
the whole file first (so \`@duckdb/node-api\` is needed for CSV too): give it the full history.
` : ''}
## In the browser

Serve this folder over HTTP (for example \`python3 -m http.server\`) and open \`/web/\`: the page
scores with onnxruntime-web. \`web/score.js\` is an ES module (\`createWebScorer()\`) for your own
pages and edge runtimes. It loads onnxruntime-web from \`web/ort/\` when present, else from jsDelivr.${spec.derived ? `
It cannot run the lag/rolling SQL: rows given to it must already hold ${spec.derived.columns.map((c) => `\`${c}\``).join(', ')}
(null where there is no history), and it refuses rows without them.` : ''}

## Files

${files.map((f) => `- \`${f}\``).join('\n')}
`;
}
