// Streams a CSV file in chunks of rows checked and encoded against a spec (schema.js): memory
// stays flat for files of any size. Errors name the file, the data row and the column.

import { Buffer } from 'node:buffer';
import { createReadStream, statSync } from 'node:fs';
import { CsvParser } from '../server/lib/csv.js';
import { encodeSplit, missingColumns, mustSend, RequestError } from '../server/lib/schema.js';

/**
 * Reads CSV `input` (header row first). `onHeader(header)` runs once the header is checked (every
 * column `mustSend(spec)` names is there); `onChunk(records, buffers, firstRow)` gets up to
 * `chunkRows` records (text fields) with their encoded buffers, one per `spec.inputs`.
 * `show(bytesRead, totalBytes, rows)` reports progress. Resolves to the number of data rows.
 */
export async function readCsvChunks(spec, input, chunkRows, { onHeader, onChunk }, show) {
  const total = statSync(input).size;
  const parser = new CsvParser();
  let header;
  let pick;
  let chunk = [];
  let done = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    const rows = chunk;
    chunk = [];
    let buffers;
    try {
      buffers = encodeSplit(spec, spec.inputs.map((i) => i.name).filter((_, k) => pick[k] >= 0), rows.map((r) => pick.filter((p) => p >= 0).map((p) => r[p])), 'CSV', true);
    } catch (error) {
      if (error instanceof RequestError) throw new Error(error.message.replace(/row (\d+)/, (_, r) => `data row ${done + Number(r) + 1}`), { cause: error });
      throw error;
    }
    await onChunk(rows, buffers, done);
    done += rows.length;
  };
  const onRecords = async (records) => {
    for (const record of records) {
      if (!header) {
        header = record.map((h) => h.trim());
        pick = spec.inputs.map((i) => header.indexOf(i.name));
        const absent = mustSend(spec).filter((i) => !header.includes(i.name)).map((i) => i.name);
        if (absent.length > 0) throw new Error(`${input}: missing column${absent.length > 1 ? 's' : ''} ${missingColumns(spec, absent)} (the header has ${header.join(', ')}).`);
        await onHeader(header);
        continue;
      }
      if (record.length !== header.length) throw new Error(`${input}: data row ${done + chunk.length + 1} has ${record.length} fields, the header has ${header.length}.`);
      chunk.push(record);
      if (chunk.length >= chunkRows) await flush();
    }
  };
  let read = 0;
  for await (const text of createReadStream(input, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    read += Buffer.byteLength(text);
    await onRecords(parser.push(text));
    show(read, total, done + chunk.length);
  }
  await onRecords(parser.end());
  if (!header) throw new Error(`${input} is empty.`);
  await flush();
  return done;
}
