import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import { UserInputError } from '../base/errors';

/** Serialises a whole Arrow table as one Arrow IPC stream (schema, batches, end marker). */
export function tableToIpc(table: Table): Uint8Array {
  return tableToIPC(table, 'stream');
}

/**
 * Splits `table` into windows of at most `rowsPerWindow` rows, each a self-contained Arrow IPC
 * stream (so every window decodes alone with `decodeIpc`). An empty table yields one empty window,
 * which keeps the schema. Slicing shares buffers: only the bytes of one window exist at a time.
 */
export function* tableToIpcWindows(table: Table, rowsPerWindow: number): Generator<Uint8Array> {
  if (!Number.isSafeInteger(rowsPerWindow) || rowsPerWindow <= 0) {
    throw new UserInputError(`rowsPerWindow must be a whole number > 0, not ${rowsPerWindow}.`);
  }
  if (table.numRows === 0) {
    yield tableToIpc(table);
    return;
  }
  for (let start = 0; start < table.numRows; start += rowsPerWindow) {
    yield tableToIpc(table.slice(start, start + rowsPerWindow));
  }
}

/**
 * Decodes Arrow IPC bytes (stream or file format, or several stream chunks of one result) into a
 * Table of this module's apache-arrow, whichever engine or Arrow version produced them.
 */
export function decodeIpc(bytes: Uint8Array | readonly Uint8Array[]): Table {
  return tableFromIPC(bytes instanceof Uint8Array ? bytes : [...bytes]);
}
