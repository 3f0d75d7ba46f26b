// Data sets of the ML bench, built once in TS and written as raw float64 files that
// bench/python/ml.py reads with numpy, so both sides fit and score exactly the same rows.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, type Rng } from '../app/base/rng';
import { createMatrix, type Matrix } from '../app/ml/types';

/** A train/test split of a binary classification problem (labels 0/1). */
export interface BenchDataset {
  name: string;
  xTrain: Matrix;
  yTrain: Float64Array;
  xTest: Matrix;
  yTest: Float64Array;
}

/**
 * make_classification-style data: 2 classes × 2 Gaussian clusters each on the vertices of a
 * hypercube in `informative` dimensions, `redundant` linear combinations of them, the rest noise,
 * 1 % of labels flipped. Rows are shuffled; the last `testRows` are the test set.
 */
export function makeClassification(rows: number, cols: number, testRows: number, seed: number): BenchDataset {
  const rng = createRng(seed);
  const informative = Math.min(5, cols), redundant = Math.min(5, cols - informative);
  const clusters = Array.from({ length: 4 }, () => Array.from({ length: informative }, () => (rng.next() < 0.5 ? -1 : 1)));
  const mix = Array.from({ length: redundant * informative }, () => rng.next() * 2 - 1);
  const data = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const cluster = rng.int(4);
    y[i] = cluster % 2;
    const o = i * cols;
    for (let j = 0; j < informative; j++) data[o + j] = clusters[cluster]![j]! + rng.normal();
    for (let r = 0; r < redundant; r++) {
      let v = 0;
      for (let j = 0; j < informative; j++) v += data[o + j]! * mix[r * informative + j]!;
      data[o + informative + r] = v;
    }
    for (let j = informative + redundant; j < cols; j++) data[o + j] = rng.normal();
    if (rng.next() < 0.01) y[i] = rng.int(2);
  }
  return split(`make_classification ${rows.toLocaleString('en')} × ${cols}`, createMatrix(rows, cols, data), y, testRows, rng);
}

function split(name: string, x: Matrix, y: Float64Array, testRows: number, rng: Rng): BenchDataset {
  const order = rng.shuffle(Array.from({ length: x.rows }, (_, i) => i));
  const take = (rowsOf: number[]) => {
    const data = new Float64Array(rowsOf.length * x.cols);
    rowsOf.forEach((r, i) => data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), i * x.cols));
    return { x: createMatrix(rowsOf.length, x.cols, data), y: Float64Array.from(rowsOf, (r) => y[r]!) };
  };
  const train = take(order.slice(0, x.rows - testRows));
  const test = take(order.slice(x.rows - testRows));
  return { name, xTrain: train.x, yTrain: train.y, xTest: test.x, yTest: test.y };
}

const NUMERIC = new Set(['age', 'fnlwgt', 'education_num', 'capital_gain', 'capital_loss', 'hours_per_week']);

/**
 * Adult census (examples/tabular/data/adult.csv): numeric columns standardised with training
 * statistics, categorical ones one-hot over the training categories; target income >50K.
 * `limit` keeps only the first rows (quick mode). 20 % test.
 */
export async function adultCensus(csvPath: string, limit = Infinity, seed = 7): Promise<BenchDataset> {
  const lines = (await readFile(csvPath, 'utf8')).split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]!.split(',');
  const records = lines.slice(1, 1 + Math.min(limit, lines.length - 1)).map((l) => l.split(',').map((c) => c.trim()));
  const target = header.indexOf('income');
  const rng = createRng(seed);
  const order = rng.shuffle(Array.from({ length: records.length }, (_, i) => i));
  const testCount = Math.round(records.length * 0.2);
  const trainRows = order.slice(0, records.length - testCount), testRows = order.slice(records.length - testCount);
  const encoders: ((r: string[], out: number[]) => void)[] = [];
  header.forEach((name, c) => {
    if (c === target) return;
    const train = trainRows.map((r) => records[r]![c]!);
    if (NUMERIC.has(name)) {
      const v = train.map(Number);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) || 1;
      encoders.push((r, out) => out.push((Number(r[c]) - mean) / sd));
    } else {
      const categories = [...new Set(train)].sort();
      encoders.push((r, out) => categories.forEach((k) => out.push(r[c] === k ? 1 : 0)));
    }
  });
  const encode = (rowsOf: number[]) => {
    const values: number[] = [];
    for (const r of rowsOf) for (const e of encoders) e(records[r]!, values);
    const cols = values.length / rowsOf.length;
    return { x: createMatrix(rowsOf.length, cols, Float64Array.from(values)), y: Float64Array.from(rowsOf, (r) => (records[r]![target]!.startsWith('>50K') ? 1 : 0)) };
  };
  const train = encode(trainRows), test = encode(testRows);
  return { name: `adult census ${records.length.toLocaleString('en')} rows (one-hot + scale, ${train.x.cols} features)`, xTrain: train.x, yTrain: train.y, xTest: test.x, yTest: test.y };
}

/** Writes the data set as raw little-endian float64 files plus meta.json for bench/python/ml.py. */
export async function writeDataset(dir: string, d: BenchDataset): Promise<void> {
  const bytes = (a: Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  await writeFile(join(dir, 'x_train.f64'), bytes(d.xTrain.data));
  await writeFile(join(dir, 'y_train.f64'), bytes(d.yTrain));
  await writeFile(join(dir, 'x_test.f64'), bytes(d.xTest.data));
  await writeFile(join(dir, 'y_test.f64'), bytes(d.yTest));
  await writeFile(join(dir, 'meta.json'), JSON.stringify({ cols: d.xTrain.cols, train: d.xTrain.rows, test: d.xTest.rows }));
}
