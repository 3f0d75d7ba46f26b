// Lag/rolling inputs computed from the rows, with the very DuckDB SQL the model was trained and
// evaluated with (serving.json `derived.sql`, a query over a table named `input`). The raw rows
// (checked and encoded by schema.js against `derived.inputs`) go into a DuckDB table with their
// position, the SQL runs over it, and the graph inputs come back in the rows' own order.
// Missing values reach DuckDB as NULL, as in the app's tables, so a lag with no history is NULL
// and feeds the graph as NaN (text: '').

const ROW = '__vajra_row';

/** Loads the optional `@duckdb/node-api`, or throws a plain Error saying how to install it. */
export async function loadDuckDb(spec) {
  try {
    return await import('@duckdb/node-api');
  } catch {
    const columns = spec.derived.columns.join(', ');
    throw new Error(`This model computes its lag/rolling inputs (${columns}) from the rows with DuckDB, which is not installed: run \`npm ci\` (without --omit=optional) or \`npm install @duckdb/node-api\` in server/.`);
  }
}

export function quoteIdent(name) {
  return `"${name.replaceAll('"', '""')}"`;
}

function sqlType(input) {
  switch (input.tensorType) {
    case 'float32':
    case 'float64': return 'DOUBLE';
    case 'int64': return 'BIGINT';
    case 'bool': return 'BOOLEAN';
    case 'string': return 'VARCHAR';
    default: throw new Error(`unsupported tensor type ${input.tensorType} for column "${input.name}"`);
  }
}

/** `CREATE TABLE` for the raw rows: their position, the raw columns, then `extra` VARCHAR columns. */
export function createRowsSql(table, inputs, extra = []) {
  const columns = [`${ROW} BIGINT`, ...inputs.map((i) => `${quoteIdent(i.name)} ${sqlType(i)}`), ...extra.map((name) => `${quoteIdent(name)} VARCHAR`)];
  return `CREATE TABLE ${quoteIdent(table)} (${columns.join(', ')})`;
}

/** Appends rows [0, n) of schema.js buffers (one per input); `extra[k][r]` fills the extra columns. */
export function appendRows(appender, inputs, buffers, n, firstRow, extra = []) {
  for (let r = 0; r < n; r++) {
    appender.appendBigInt(BigInt(firstRow + r));
    for (let i = 0; i < inputs.length; i++) {
      const v = buffers[i][r];
      switch (inputs[i].tensorType) {
        case 'float32':
        case 'float64':
          if (Number.isNaN(v)) appender.appendNull();
          else appender.appendDouble(v);
          break;
        case 'int64': appender.appendBigInt(v); break;
        case 'bool': appender.appendBoolean(v === 1); break;
        default: appender.appendVarchar(v);
      }
    }
    for (const column of extra) appender.appendVarchar(column[r]);
    appender.endRow();
  }
}

/**
 * The query giving, per raw row in the rows' order: the row position, the `extra` columns, then
 * every graph input (numbers as DOUBLE, text as VARCHAR).
 */
export function derivedQuery(spec, table, extra = []) {
  const cast = (i) => `CAST(${quoteIdent(i.name)} AS ${i.tensorType === 'string' ? 'VARCHAR' : 'DOUBLE'})`;
  const select = [ROW, ...extra.map(quoteIdent), ...spec.inputs.map(cast)].join(', ');
  return `WITH input AS (SELECT * FROM ${quoteIdent(table)}) SELECT ${select} FROM (${spec.derived.sql}) ORDER BY ${ROW}`;
}

/** Graph input buffers from query columns (as `derivedQuery` orders them, from index `first`). */
export function graphBuffers(spec, columns, first) {
  return spec.inputs.map((input, k) => {
    const values = columns[first + k];
    switch (input.tensorType) {
      case 'float32': return Float32Array.from(values, (v) => (v === null ? NaN : v));
      case 'float64': return Float64Array.from(values, (v) => (v === null ? NaN : v));
      case 'string': return values.map((v) => (v === null ? '' : v));
      default: throw new Error(`input "${input.name}" (${input.tensorType}) cannot come from the lag/rolling SQL`);
    }
  });
}

/**
 * For the server: `derive(rawBuffers, n)` runs the SQL over one request's rows and resolves to the
 * graph's input buffers, row for row. Undefined when the model derives nothing. One in-memory
 * DuckDB with one thread; each request gets its own connection and table.
 */
export async function createDeriver(spec) {
  if (!spec.derived) return undefined;
  const api = await loadDuckDb(spec);
  const instance = await api.DuckDBInstance.create(':memory:', { threads: '1' });
  const inputs = spec.derived.inputs;
  let next = 0;
  return {
    async derive(buffers, n) {
      const table = `request_${next++}`;
      const connection = await instance.connect();
      try {
        await connection.run(createRowsSql(table, inputs));
        const appender = await connection.createAppender(table);
        appendRows(appender, inputs, buffers, n, 0);
        appender.closeSync();
        const reader = await connection.runAndReadAll(derivedQuery(spec, table));
        return graphBuffers(spec, reader.getColumns(), 1);
      } finally {
        await connection.run(`DROP TABLE IF EXISTS ${quoteIdent(table)}`).catch(() => undefined);
        connection.closeSync();
      }
    },
    close() {
      instance.closeSync();
    },
  };
}
