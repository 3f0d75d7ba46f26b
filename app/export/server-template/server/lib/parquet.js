// Parquet for the batch scorer through DuckDB (`@duckdb/node-api`, an optional dependency of the
// server package: `npm ci` installs it where a prebuilt binary exists; the Docker image omits it).
// Parquet is converted to and from CSV in a temporary folder, so scoring itself stays streaming.

function quote(path) {
  return `'${path.replaceAll("'", "''")}'`;
}

async function withDuckDb(fn) {
  let api;
  try {
    api = await import('@duckdb/node-api');
  } catch {
    throw new Error('Parquet files need the optional package @duckdb/node-api: run `npm install` in server/ (or convert the file to CSV).');
  }
  const instance = await api.DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return await fn(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Writes the Parquet file `input` as CSV (header row) to `csvPath`. */
export function parquetToCsv(input, csvPath) {
  return withDuckDb((c) => c.run(`COPY (SELECT * FROM read_parquet(${quote(input)})) TO ${quote(csvPath)} (FORMAT csv, HEADER true)`));
}

/** Writes the CSV file `csvPath` (header row) as Parquet to `output`. */
export function csvToParquet(csvPath, output) {
  return withDuckDb((c) => c.run(`COPY (SELECT * FROM read_csv(${quote(csvPath)}, header = true)) TO ${quote(output)} (FORMAT parquet)`));
}
