import { UserInputError } from '../../base/errors';
import { quoteIdent } from '../../data/engine';

/** Settings of a lag node: `column` shifted by each of `lags` rows within its partition. */
export interface LagSpec {
  kind: 'lag';
  column: string;
  orderBy: string;
  /** '' = one partition (the whole table). */
  partitionBy: string;
  lags: number[];
}

/** Settings of a rolling node: `fn` over the last `window` rows (the current one included). */
export interface RollingSpec {
  kind: 'rolling';
  column: string;
  orderBy: string;
  partitionBy: string;
  window: number;
  fn: 'mean' | 'sum' | 'min' | 'max' | 'std';
}

/** A lag or rolling node's settings. */
export type WindowSpec = LagSpec | RollingSpec;

/** One derived column: its name, type and the DuckDB select-list expression that computes it. */
export interface WindowColumn {
  name: string;
  type: 'number' | 'string';
  sql: string;
}

const FN_SQL: Record<RollingSpec['fn'], string> = { mean: 'avg', sum: 'sum', min: 'min', max: 'max', std: 'stddev_samp' };

function windowClause(spec: WindowSpec, frame: string): string {
  const partition = spec.partitionBy === '' ? '' : `PARTITION BY ${quoteIdent(spec.partitionBy)} `;
  return `(${partition}ORDER BY ${quoteIdent(spec.orderBy)}${frame})`;
}

/**
 * The columns a lag or rolling node adds, as DuckDB window expressions over its input rows.
 * Lag k: `LAG(col, k)` → `<col>_lag<k>` (NULL for the first k rows of each partition).
 * Rolling: `<fn>(col)` over `ROWS BETWEEN window-1 PRECEDING AND CURRENT ROW` → `<col>_roll<fn><window>`,
 * NULL unless the window holds `window` non-null values (pandas' `rolling(window)` with its
 * default min_periods; std is the sample deviation, ddof 1). The window includes the current row,
 * so to forecast a target roll a lag of it (`y_lag1`), not the target itself. Rows tied on
 * `orderBy` come in an unspecified order, so order by a unique time within each partition.
 * Throws UserInputError (with `detail.column`) for unknown columns, a text column to roll, a
 * window below 2, or a name that already exists.
 */
export function windowColumns(spec: WindowSpec, columns: readonly { name: string; type: 'number' | 'string' }[]): WindowColumn[] {
  const byName = new Map(columns.map((c) => [c.name, c]));
  for (const name of [spec.column, spec.orderBy, ...(spec.partitionBy === '' ? [] : [spec.partitionBy])]) {
    if (!byName.has(name)) throw new UserInputError(`Column "${name}" does not exist in the input table (columns: ${columns.map((c) => c.name).join(', ')}).`, { column: name });
  }
  const source = byName.get(spec.column)!;
  const col = quoteIdent(spec.column);
  let out: WindowColumn[];
  if (spec.kind === 'lag') {
    if (spec.lags.length === 0 || spec.lags.some((k) => !Number.isInteger(k) || k < 1)) throw new UserInputError('Lags must be whole numbers of rows, 1 or more.', { column: spec.column });
    out = [...new Set(spec.lags)].map((k) => ({ name: `${spec.column}_lag${k}`, type: source.type, sql: `LAG(${col}, ${k}) OVER ${windowClause(spec, '')}` }));
  } else {
    if (!Number.isInteger(spec.window) || spec.window < 2) throw new UserInputError('A rolling window needs at least 2 rows.', { column: spec.column });
    if (source.type !== 'number') throw new UserInputError(`Column "${spec.column}" holds text; a rolling ${spec.fn} needs numbers.`, { column: spec.column });
    const over = windowClause(spec, ` ROWS BETWEEN ${spec.window - 1} PRECEDING AND CURRENT ROW`);
    const value = `CAST(${FN_SQL[spec.fn]}(${col}) OVER ${over} AS DOUBLE)`;
    out = [{ name: `${spec.column}_roll${spec.fn}${spec.window}`, type: 'number', sql: `CASE WHEN count(${col}) OVER ${over} >= ${spec.window} THEN ${value} END` }];
  }
  const clash = out.find((c) => byName.has(c.name));
  if (clash) throw new UserInputError(`Column "${clash.name}" already exists; this node would add it twice.`, { column: clash.name });
  return out;
}

/** `SELECT *, <expr> AS <name>, … FROM <relation> AS input`: one layer of derived columns. */
export function windowSelectSql(relation: string, derived: readonly Pick<WindowColumn, 'name' | 'sql'>[]): string {
  return `SELECT *, ${derived.map((c) => `${c.sql} AS ${quoteIdent(c.name)}`).join(', ')} FROM ${relation} AS input`;
}

/** A raw input column that SQL derives from the rows before scoring (see `derivedColumnsSql`). */
export interface DerivedInput {
  name: string;
  /** The select-list expression (a window function over the rows). */
  sql: string;
  /** Which layer of derivation (0 = computed from the source's columns; k from layer k-1's output). */
  stage: number;
}

/**
 * The one DuckDB query that adds every derived column to a table named `input` holding the
 * source's columns, one nested SELECT per stage; null when nothing is derived. A batch scorer
 * runs it over the rows to score before feeding the ONNX graph: `input` must hold every column
 * the SQL names (the lagged target's past values too, even though the graph does not take the
 * target) and enough history before the first scored row, else the first lags are NULL (NaN).
 */
export function derivedColumnsSql(derived: readonly DerivedInput[]): string | null {
  if (derived.length === 0) return null;
  const stages = [...new Set(derived.map((d) => d.stage))].sort((a, b) => a - b);
  let relation = 'input';
  for (const stage of stages) {
    relation = `(${windowSelectSql(relation, derived.filter((d) => d.stage === stage))})`;
  }
  return relation.slice(1, -1);
}
