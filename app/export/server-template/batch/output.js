// The batch scorer's output file: the input's fields, then every model output (an [N, k] output
// as k columns name_0 … name_{k-1}).

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { csvField } from '../server/lib/csv.js';

/** A CSV file writer whose `write` waits for the stream to drain. */
export function csvWriter(output) {
  const out = createWriteStream(output);
  return {
    async write(text) {
      if (!out.write(text)) await once(out, 'drain');
    },
    async close() {
      out.end();
      await once(out, 'finish');
    },
  };
}

/** The output header after the input's own columns. */
export function outputNames(spec) {
  const names = [];
  for (const o of spec.outputs) {
    const width = o.shape.length === 2 && o.shape[1] > 1 ? o.shape[1] : 1;
    for (let j = 0; j < width; j++) names.push(width === 1 ? o.name : `${o.name}_${j}`);
  }
  return names;
}

/** CSV text of `n` scored rows: `prefix(r)` (the row's input fields, CSV-encoded) then the outputs. */
export function outputText(spec, results, n, prefix) {
  const outputs = spec.outputs.map((o) => results[o.name]);
  let text = '';
  for (let r = 0; r < n; r++) {
    const fields = [prefix(r)];
    for (const tensor of outputs) {
      const width = tensor.dims.length === 2 ? tensor.dims[1] : 1;
      for (let j = 0; j < width; j++) {
        const v = tensor.data[r * width + j];
        fields.push(csvField(typeof v === 'bigint' ? v.toString() : v));
      }
    }
    text += `${fields.join(',')}\n`;
  }
  return text;
}
