// Issue 4, Speed: Vajra's trainers vs scikit-learn / xgboost on the same rows, fit and predict,
// with each side's test AUC (or inertia) in the note; and batch scoring through onnxruntime-web
// vs onnxruntime-node. All anchors run single-threaded, like Vajra's trainers.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fitKMeansWithInfo } from '../app/ml/kmeans';
import { fitLogisticRegression } from '../app/ml/logistic-regression';
import { accuracy, rocAuc } from '../app/ml/metrics';
import { predictKMeans, predictLogisticProba } from '../app/ml/predict';
import { fitDecisionTreeClassifier, fitRandomForestClassifier } from '../app/ml/trees/forest';
import { fitHistGradientBoostingClassifier } from '../app/ml/trees/hist-gbdt';
import { predictProba } from '../app/ml/trees/predict';
import type { FittedModel, Matrix } from '../app/ml/types';
import { adultCensus, makeClassification, writeDataset, type BenchDataset } from './ml-data';
import { benchMode } from './mode';
import { benchOnnxScoring } from './ml-onnx';
import type { BenchRow } from './types';

const here = fileURLToPath(new URL('.', import.meta.url));
const PYTHON = '/usr/bin/python3';
const run = promisify(execFile);

/** One model of the bench: how Vajra fits and scores it, which anchors it meets and its target. */
interface Case {
  key: 'logistic' | 'gbdt' | 'forest' | 'tree' | 'kmeans';
  label: string;
  anchors: { script: string; name: string }[];
  target: string;
  maxRatio: number;
  fit: (d: BenchDataset) => FittedModel;
  /** Positive-class probabilities, or null for clustering. */
  score: (model: FittedModel, x: Matrix) => Float64Array | null;
}

/** What one side measured on one model. */
interface Measured { fitMs: number; predictMs: number; quality: string }

/** Column 1 of row-major n×2 probabilities (a plain loop: typed-array filter with a callback costs more than the predict). */
function positive(proba: Float64Array): Float64Array {
  const out = new Float64Array(proba.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = proba[2 * i + 1]!;
  return out;
}
const treeScore = (model: FittedModel, x: Matrix) => (model.kind === 'treeClassifier' ? positive(predictProba(model.ensemble, x)) : null);

const CASES: Case[] = [
  {
    key: 'logistic', label: 'logistic regression (L-BFGS, C=1)', anchors: [{ script: 'logistic', name: 'sklearn LogisticRegression lbfgs' }],
    target: '≤ 1.0× sklearn', maxRatio: 1.0,
    fit: (d) => fitLogisticRegression(d.xTrain, d.yTrain, { maxIter: 1000 }, { seed: 0 }),
    score: (model, x) => (model.kind === 'logisticRegression' ? positive(predictLogisticProba(model, x)) : null),
  },
  {
    key: 'gbdt', label: 'hist gradient boosting, 100 iterations',
    anchors: [{ script: 'gbdt', name: 'sklearn HistGradientBoosting' }, { script: 'xgboost', name: 'xgboost hist (lossguide, 31 leaves)' }],
    target: '≤ 1.5× at AUC ± 0.002', maxRatio: 1.5,
    fit: (d) => fitHistGradientBoostingClassifier(d.xTrain, d.yTrain, { maxIter: 100, earlyStopping: false }, { seed: 0 }).model,
    score: treeScore,
  },
  {
    key: 'forest', label: 'random forest, 100 trees', anchors: [{ script: 'forest', name: 'sklearn RandomForest (n_jobs=1)' }],
    target: '≤ 0.2× at accuracy ± 0.005', maxRatio: 0.2,
    fit: (d) => fitRandomForestClassifier(d.xTrain, d.yTrain, { nEstimators: 100 }, { seed: 0 }),
    score: treeScore,
  },
  {
    key: 'tree', label: 'decision tree (unlimited depth)', anchors: [{ script: 'tree', name: 'sklearn DecisionTree' }],
    target: '≤ 0.2× at accuracy ± 0.005', maxRatio: 0.2,
    fit: (d) => fitDecisionTreeClassifier(d.xTrain, d.yTrain, {}, { seed: 0 }),
    score: treeScore,
  },
  {
    key: 'kmeans', label: 'k-means, k=8, 10 starts', anchors: [{ script: 'kmeans', name: 'sklearn KMeans (lloyd)' }],
    target: '≤ 1.0× sklearn', maxRatio: 1.0,
    fit: (d) => fitKMeansWithInfo(d.xTrain, { k: 8, nInit: 10 }, { seed: 0 }).model,
    score: (model, x) => {
      if (model.kind === 'kmeans') predictKMeans(model, x);
      return null;
    },
  },
];

/** Median of `runs` timings (ms) after the call the caller already made (the JIT warm-up). */
function median(runs: number, fn: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/**
 * Every fit but the forest's (minutes on the anchor side) is timed three times on both sides and
 * the median kept: steady state rather than one cold call. bench/python/ml.py applies the same rule.
 */
const TIMED_ONCE: ReadonlySet<Case['key']> = new Set(['forest']);

function measureVajra(c: Case, d: BenchDataset): { measured: Measured; model: FittedModel } {
  let start = performance.now();
  let model = c.fit(d);
  let fitMs = performance.now() - start;
  if (!TIMED_ONCE.has(c.key)) {
    const times = [fitMs];
    for (let i = 0; i < 2; i++) {
      start = performance.now();
      model = c.fit(d);
      times.push(performance.now() - start);
    }
    fitMs = times.sort((a, b) => a - b)[1]!;
  }
  const proba = c.score(model, d.xTest);
  const predictMs = median(3, () => c.score(model, d.xTest));
  let quality: string;
  if (proba) {
    const labels = Float64Array.from(proba, (p) => (p > 0.5 ? 1 : 0));
    quality = `AUC ${rocAuc(d.yTest, proba).toFixed(4)}, acc ${accuracy(d.yTest, labels).toFixed(4)}`;
  } else {
    quality = model.kind === 'kmeans' ? `inertia/row ${(model.inertia / d.xTrain.rows).toFixed(3)}` : '';
  }
  return { measured: { fitMs, predictMs, quality }, model };
}

type PythonResult = Record<string, { fit_ms: number; predict_ms: number; auc?: number; accuracy?: number; inertia_per_row?: number; error?: string }>;

async function measurePython(dir: string, scripts: string[]): Promise<PythonResult | string> {
  if (!existsSync(PYTHON)) return `${PYTHON} missing`;
  try {
    const { stdout } = await run(PYTHON, [join(here, 'python', 'ml.py'), dir, scripts.join(',')], {
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' }, maxBuffer: 1 << 20, timeout: 3_600_000,
    });
    return JSON.parse(stdout) as PythonResult;
  } catch (error) {
    return `python anchor failed: ${(error as Error).message.split('\n').slice(0, 2).join(' ')}`;
  }
}

function pythonQuality(r: PythonResult[string]): string {
  if (r.inertia_per_row !== undefined) return `inertia/row ${r.inertia_per_row.toFixed(3)}`;
  return `AUC ${(r.auc ?? Number.NaN).toFixed(4)}, acc ${(r.accuracy ?? Number.NaN).toFixed(4)}`;
}

function rowsFor(c: Case, d: BenchDataset, ours: Measured, python: PythonResult | string): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const anchor of c.anchors) {
    const theirs = typeof python === 'string' ? undefined : python[anchor.script];
    const missing = typeof python === 'string' ? python : theirs?.error ?? (theirs ? undefined : 'no result');
    const base = { suite: 'ml', unit: 'ms' as const };
    if (missing || !theirs) {
      rows.push({ ...base, case: `${c.label} fit — ${d.name}`, vajra: ours.fitMs, target: c.target, note: `anchor ${anchor.name} skipped (${missing}); Vajra ${ours.quality}` });
      continue;
    }
    rows.push({ ...base, case: `${c.label} fit — ${d.name}`, vajra: ours.fitMs, anchor: { name: anchor.name, value: theirs.fit_ms }, target: c.target, maxRatio: c.maxRatio, note: `Vajra ${ours.quality}; anchor ${pythonQuality(theirs)}` });
    rows.push({ ...base, case: `${c.label} predict ${d.xTest.rows.toLocaleString('en')} rows — ${d.name}`, vajra: ours.predictMs, anchor: { name: anchor.name, value: theirs.predict_ms } });
  }
  return rows;
}

/** VAJRA_BENCH_ML_MODELS=gbdt,kmeans times only those models (while tuning one trainer); all by default. */
function selectedCases(): Case[] {
  const only = process.env.VAJRA_BENCH_ML_MODELS?.split(',').filter(Boolean);
  return only && only.length > 0 ? CASES.filter((c) => only.includes(c.key)) : CASES;
}

async function benchDataset(d: BenchDataset, onModel?: (key: Case['key'], model: FittedModel) => void): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'vajra-bench-ml-'));
  const cases = selectedCases();
  try {
    await writeDataset(dir, d);
    const ours = new Map<Case['key'], Measured>();
    for (const c of cases) {
      console.error(`  ml: Vajra ${c.label} on ${d.name}`);
      const { measured, model } = measureVajra(c, d);
      ours.set(c.key, measured);
      onModel?.(c.key, model);
    }
    console.error(`  ml: Python anchors on ${d.name}`);
    const python = await measurePython(dir, cases.flatMap((c) => c.anchors.map((a) => a.script)));
    return cases.flatMap((c) => rowsFor(c, d, ours.get(c.key)!, python));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The ML suite: synthetic 100k × 20 (10k in quick mode, plus 1M with --full) and adult census. */
export async function benchMl(): Promise<BenchRow[]> {
  const mode = benchMode();
  const sizes = mode === 'quick' ? [10_000] : mode === 'full' ? [100_000, 1_000_000] : [100_000];
  const rows: BenchRow[] = [];
  let gbdt: FittedModel | undefined;
  for (const n of sizes) {
    const d = makeClassification(n + n / 4, 20, n / 4, 42 + n);
    rows.push(...(await benchDataset(d, (key, model) => { if (key === 'gbdt' && !gbdt) gbdt = model; })));
  }
  const adult = await adultCensus(resolve(here, '..', 'examples', 'tabular', 'data', 'adult.csv'), mode === 'quick' ? 5_000 : Infinity);
  rows.push(...(await benchDataset(adult)));
  if (gbdt) rows.push(...(await benchOnnxScoring(gbdt, 20, mode === 'quick' ? 10_000 : 100_000)));
  return rows;
}
