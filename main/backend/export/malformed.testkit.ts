// Malformed requests for the classifier bundle (inputs age: double optional, income: double,
// city: string; outputs label, probabilities) and the status + message each must get.

/** One bad request and what the server must answer. */
export interface BadRequest {
  name: string;
  path: string;
  method?: string;
  type?: string;
  body?: string | Uint8Array<ArrayBuffer>;
  status: number;
  message: RegExp;
}

const J = 'application/json';
const cols = ['age', 'income', 'city'];
const split = (value: unknown) => JSON.stringify({ dataframe_split: value });
const records = (value: unknown) => JSON.stringify({ dataframe_records: value });
const huge = `{"dataframe_records": [${Array.from({ length: 260_000 }, () => '{"age": 30, "income": 1, "city": "Pune"}').join(',')}]}`;

function inv(name: string, body: string | Uint8Array<ArrayBuffer> | undefined, status: number, message: RegExp, type: string | null = J): BadRequest {
  return { name, path: '/invocations', ...(type !== null ? { type } : {}), ...(body !== undefined ? { body } : {}), status, message };
}

/** At least 30 bad requests against POST /invocations (and its neighbours). */
export const MALFORMED_MLFLOW: readonly BadRequest[] = [
  inv('empty body', '', 400, /body is empty/),
  inv('invalid JSON', '{"dataframe_split": ', 400, /not valid JSON/),
  inv('top-level list', '[1, 2]', 400, /must be an object/),
  inv('top-level null', 'null', 400, /must be an object/),
  inv('top-level string', '"rows"', 400, /must be an object/),
  inv('no known key', '{}', 400, /none of the keys/),
  inv('two keys', JSON.stringify({ dataframe_split: { columns: cols, data: [] }, instances: [] }), 400, /use exactly one/),
  inv('unknown key', JSON.stringify({ rows: [] }), 400, /Unknown key "rows"/),
  inv('dataframe_split not an object', split([1]), 400, /must be an object with "columns"/),
  inv('dataframe_split without columns', split({ data: [[1, 2, 'Pune']] }), 400, /"columns" must be a list/),
  inv('dataframe_split data not a list', split({ columns: cols, data: 'x' }), 400, /"data" must be a list/),
  inv('dataframe_split unknown key', split({ columns: cols, data: [], orient: 'split' }), 400, /unknown key "orient"/),
  inv('unknown column', split({ columns: ['age', 'incme', 'city'], data: [[1, 2, 'Pune']] }), 400, /unknown column "incme"/),
  inv('missing required column', split({ columns: ['age', 'city'], data: [[1, 'Pune']] }), 400, /missing required column "income"/),
  inv('duplicate column', split({ columns: ['age', 'income', 'city', 'city'], data: [[1, 2, 'a', 'b']] }), 400, /"city" appears twice/),
  inv('short row', split({ columns: cols, data: [[1, 2]] }), 400, /row 0: has 2 values for 3 columns/),
  inv('row not a list', split({ columns: cols, data: [{ age: 1 }] }), 400, /row 0: expected a list of 3 values/),
  inv('text in a number column', split({ columns: cols, data: [[1, 'lots', 'Pune']] }), 400, /"income", row 0: expected a number \(double\), got the text "lots"/),
  inv('number in a text column', split({ columns: cols, data: [[1, 2, 7]] }), 400, /"city", row 0: expected text \(string\), got number 7/),
  inv('boolean in a number column', split({ columns: cols, data: [[1, true, 'Pune']] }), 400, /"income", row 0: expected a number/),
  inv('list in a number column', split({ columns: cols, data: [[1, [2], 'Pune']] }), 400, /got a list/),
  inv('null in a required column', split({ columns: cols, data: [[1, null, 'Pune']] }), 400, /"income", row 0: missing value, but the column is required/),
  inv('number too large for a double', '{"dataframe_split": {"columns": ["age", "income", "city"], "data": [[1, 1e400, "Pune"]]}}', 400, /"income", row 0: expected a number/),
  inv('no rows', split({ columns: cols, data: [] }), 400, /no rows/),
  inv('index not as long as data', split({ columns: cols, data: [[1, 2, 'Pune']], index: [0, 1] }), 400, /"index" must be a list as long as "data"/),
  inv('dataframe_records not a list', records({ age: 1 }), 400, /must be a list of row objects/),
  inv('dataframe_records empty', records([]), 400, /holds no rows/),
  inv('dataframe_records row not an object', records([[1, 2, 'Pune']]), 400, /row 0: expected an object/),
  inv('dataframe_records extra column', records([{ age: 1, income: 2, city: 'Pune', zip: 411 }]), 400, /unknown column "zip"/),
  inv('dataframe_records missing value in row 1', records([{ age: 1, income: 2, city: 'Pune' }, { age: 1, city: 'Goa' }]), 400, /"income", row 1: missing value/),
  inv('instances not a list', JSON.stringify({ instances: { age: [1] } }), 400, /"instances" must be a list/),
  inv('inputs columns of unequal length', JSON.stringify({ inputs: { age: [1, 2], income: [1], city: ['a', 'b'] } }), 400, /"income" has 1 values, others have 2/),
  inv('inputs column not a list', JSON.stringify({ inputs: { age: 1, income: [1], city: ['a'] } }), 400, /column "age" must be a list/),
  inv('wrong content type', records([{ age: 1, income: 2, city: 'Pune' }]), 415, /Content-Type "text\/plain" is not supported/, 'text/plain'),
  inv('no content type', new TextEncoder().encode(records([{ age: 1, income: 2, city: 'Pune' }])), 415, /Content-Type "\(none\)"/, null),
  inv('form content type', 'age=1', 415, /application\/x-www-form-urlencoded/, 'application/x-www-form-urlencoded'),
  inv('CSV unknown header column', 'age,income,town\n1,2,Pune\n', 400, /CSV: unknown column "town"/, 'text/csv'),
  inv('CSV quote never closed', 'age,income,city\n1,2,"Pune\n', 400, /quoted field is never closed/, 'text/csv'),
  inv('CSV header only', 'age,income,city\n', 400, /header but no data rows/, 'text/csv'),
  inv('CSV bad number', 'age,income,city\n1,2x,Pune\n', 400, /"income", row 0: expected a number/, 'text/csv'),
  inv('CSV short row', 'age,income,city\n1,2\n', 400, /row 0: has 2 values for 3 columns/, 'text/csv'),
  inv('CSV empty body', '', 400, /body is empty/, 'text/csv'),
  inv('body over 10 MB', huge, 413, /larger than the limit of 10485760 bytes/),
  { name: 'GET /invocations', path: '/invocations', method: 'GET', status: 405, message: /GET is not allowed here; use POST/ },
  { name: 'unknown route', path: '/predict', body: '{}', type: J, status: 404, message: /No route POST \/predict/ },
];

const v2 = (body: unknown) => JSON.stringify(body);
const t = (name: string, datatype: string, data: unknown[], shape: number[] = [data.length, 1]) => ({ name, datatype, shape, data });
const good = () => [t('age', 'FP32', [30]), t('income', 'FP32', [50]), t('city', 'BYTES', ['Pune'])];
const INFER = '/v2/models/vajra-run-clf-1/infer';

function infer(name: string, body: string | undefined, status: number, message: RegExp, extra: Partial<BadRequest> = {}): BadRequest {
  return { name, path: INFER, type: J, ...(body !== undefined ? { body } : {}), status, message, ...extra };
}

function withInput(index: number, tensor: unknown): unknown[] {
  const inputs: unknown[] = good();
  inputs[index] = tensor;
  return inputs;
}

/** At least 30 bad requests against the KServe v2 routes. */
export const MALFORMED_V2: readonly BadRequest[] = [
  infer('empty body', '', 400, /body is empty/),
  infer('invalid JSON', '{"inputs": [', 400, /not valid JSON/),
  infer('top-level list', '[]', 400, /must be a JSON object with "inputs"/),
  infer('no inputs key', v2({ id: 'x' }), 400, /"inputs" must be a non-empty list/),
  infer('inputs empty', v2({ inputs: [] }), 400, /"inputs" must be a non-empty list/),
  infer('inputs not a list', v2({ inputs: { age: [1] } }), 400, /"inputs" must be a non-empty list/),
  infer('tensor without a name', v2({ inputs: [{ datatype: 'FP32', shape: [1], data: [1] }] }), 400, /inputs\[0\] must be an object with a "name"/),
  infer('unknown tensor', v2({ inputs: [...good(), t('zip', 'FP32', [1])] }), 400, /Unknown input tensor "zip"/),
  infer('duplicate tensor', v2({ inputs: [...good(), t('age', 'FP32', [1])] }), 400, /"age" appears twice/),
  infer('datatype missing', v2({ inputs: withInput(0, { name: 'age', shape: [1, 1], data: [1] }) }), 400, /"datatype" is missing/),
  infer('BYTES for a number input', v2({ inputs: withInput(1, t('income', 'BYTES', ['5'])) }), 400, /datatype BYTES does not fit input "income" \(expected FP32\)/),
  infer('FP32 for a text input', v2({ inputs: withInput(2, t('city', 'FP32', [1])) }), 400, /datatype FP32 does not fit input "city" \(expected BYTES\)/),
  infer('unknown datatype', v2({ inputs: withInput(1, t('income', 'COMPLEX64', [1])) }), 400, /datatype COMPLEX64 does not fit/),
  infer('data not a list', v2({ inputs: withInput(1, { name: 'income', datatype: 'FP32', shape: [1], data: 5 }) }), 400, /"data" must be a list/),
  infer('shape missing', v2({ inputs: withInput(1, { name: 'income', datatype: 'FP32', data: [5] }) }), 400, /"shape" must be \[N\] or \[N, 1\]/),
  infer('shape with two columns', v2({ inputs: withInput(1, t('income', 'FP32', [1, 2], [1, 2])) }), 400, /has 2 columns; each input is one column/),
  infer('shape of rank 3', v2({ inputs: withInput(1, t('income', 'FP32', [1], [1, 1, 1])) }), 400, /"shape" must be \[N\] or \[N, 1\]/),
  infer('negative shape', v2({ inputs: withInput(1, t('income', 'FP32', [1], [-1, 1])) }), 400, /"shape" must be/),
  infer('shape and data disagree', v2({ inputs: withInput(1, t('income', 'FP32', [1, 2], [3, 1])) }), 400, /needs 3 values, "data" has 2/),
  infer('row counts differ', v2({ inputs: withInput(1, t('income', 'FP32', [1, 2])) }), 400, /has 2 rows, other inputs have 1/),
  infer('required input missing', v2({ inputs: [t('age', 'FP32', [1]), t('city', 'BYTES', ['Pune'])] }), 400, /Missing input tensor "income"/),
  infer('text in FP32 data', v2({ inputs: withInput(1, t('income', 'FP32', ['lots'])) }), 400, /"income", row 0: expected a number/),
  infer('null in a required input', v2({ inputs: withInput(1, t('income', 'FP32', [null])) }), 400, /"income", row 0: missing value/),
  infer('number in BYTES data', v2({ inputs: withInput(2, t('city', 'BYTES', [3])) }), 400, /"city", row 0: expected text/),
  infer('zero rows', v2({ inputs: [t('age', 'FP32', [], [0, 1]), t('income', 'FP32', [], [0, 1]), t('city', 'BYTES', [], [0, 1])] }), 400, /no rows/),
  infer('unknown output requested', v2({ inputs: good(), outputs: [{ name: 'proba' }] }), 400, /Unknown output "proba"/),
  infer('outputs not a list of names', v2({ inputs: good(), outputs: ['label'] }), 400, /"outputs" must be a list of/),
  infer('unknown top-level key', v2({ inputs: good(), model: 'x' }), 400, /Unknown key "model"/),
  infer('id not a string', v2({ id: 7, inputs: good() }), 400, /"id" must be a string/),
  infer('wrong content type', v2({ inputs: good() }), 415, /Content-Type "text\/plain" is not supported/, { type: 'text/plain' }),
  infer('unknown model', v2({ inputs: good() }), 404, /Unknown model "other"/, { path: '/v2/models/other/infer' }),
  infer('unknown version', v2({ inputs: good() }), 404, /version "9"/, { path: '/v2/models/vajra-run-clf-1/versions/9/infer' }),
  infer('GET infer', undefined, 405, /GET is not allowed here; use POST/, { method: 'GET', type: undefined }),
  infer('POST to metadata', v2({}), 405, /POST is not allowed here; use GET/, { path: '/v2/models/vajra-run-clf-1' }),
  infer('body over 10 MB', `{"inputs": [{"name": "age", "datatype": "FP32", "shape": [1], "data": [${'1,'.repeat(5_500_000)}1]}]}`, 413, /larger than the limit/),
  infer('unknown v2 route', undefined, 404, /No route GET \/v2\/repository/, { path: '/v2/repository', method: 'GET' }),
];
