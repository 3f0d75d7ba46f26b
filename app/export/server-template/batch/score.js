#!/usr/bin/env node
// Batch scoring: `node batch/score.js IN.(csv|parquet) OUT.(csv|parquet) [--chunk-rows N] [--threads K]`.
// Streams the input in chunks (memory stays flat for files of any size), scores each chunk with
// the bundle's model, and writes every input column followed by the model outputs (an [N, k]
// output becomes columns name_0 … name_{k-1}), rows in the input's order. Progress goes to stderr.
// A model with lag/rolling inputs (serving.json `derived`) reads raw rows: DuckDB loads the whole
// file, computes those inputs with the model's SQL, and the rows are scored in the input's order.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { csvField } from '../server/lib/csv.js';
import { csvToParquet, parquetToCsv } from '../server/lib/parquet.js';
import { createScorer } from '../server/lib/scorer.js';
import { scoreDerivedCsv } from './derived.js';
import { csvWriter, outputNames, outputText } from './output.js';
import { readCsvChunks } from './read-csv.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = 'usage: node batch/score.js IN.(csv|parquet) OUT.(csv|parquet) [--chunk-rows N] [--threads K] [--quiet]';

function progress(quiet) {
  const tty = process.stderr.isTTY;
  let lastShown = -1;
  const started = performance.now();
  return (done, total, rows, final = false) => {
    if (quiet) return;
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const step = Math.floor(fraction * (tty ? 200 : 10));
    if (step === lastShown && !final) return;
    lastShown = step;
    const width = 30;
    const filled = Math.round(fraction * width);
    const seconds = (performance.now() - started) / 1000;
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${rows} rows  ${seconds > 0 ? Math.round(rows / seconds) : 0} rows/s`;
    process.stderr.write(tty ? `\r${line}${final ? '\n' : ''}` : `${line}\n`);
  };
}

/** Scores CSV `input` into CSV `output` chunk by chunk; returns the number of rows scored. */
async function scoreCsv(spec, scorer, input, output, chunkRows, show) {
  const out = csvWriter(output);
  const rows = await readCsvChunks(spec, input, chunkRows, {
    onHeader: (header) => out.write(`${[...header, ...outputNames(spec)].map(csvField).join(',')}\n`),
    onChunk: async (records, buffers) => {
      const results = await scorer.run(buffers, records.length);
      await out.write(outputText(spec, results, records.length, (r) => records[r].map(csvField).join(',')));
    },
  }, show);
  await out.close();
  show(1, 1, rows, true);
  return rows;
}

function kind(path) {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  throw new Error(`${path}: use a .csv or .parquet file.`);
}

async function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'chunk-rows': { type: 'string' }, threads: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help || positionals.length !== 2) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(values.help ? 0 : 2);
  }
  const [input, output] = positionals;
  const chunkRows = Number(values['chunk-rows'] ?? 8192);
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new Error('--chunk-rows must be a whole number ≥ 1.');
  const spec = JSON.parse(readFileSync(join(root, 'serving.json'), 'utf8'));
  const scorer = await createScorer(spec, join(root, 'model.onnx'), Number(values.threads ?? 1));
  const temp = spec.derived || kind(input) === 'parquet' || kind(output) === 'parquet' ? mkdtempSync(join(tmpdir(), 'vajra-score-')) : undefined;
  try {
    const csvIn = kind(input) === 'parquet' ? join(temp, 'in.csv') : input;
    const csvOut = kind(output) === 'parquet' ? join(temp, 'out.csv') : output;
    if (csvIn !== input) await parquetToCsv(input, csvIn);
    const show = progress(values.quiet);
    const rows = spec.derived ? await scoreDerivedCsv(spec, scorer, csvIn, csvOut, { chunkRows, show, tempDir: temp }) : await scoreCsv(spec, scorer, csvIn, csvOut, chunkRows, show);
    if (csvOut !== output) await csvToParquet(csvOut, output);
    if (!values.quiet) process.stderr.write(`scored ${rows} rows → ${output}\n`);
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
    await scorer.release();
  }
}

main().catch((error) => {
  process.stderr.write(`${error?.message ?? error}\n`);
  process.exit(1);
});
