// RFC 4180 CSV: a streaming parser (text arrives in chunks of any size, records may span chunks)
// and a field writer. Quoted fields may hold commas, quotes ("") and line breaks; CRLF and LF
// both end a record; a leading byte-order mark is dropped; completely empty lines are skipped.

import { malformed } from './schema.js';

/** Incremental parser: `push(text)` returns the records completed so far, `end()` the rest. */
export class CsvParser {
  constructor() {
    this.field = '';
    this.record = [];
    this.inQuotes = false;
    this.quotePending = false; // saw a quote inside a quoted field; next char decides
    this.started = false;
    this.fieldQuoted = false;
    this.line = 1;
    this.skipLf = false;
  }

  push(text) {
    const out = [];
    let i = 0;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    let field = this.field;
    for (; i < text.length; i++) {
      const c = text[i];
      if (this.skipLf) {
        this.skipLf = false;
        if (c === '\n') continue;
      }
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === '"') {
            field += '"';
            continue;
          }
          this.inQuotes = false; // the quote closed the field; handle c below
        } else if (c === '"') {
          this.quotePending = true;
          continue;
        } else {
          if (c === '\n') this.line++;
          field += c;
          continue;
        }
      }
      if (c === ',') {
        this.record.push(field);
        field = '';
        this.fieldQuoted = false;
      } else if (c === '\n' || c === '\r') {
        // CRLF may be split across two chunks: remember to drop the LF.
        if (c === '\r') {
          if (i + 1 < text.length) {
            if (text[i + 1] === '\n') i++;
          } else this.skipLf = true;
        }
        this.finishRecord(field, out);
        field = '';
        this.line++;
      } else if (c === '"' && field === '' && !this.fieldQuoted) {
        this.inQuotes = true;
        this.fieldQuoted = true;
      } else {
        if (this.fieldQuoted) throw malformed(`CSV line ${this.line}: text after a closing quote.`);
        field += c;
      }
    }
    this.field = field;
    return out;
  }

  finishRecord(field, out) {
    this.record.push(field);
    const empty = this.record.length === 1 && field === '' && !this.fieldQuoted;
    this.fieldQuoted = false;
    const record = this.record;
    this.record = [];
    if (!empty) out.push(record);
  }

  end() {
    if (this.inQuotes && !this.quotePending) throw malformed(`CSV line ${this.line}: a quoted field is never closed.`);
    this.inQuotes = false;
    this.quotePending = false;
    const out = [];
    if (this.field !== '' || this.record.length > 0 || this.fieldQuoted) this.finishRecord(this.field, out);
    this.field = '';
    return out;
  }
}

/** Parses a whole CSV text into records (arrays of field strings). */
export function parseCsv(text) {
  const parser = new CsvParser();
  const records = parser.push(text);
  for (const r of parser.end()) records.push(r);
  return records;
}

/** One CSV field: quoted when it holds a comma, quote, CR or LF (or leading/trailing space). */
export function csvField(value) {
  const text = value === null || value === undefined ? '' : typeof value === 'number' && Number.isNaN(value) ? '' : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
