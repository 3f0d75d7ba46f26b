import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { readOnnxModel } from '../../onnx/reader';
import { compileFeatures } from '../compile';
import { stepSpecOf } from '../plan';
import { hashingVectorizer } from './hashing';
import { fitSteps } from './index';
import { murmurHash3Signed } from './murmur-hash';
import type { ColumnTable, FittedStep } from './types';

interface HashingFixture {
  documents: string[];
  hashes: Record<string, number>;
  cases: { nFeatures: number; alternateSign: boolean; lowercase: boolean; minTokenLength: number; entries: [number, number, number][] }[];
}

/** Written by tools/fixtures/pipeline/make_fixtures.py (scikit-learn 1.2 HashingVectorizer). */
const fixture = JSON.parse(readFileSync(new URL('./fixtures/hashing.json', import.meta.url), 'utf8')) as HashingFixture;
const table: ColumnTable = { rows: fixture.documents.length, columns: [{ name: 'doc', type: 'string', values: fixture.documents }, { name: 'n', type: 'number', values: new Float64Array(fixture.documents.length).fill(1) }] };

function sklearnDense(c: HashingFixture['cases'][number]): Float64Array {
  const out = new Float64Array(table.rows * c.nFeatures);
  for (const [r, j, v] of c.entries) out[r * c.nFeatures + j] = v;
  return out;
}

function fitted(c: HashingFixture['cases'][number]): FittedStep {
  return fitSteps([{ kind: 'hashingVectorizer', column: 'doc', lowercase: c.lowercase, minTokenLength: c.minTokenLength, nFeatures: c.nFeatures, alternateSign: c.alternateSign }], table).steps[0]!;
}

function tsDense(step: FittedStep, n: number): Float64Array {
  if (step.kind !== 'hashingVectorizer') throw new Error('expected a hashing step');
  const out = hashingVectorizer.transform(step, table);
  const dense = new Float64Array(table.rows * n);
  out.columns.slice(0, n).forEach((col, j) => { for (let r = 0; r < table.rows; r++) dense[r * n + j] = col.values[r] as number; });
  return dense;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

async function scoreWith(ort: typeof ortNode, bytes: Uint8Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  const out = await session.run({ doc: new ort.Tensor('string', fixture.documents, [table.rows, 1]), n: new ort.Tensor('float32', new Float32Array(table.rows).fill(1), [table.rows, 1]) });
  return out['features']!.data as Float32Array;
}

describe('hashingVectorizer equals scikit-learn HashingVectorizer(norm="l2")', () => {
  it('murmurHash3Signed(text, 0) equals sklearn murmurhash3_32 (UTF-8, every tail length)', () => {
    for (const [text, h] of Object.entries(fixture.hashes)) expect(murmurHash3Signed(text, 0), text).toBe(h);
  });

  it('hashingVectorizer.transform(docs) equals sklearn rows to 1e-12 (collisions, cancelling signs, empty docs)', () => {
    for (const c of fixture.cases) expect(maxAbsDiff(tsDense(fitted(c), c.nFeatures), sklearnDense(c)), JSON.stringify(c).slice(0, 80)).toBeLessThanOrEqual(1e-12);
  });

  it('compileFeatures(hashing) scores like sklearn in onnxruntime-node and onnxruntime-web (MurmurHash3 contrib op) to 1e-6', async () => {
    ortWeb.env.wasm.numThreads = 1;
    for (const c of fixture.cases) {
      const step = fitted(c);
      const bytes = compileFeatures({ pipelineId: 'p', columns: [{ name: 'doc', type: 'string' }, { name: 'n', type: 'number' }], steps: [step, { kind: 'selectColumns', keep: Array.from({ length: c.nFeatures }, (_, i) => `doc:h${i}`) }] });
      const want = sklearnDense(c);
      const node = await scoreWith(ortNode, bytes);
      const web = await scoreWith(ortWeb as unknown as typeof ortNode, bytes);
      expect(maxAbsDiff(node, want)).toBeLessThanOrEqual(1e-6);
      expect(maxAbsDiff(web, want)).toBeLessThanOrEqual(1e-6);
      expect(maxAbsDiff(web, node)).toBe(0);
    }
    const info = readOnnxModel(compileFeatures({ pipelineId: 'p', columns: [{ name: 'doc', type: 'string' }], steps: [fitted(fixture.cases[0]!)] }));
    expect(info.opsets).toMatchObject({ '': 16, 'com.microsoft': 1 });
  });

  it('stepSpecOf(textVectorizer mode hashing) gives a hashing step with defaults 2^10 and alternate sign; bigrams are refused on the node', () => {
    expect(stepSpecOf({ id: 'v', kind: 'textVectorizer', position: { x: 0, y: 0 }, params: { column: 'doc', mode: 'hashing' } })).toEqual({ kind: 'hashingVectorizer', column: 'doc', lowercase: true, minTokenLength: 2, nFeatures: 1024, alternateSign: true });
    expect(() => stepSpecOf({ id: 'v', kind: 'textVectorizer', position: { x: 0, y: 0 }, params: { column: 'doc', mode: 'hashing', ngramMax: 2 } })).toThrow(/single words/);
    expect(() => stepSpecOf({ id: 'v', kind: 'textVectorizer', position: { x: 0, y: 0 }, params: { column: 'doc', mode: 'hashing', nFeatures: 1 } })).toThrow(/at least 2 features/);
  });
});
