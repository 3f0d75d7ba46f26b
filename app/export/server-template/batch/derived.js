// Batch scoring of a model with lag/rolling inputs (serving.json `derived`). The windows need
// every row of a partition, so the whole file goes into DuckDB first (on disk under a temp folder
// when it outgrows memory): each row's raw columns, its position and its original CSV fields.
// Then the model's SQL runs once over all rows, and the result streams back in the input's order
// to be scored chunk by chunk. The output is the input rows, in their order, plus the outputs.

import { csvField } from '../server/lib/csv.js';
import { appendRows, createRowsSql, derivedQuery, graphBuffers, loadDuckDb } from '../server/lib/derived.js';
import { requestSpec } from '../server/lib/schema.js';
import { csvWriter, outputNames, outputText } from './output.js';
import { readCsvChunks } from './read-csv.js';

const TABLE = 'input_rows';
const LINE = '__vajra_line';

/** Loads CSV `input` into DuckDB; resolves to the header and the number of rows. */
async function loadRows(spec, connection, input, chunkRows, show) {
  const request = requestSpec(spec);
  let header;
  let appender;
  const rows = await readCsvChunks(request, input, chunkRows, {
    onHeader: async (h) => {
      header = h;
      await connection.run(createRowsSql(TABLE, request.inputs, [LINE]));
      appender = await connection.createAppender(TABLE);
    },
    onChunk: (records, buffers, first) => {
      appendRows(appender, request.inputs, buffers, records.length, first, [records.map((r) => r.map(csvField).join(','))]);
    },
  }, (read, total, n) => show(read, total * 2, n));
  appender.closeSync();
  return { header, rows };
}

/**
 * Scores CSV `input` into CSV `output` for a model whose inputs include SQL-derived lag/rolling
 * columns; `opts`: chunkRows, show (progress), tempDir (DuckDB's spill folder). Resolves to the
 * number of rows scored. Throws a plain Error when DuckDB is not installed or a column the SQL
 * reads is absent.
 */
export async function scoreDerivedCsv(spec, scorer, input, output, opts) {
  const api = await loadDuckDb(spec);
  const instance = await api.DuckDBInstance.create(':memory:', { temp_directory: opts.tempDir });
  const connection = await instance.connect();
  const out = csvWriter(output);
  try {
    const { header, rows } = await loadRows(spec, connection, input, opts.chunkRows, opts.show);
    await out.write(`${[...header, ...outputNames(spec)].map(csvField).join(',')}\n`);
    const result = await connection.stream(derivedQuery(spec, TABLE, [LINE]));
    let columns = [];
    let pending = 0;
    let scored = 0;
    const flush = async () => {
      if (pending === 0) return;
      const merged = columns[0].map((_, k) => columns.flatMap((c) => c[k]));
      const results = await scorer.run(graphBuffers(spec, merged, 2), pending);
      await out.write(outputText(spec, results, pending, (r) => merged[1][r]));
      scored += pending;
      opts.show(rows + scored, rows * 2, scored);
      columns = [];
      pending = 0;
    };
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      columns.push(chunk.getColumns());
      pending += chunk.rowCount;
      if (pending >= opts.chunkRows) await flush();
    }
    await flush();
    await out.close();
    opts.show(1, 1, scored, true);
    return scored;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
