import { throwIfAborted, UserInputError } from '../base/errors';
import { createRng } from '../base/rng';
import type { CancelSignal } from '../base/signal';
import { constantColumn, takeRows, withColumn, type BatchPredict, type RawTable } from './table';

/** Partial dependence of the model output on one column, with optional ICE curves. */
export interface PartialDependence {
  column: string;
  grid: (number | string)[];
  /** Mean output over the rows at each grid value. */
  average: Float64Array;
  /** ICE: `ice[i * grid.length + g]` for the sampled row `iceRows[i]`. */
  ice?: Float64Array;
  iceRows?: Int32Array;
}

export interface PdpOptions {
  /** Grid points for a numeric column (sklearn's default 100), between percentiles. */
  gridResolution?: number;
  percentiles?: [number, number];
  /** Rows to average over (sampled, seeded) — PDP cost is grid × rows model evaluations. */
  maxRows?: number;
  /** Number of ICE curves to keep (0 = none). */
  iceCurves?: number;
  seed?: number;
  signal?: CancelSignal;
}

function quantile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/** The grid of a column: unique values when few (or text), else evenly spaced between percentiles. */
export function pdpGrid(table: RawTable, index: number, resolution = 100, percentiles: [number, number] = [0.05, 0.95]): (number | string)[] {
  const column = table.columns[index]!;
  if (!(column instanceof Float64Array)) return [...new Set(column.filter((v): v is string => v !== null))].sort();
  const values = Float64Array.from(column.filter((v) => !Number.isNaN(v))).sort();
  if (values.length === 0) throw new UserInputError(`Column "${table.names[index]}" has no values.`);
  const unique = [...new Set(values)];
  if (unique.length <= resolution) return unique;
  const lo = quantile(values, percentiles[0]);
  const hi = quantile(values, percentiles[1]);
  return Array.from({ length: resolution }, (_, i) => lo + ((hi - lo) * i) / (resolution - 1));
}

/**
 * Partial dependence (Friedman 2001) and ICE curves (Goldstein et al. 2015): for each grid value,
 * set the column to it in every (sampled) row and average the model output. One model call scores
 * every grid value at once.
 */
export async function partialDependence(predict: BatchPredict, table: RawTable, column: string, options: PdpOptions = {}): Promise<PartialDependence> {
  const index = table.names.indexOf(column);
  if (index < 0) throw new UserInputError(`There is no column "${column}".`);
  const rng = createRng(options.seed ?? 0);
  const maxRows = options.maxRows ?? 1000;
  const rowsIndex = table.rows <= maxRows ? Int32Array.from({ length: table.rows }, (_, i) => i) : Int32Array.from(rng.shuffle(Array.from({ length: table.rows }, (_, i) => i)).slice(0, maxRows)).sort();
  const base = takeRows(table, rowsIndex);
  const grid = pdpGrid(table, index, options.gridResolution, options.percentiles);
  const n = base.rows;
  const tiled = takeRows(base, Int32Array.from({ length: n * grid.length }, (_, i) => i % n));
  const values = constantColumn(table.columns[index]!, null, n * grid.length);
  grid.forEach((v, g) => {
    for (let i = 0; i < n; i++) {
      if (values instanceof Float64Array) values[g * n + i] = Number(v);
      else values[g * n + i] = String(v);
    }
  });
  throwIfAborted(options.signal);
  const predicted = await predict(withColumn(tiled, index, values), options.signal);
  const average = new Float64Array(grid.length);
  for (let g = 0; g < grid.length; g++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += predicted[g * n + i]!;
    average[g] = sum / n;
  }
  const result: PartialDependence = { column, grid, average };
  const curves = Math.min(options.iceCurves ?? 0, n);
  if (curves > 0) {
    const ice = new Float64Array(curves * grid.length);
    for (let i = 0; i < curves; i++) for (let g = 0; g < grid.length; g++) ice[i * grid.length + g] = predicted[g * n + i]!;
    result.ice = ice;
    result.iceRows = rowsIndex.slice(0, curves);
  }
  return result;
}
