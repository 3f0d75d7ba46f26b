import { createReadStream } from 'node:fs';

/** The first problem found in a delimited text file: 1-based physical line and a reason. */
export interface CsvProblem {
  line: number;
  reason: string;
}

/**
 * Scans a delimited file for the first invalid UTF-8 sequence or ragged row (a record whose field
 * count differs from the first record's), honouring double-quoted fields. Used only after DuckDB
 * rejected a file, to name the exact line: DuckDB's sniffer fails without one when the ragged row
 * is inside its sample. Returns null when neither problem is found.
 */
export async function findCsvProblem(path: string, delimiter: number): Promise<CsvProblem | null> {
  const scan = new CsvScanner(delimiter);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    if (!(chunk instanceof Buffer)) continue;
    const problem = scan.push(chunk);
    if (problem) return problem;
  }
  return scan.finish();
}

const QUOTE = 0x22;
const NEWLINE = 0x0a;
const RETURN = 0x0d;

class CsvScanner {
  private line = 1;
  private recordLine = 1;
  private inQuotes = false;
  private fields = 1;
  private recordEmpty = true;
  private expected = -1;
  private continuation = 0;

  constructor(private readonly delimiter: number) {}

  push(bytes: Uint8Array): CsvProblem | null {
    for (const byte of bytes) {
      const bad = this.utf8(byte);
      if (bad) return bad;
      if (byte === QUOTE) this.inQuotes = !this.inQuotes;
      else if (byte === NEWLINE) {
        this.line++;
        if (!this.inQuotes) {
          const problem = this.endRecord();
          if (problem) return problem;
        }
        continue;
      } else if (byte === this.delimiter && !this.inQuotes) this.fields++;
      if (byte !== RETURN) this.recordEmpty = false;
    }
    return null;
  }

  finish(): CsvProblem | null {
    if (this.continuation > 0) return { line: this.line, reason: 'invalid UTF-8: the file ends inside a multi-byte character' };
    return this.endRecord();
  }

  private endRecord(): CsvProblem | null {
    const { fields, recordEmpty, recordLine } = this;
    this.fields = 1;
    this.recordEmpty = true;
    this.recordLine = this.line;
    if (recordEmpty) return null;
    if (this.expected < 0) this.expected = fields;
    else if (fields !== this.expected) {
      return { line: recordLine, reason: `expected ${this.expected} fields but found ${fields}` };
    }
    return null;
  }

  private utf8(byte: number): CsvProblem | null {
    if (this.continuation > 0) {
      if ((byte & 0xc0) !== 0x80) return this.badUtf8();
      this.continuation--;
      return null;
    }
    if (byte < 0x80) return null;
    if (byte >= 0xc2 && byte <= 0xdf) this.continuation = 1;
    else if (byte >= 0xe0 && byte <= 0xef) this.continuation = 2;
    else if (byte >= 0xf0 && byte <= 0xf4) this.continuation = 3;
    else return this.badUtf8();
    return null;
  }

  private badUtf8(): CsvProblem {
    return { line: this.line, reason: 'invalid UTF-8 (the file is not UTF-8 encoded)' };
  }
}
