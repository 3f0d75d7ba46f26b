import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { createRng } from '../base/rng';
import { readOnnxModel } from '../onnx/reader';
import { NODE_KINDS, nodeSpec } from './catalog';
import type { NodeKind } from './catalog';
import { compileFeatures, METADATA_KEYS } from './compile';
import type { InputColumn } from './compile';
import { stepSpecOf, windowSpecOf } from './plan';
import { fitSteps, transformSteps } from './steps/index';
import type { ColumnTable, StepSpec, StepTarget } from './steps/types';
import { windowColumns } from './steps/window-sql';

const WORDS = ['good', 'Bad', 'movie', 'plot', 'actor', 'a', 'the', 'GREAT', 'x_y', 'héllo'];

function table(rows: number, seed: number): ColumnTable {
  const rng = createRng(seed);
  const num = (missing: number, f: () => number) => Float64Array.from({ length: rows }, () => (rng.next() < missing ? NaN : Math.fround(f())));
  return {
    rows,
    columns: [
      { name: 'day', type: 'number', values: Float64Array.from({ length: rows }, (_, i) => i) },
      { name: 'x', type: 'number', values: num(0.1, () => rng.normal() * 5 + 20) },
      { name: 'z', type: 'number', values: num(0, () => 1 + rng.int(6)) },
      { name: 'city', type: 'string', values: Array.from({ length: rows }, () => ['oslo', 'lima', 'rome', ''][rng.int(4)]!) },
      { name: 'text', type: 'string', values: Array.from({ length: rows }, () => Array.from({ length: rng.int(7) }, () => WORDS[rng.int(WORDS.length)]!).join(' ')) },
    ],
  };
}

/**
 * Parameters of every preprocessing node kind for `table` (several where a kind has modes). A
 * new preprocessing kind without an entry fails the first test below.
 */
const CASES: Partial<Record<NodeKind, Record<string, unknown>[]>> = {
  impute: [{ columns: ['x', 'city'], strategy: 'most_frequent' }],
  scale: [{ columns: ['x', 'z'], method: 'robust' }],
  oneHot: [{ columns: ['city'] }],
  ordinal: [{ columns: ['city', 'z'] }],
  bucketize: [{ columns: ['x'], bins: 4 }],
  log1p: [{ columns: ['z'] }],
  cyclic: [{ columns: ['z'], period: 7 }],
  lag: [{ column: 'x', orderBy: 'day', lags: [1, 2] }],
  rolling: [{ column: 'x', orderBy: 'day', window: 3, fn: 'std' }],
  textVectorizer: [{ column: 'text', mode: 'tfidf', ngramMax: 2 }, { column: 'text', mode: 'count' }, { column: 'text', mode: 'hashing', nFeatures: 64 }, { column: 'text', mode: 'hashing', nFeatures: 1024, alternateSign: false }],
  selectColumns: [{ columns: ['city'], mode: 'drop' }],
  featureSelect: [{ method: 'variance', threshold: 0.5 }, { method: 'kbest', k: 2, score: 'anova', target: 'y' }],
};

const PREPROCESS = NODE_KINDS.filter((k) => nodeSpec(k).category === 'preprocess');

async function features(bytes: Uint8Array, t: ColumnTable, columns: readonly InputColumn[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  const feeds: Record<string, ort.Tensor> = {};
  for (const c of columns) {
    const col = t.columns.find((k) => k.name === c.name)!;
    feeds[c.name] = col.type === 'number' ? new ort.Tensor('float32', Float32Array.from(col.values), [t.rows, 1]) : new ort.Tensor('string', [...col.values], [t.rows, 1]);
  }
  return (await session.run(feeds))['features']!.data as Float32Array;
}

/** Fits the kind's step (after impute/ordinal/selectColumns so only numbers reach the graph output) and compares ONNX with TS. */
async function parity(spec: StepSpec): Promise<number> {
  const train = table(200, 1), test = table(50, 2);
  const y: StepTarget = { type: 'string', values: Array.from({ length: train.rows }, (_, i) => ((train.columns[2]!.values[i] as number) > 3 ? 'hi' : 'lo')) };
  const { steps } = fitSteps([spec], train, y);
  const out = transformSteps(steps, test);
  const numeric = out.columns.filter((c) => c.type === 'number');
  const columns = train.columns.map((c): InputColumn => ({ name: c.name, type: c.type }));
  const got = await features(compileFeatures({ pipelineId: 'kinds', columns, steps: [...steps, { kind: 'selectColumns', keep: numeric.map((c) => c.name) }] }), test, columns);
  let worst = 0;
  numeric.forEach((c, j) => {
    for (let r = 0; r < test.rows; r++) {
      const want = c.values[r]!, have = got[r * numeric.length + j]!;
      if (Number.isNaN(want)) expect(have, `${c.name}[${r}]`).toBeNaN();
      else worst = Math.max(worst, Math.abs(want - have) / Math.max(1, Math.abs(want)));
    }
  });
  return worst;
}

describe('every preprocessing node kind compiles to ONNX equal to its TypeScript transform (onnxruntime-node)', () => {
  it('CASES covers every preprocessing kind of the catalog', () => {
    expect(PREPROCESS.filter((k) => !CASES[k])).toEqual([]);
  });

  it.each(PREPROCESS.filter((k) => nodeSpec(k).runtime === 'onnx'))('%s: ONNX features equal transformSteps to 1e-6', async (kind) => {
    for (const params of CASES[kind]!) {
      const spec = stepSpecOf({ id: kind, kind, params, position: { x: 0, y: 0 } });
      expect(spec, kind).not.toBeNull();
      expect(await parity(spec!), JSON.stringify(params)).toBeLessThanOrEqual(1e-6);
    }
  });

  it.each(PREPROCESS.filter((k) => nodeSpec(k).runtime === 'sql'))('%s: runs in SQL, so its columns are graph inputs and its SQL is in vajra.derived_sql', (kind) => {
    for (const params of CASES[kind]!) {
      const node = { id: kind, kind, params, position: { x: 0, y: 0 } };
      expect(stepSpecOf(node)).toBeNull();
      const t = table(10, 3);
      const derived = windowColumns(windowSpecOf(node)!, t.columns);
      const columns: InputColumn[] = [...t.columns.map((c): InputColumn => ({ name: c.name, type: c.type })), ...derived.map((d): InputColumn => ({ name: d.name, type: d.type, derived: { sql: d.sql, stage: 0 } }))];
      const info = readOnnxModel(compileFeatures({ pipelineId: 'kinds', columns, steps: [{ kind: 'selectColumns', keep: derived.map((d) => d.name) }] }));
      expect(info.inputs.map((i) => i.name)).toEqual(columns.map((c) => c.name));
      expect(info.metadata[METADATA_KEYS.derivedSql]).toBe(`SELECT *, ${derived.map((d) => `${d.sql} AS "${d.name}"`).join(', ')} FROM input AS input`);
    }
  });
});
