import type { Table } from 'apache-arrow';
import { throwIfAborted } from '../../../app/base/errors';
import type { CancelSignal } from '../../../app/base/signal';
import type { Engine } from '../../../app/data/engine';
import { ABSTAIN, type LabelMatrix } from '../../../app/labels/lf';
import { goldCodes, type LfFile } from '../../../app/labels/text/lf-file';
import { lfVotesSql, TEXT_COLUMN, voteColumn } from '../../../app/labels/text/lf-sql';
import { runJsLfs } from './js-lfs';

/** What running an LFs file over a table gives: the label matrix and the row texts (scan order). */
export interface LfRun {
  readonly L: LabelMatrix;
  readonly texts: string[];
  /** Gold class indices (−1 = none) when a gold column was asked for. */
  readonly gold?: Int32Array;
  /** Values of the `key` column when asked for (row ids for joins). */
  readonly keys?: string[];
  /** Milliseconds spent in DuckDB and in the JS sandbox. */
  readonly timings: { readonly sqlMs: number; readonly jsMs: number };
}

/** Options of `runLfFile`. */
export interface LfRunOptions {
  readonly gold?: string;
  readonly key?: string;
  readonly signal?: CancelSignal;
  readonly jsTimeoutMs?: number;
}

function plainValue(v: unknown): unknown {
  return typeof v === 'bigint' ? Number(v) : v;
}

function rowObjects(table: Table): Array<Record<string, unknown>> {
  const names = table.schema.fields.map((f) => f.name).filter((n) => !n.startsWith('__'));
  const cols = names.map((n) => table.getChild(n)!);
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    names.forEach((n, c) => (row[n] = plainValue(cols[c]!.get(i))));
    out.push(Object.freeze(row));
  }
  return out;
}

/**
 * Runs every LF of `file` over `relation` (SQL: a table name or a read_* call): keyword, regex,
 * length and SQL LFs inside DuckDB in one scan; JS LFs in the sandbox over the same rows.
 */
export async function runLfFile(engine: Engine, file: LfFile, relation: string, options: LfRunOptions = {}): Promise<LfRun> {
  const hasJs = file.lfs.some((lf) => lf.kind === 'js');
  const extra = [options.gold, options.key].filter((c): c is string => c !== undefined);
  const t0 = performance.now();
  const table = await engine.query(lfVotesSql(file, relation, { extra, includeAll: hasJs }), { signal: options.signal });
  const sqlMs = performance.now() - t0;
  throwIfAborted(options.signal);
  const n = table.numRows;
  const m = file.lfs.length;
  const data = new Int32Array(n * m).fill(ABSTAIN);
  file.lfs.forEach((lf, j) => {
    if (lf.kind === 'js') return;
    const col = table.getChild(voteColumn(j))!;
    for (let i = 0; i < n; i++) data[i * m + j] = Number(col.get(i) ?? ABSTAIN);
  });
  const t1 = performance.now();
  if (hasJs) {
    const js = file.lfs.flatMap((lf, j) => (lf.kind === 'js' ? [{ j, lf }] : []));
    const votes = runJsLfs(js.map((e) => e.lf), file.classes, rowObjects(table), options.jsTimeoutMs);
    js.forEach(({ j }, q) => {
      const col = votes[q]!;
      for (let i = 0; i < n; i++) data[i * m + j] = col[i]!;
    });
  }
  const jsMs = performance.now() - t1;
  const textCol = table.getChild(TEXT_COLUMN)!;
  const texts = Array.from({ length: n }, (_, i) => String(textCol.get(i) ?? ''));
  const valuesOf = (c: string) => {
    const col = table.getChild(c)!;
    return Array.from({ length: n }, (_, i) => plainValue(col.get(i)));
  };
  return {
    L: { n, m, data },
    texts,
    ...(options.gold !== undefined ? { gold: goldCodes(file.classes, valuesOf(options.gold)) } : {}),
    ...(options.key !== undefined ? { keys: valuesOf(options.key).map((v) => String(v ?? '')) } : {}),
    timings: { sqlMs, jsMs },
  };
}

/** The columns of `relation` (name and DuckDB type), for the panel's column pickers. */
export async function relationColumns(engine: Engine, relation: string): Promise<Array<{ name: string; type: string }>> {
  const t = await engine.query(`DESCRIBE SELECT * FROM ${relation}`);
  return t.toArray().map((r) => {
    const o: Record<string, unknown> = r.toJSON();
    return { name: String(o['column_name']), type: String(o['column_type']) };
  });
}
