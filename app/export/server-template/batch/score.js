#!/usr/bin/env node
// Batch scoring: `node batch/score.js IN.(csv|parquet) OUT.(csv|parquet) [--chunk-rows N] [--threads K]`.
// Streams the input in chunks (memory stays flat for files of any size), scores each chunk with
// the bundle's model, and writes every input column followed by the model outputs (an [N, k]
// output becomes columns name_0 … name_{k-1}). Progress goes to stderr.

import { Buffer } from 'node:buffer';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CsvParser, csvField } from '../server/lib/csv.js';
import { csvToParquet, parquetToCsv } from '../server/lib/parquet.js';
import { encodeSplit, RequestError } from '../server/lib/schema.js';
import { createScorer } from '../server/lib/scorer.js';

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

/** Scores CSV `input` into CSV `output`; returns the number of rows scored. */
async function scoreCsv(spec, scorer, input, output, chunkRows, show) {
  const total = statSync(input).size;
  const out = createWriteStream(output);
  const write = async (text) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const parser = new CsvParser();
  let header;
  let pick;
  let chunk = [];
  let scored = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    const rows = chunk;
    chunk = [];
    let buffers;
    try {
      buffers = encodeSplit(spec, spec.inputs.map((i) => i.name).filter((_, k) => pick[k] >= 0), rows.map((r) => pick.filter((p) => p >= 0).map((p) => r[p])), 'CSV', true);
    } catch (error) {
      if (error instanceof RequestError) throw new Error(error.message.replace(/row (\d+)/, (_, r) => `data row ${scored + Number(r) + 1}`), { cause: error });
      throw error;
    }
    const results = await scorer.run(buffers, rows.length);
    const outputs = spec.outputs.map((o) => results[o.name]);
    let text = '';
    for (let r = 0; r < rows.length; r++) {
      const fields = rows[r].map(csvField);
      for (const tensor of outputs) {
        const width = tensor.dims.length === 2 ? tensor.dims[1] : 1;
        for (let j = 0; j < width; j++) {
          const v = tensor.data[r * width + j];
          fields.push(csvField(typeof v === 'bigint' ? v.toString() : v));
        }
      }
      text += `${fields.join(',')}\n`;
    }
    scored += rows.length;
    await write(text);
  };
  const onRecords = async (records) => {
    for (const record of records) {
      if (!header) {
        header = record.map((h) => h.trim());
        pick = spec.inputs.map((i) => header.indexOf(i.name));
        const absent = spec.inputs.filter((i, k) => pick[k] < 0 && !i.optional).map((i) => `"${i.name}"`);
        if (absent.length > 0) throw new Error(`${input}: missing column${absent.length > 1 ? 's' : ''} ${absent.join(', ')} (the header has ${header.join(', ')}).`);
        const outNames = [];
        for (const o of spec.outputs) {
          const width = o.shape.length === 2 && o.shape[1] > 1 ? o.shape[1] : 1;
          for (let j = 0; j < width; j++) outNames.push(width === 1 ? o.name : `${o.name}_${j}`);
        }
        await write(`${[...header, ...outNames].map(csvField).join(',')}\n`);
        continue;
      }
      if (record.length !== header.length) throw new Error(`${input}: data row ${scored + chunk.length + 1} has ${record.length} fields, the header has ${header.length}.`);
      chunk.push(record);
      if (chunk.length >= chunkRows) await flush();
    }
  };
  let read = 0;
  for await (const text of createReadStream(input, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    read += Buffer.byteLength(text);
    await onRecords(parser.push(text));
    show(read, total, scored + chunk.length);
  }
  await onRecords(parser.end());
  if (!header) throw new Error(`${input} is empty.`);
  await flush();
  out.end();
  await once(out, 'finish');
  show(total, total, scored, true);
  return scored;
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
  const temp = kind(input) === 'parquet' || kind(output) === 'parquet' ? mkdtempSync(join(tmpdir(), 'vajra-score-')) : undefined;
  try {
    const csvIn = kind(input) === 'parquet' ? join(temp, 'in.csv') : input;
    const csvOut = kind(output) === 'parquet' ? join(temp, 'out.csv') : output;
    if (csvIn !== input) await parquetToCsv(input, csvIn);
    const rows = await scoreCsv(spec, scorer, csvIn, csvOut, chunkRows, progress(values.quiet));
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
