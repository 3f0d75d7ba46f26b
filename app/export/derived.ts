import { UserInputError } from '../base/errors';
import type { DerivedServing, ServingInput } from './types';

/** ONNX metadata key holding the lag/rolling SQL (written by app/pipeline/compile.ts). */
export const DERIVED_SQL_KEY = 'vajra.derived_sql';

const QUOTED = /"((?:[^"]|"")*)"/g;
const ALIAS = /\bAS\s+"((?:[^"]|"")*)"/g;
const PARTITION_KEYS = /\bPARTITION BY\s+"((?:[^"]|"")*)"/g;
const ORDER_KEYS = /\bORDER BY\s+"((?:[^"]|"")*)"/g;
const LAGGED = /\bLAG\("((?:[^"]|"")*)",\s*\d+\)\s+OVER\s+\([^)]*\)\s+AS\s+"((?:[^"]|"")*)"/g;

function unquote(name: string): string {
  return name.replaceAll('""', '"');
}

function matches(re: RegExp, text: string): string[][] {
  return [...text.matchAll(re)].map((m) => m.slice(1).map((g) => unquote(g ?? '')));
}

/**
 * What a caller sends to a model whose lag/rolling inputs are derived by `sql` (metadata
 * `vajra.derived_sql`, a DuckDB query over a table `input`). The SQL is the one
 * `derivedColumnsSql` writes: every column it names is a quoted identifier, every derived column
 * an `AS "<name>"` alias. `columns` are the graph inputs the SQL computes; `inputs` the raw
 * columns: the graph's other inputs (as `graphInputs` declares them, numbers widened to float64
 * so times and lagged values reach DuckDB unrounded) and then the columns only the SQL reads
 * (the lagged target: optional, since the rows being forecast do not know it yet). `sources` are
 * the raw columns the SQL reads: a request must hold each as a column, even where its values are
 * null, so a forgotten column is an error rather than silent NaN lags. Throws
 * UserInputError when the SQL derives nothing the graph takes.
 */
export function derivedServing(sql: string, graphInputs: readonly ServingInput[]): DerivedServing {
  const aliases = new Set(matches(ALIAS, sql).map(([name]) => name!));
  const byName = new Map(graphInputs.map((i) => [i.name, i]));
  const columns = graphInputs.filter((i) => aliases.has(i.name)).map((i) => i.name);
  if (columns.length === 0) throw new UserInputError('The model records lag/rolling SQL (vajra.derived_sql), but none of its inputs come from it.');
  const referenced = [...new Set(matches(QUOTED, sql).map(([name]) => name!))].filter((name) => !aliases.has(name));
  const laggedType = new Map(matches(LAGGED, sql).map(([source, alias]) => [source!, byName.get(alias!)?.type]));
  const widen = (i: ServingInput): ServingInput => (i.tensorType === 'float32' ? { ...i, tensorType: 'float64' } : { ...i });
  const inputs = graphInputs.filter((i) => !aliases.has(i.name)).map(widen);
  for (const name of referenced) {
    if (byName.has(name)) continue;
    const text = laggedType.get(name) === 'string';
    inputs.push({ name, type: text ? 'string' : 'double', tensorType: text ? 'string' : 'float64', shape: [-1, 1], optional: true });
  }
  const order = [...new Set([...matches(PARTITION_KEYS, sql), ...matches(ORDER_KEYS, sql)].map(([name]) => name!))];
  return { sql, columns, inputs, sources: referenced, order };
}

/** The columns a caller sends: the raw ones when SQL derives some inputs, else the graph's. */
export function requestInputs(spec: { inputs: readonly ServingInput[]; derived?: DerivedServing }): readonly ServingInput[] {
  return spec.derived ? spec.derived.inputs : spec.inputs;
}
