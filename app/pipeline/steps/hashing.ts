import { attr } from '../../onnx/types';
import { murmurHash3Signed } from './murmur-hash';
import { replaceColumn, replaceOnnxColumn, stringValues } from './table';
import { l2Normalize, PAD, tokenize, tokenTensor } from './text';
import type { Column, CompileContext, StepImpl } from './types';

const INT64 = 7;

/** The feature column names of a hashing vectorizer: `column:h0` … `column:h<n-1>`. */
export function hashingColumnNames(column: string, nFeatures: number): string[] {
  return Array.from({ length: nFeatures }, (_, i) => `${column}:h${i}`);
}

/** Index and sign of one token: scikit-learn's FeatureHasher (|h| mod n, sign of h). */
export function hashToken(token: string, nFeatures: number): { index: number; sign: 1 | -1 } {
  const h = murmurHash3Signed(token, 0);
  return { index: Math.abs(h) % nFeatures, sign: h >= 0 ? 1 : -1 };
}

/**
 * Stateless text features: scikit-learn's HashingVectorizer(norm='l2', single words). Each token
 * (same tokenizer as the text vectorizer) adds ±1 at index |murmurhash3_32(token, 0)| mod
 * nFeatures (the sign of the hash when `alternateSign`, else +1); rows are scaled to unit L2 norm.
 * Fitting learns nothing; the column is replaced by `nFeatures` columns `column:h<i>`.
 *
 * ONNX (default opset 16): Tokenizer (pad `#`) → com.microsoft MurmurHash3 (seed 0, signed) →
 * Cast int64 → Abs → Mod n (int64, so |−2³¹| is exact) → ScatterElements(reduction 'add') of
 * ±1 masked by an ai.onnx.ml LabelEncoder that maps the pad to 0 → L2 row norm. Both
 * onnxruntime-node and onnxruntime-web run MurmurHash3 on strings.
 */
export const hashingVectorizer: StepImpl<'hashingVectorizer'> = {
  fit(spec) {
    return { kind: 'hashingVectorizer', column: spec.column, lowercase: spec.lowercase, minTokenLength: spec.minTokenLength, nFeatures: spec.nFeatures, alternateSign: spec.alternateSign };
  },
  transform(fitted, table) {
    const n = fitted.nFeatures;
    const columns: Extract<Column, { type: 'number' }>[] = hashingColumnNames(fitted.column, n).map((name) => ({ name, type: 'number', values: new Float64Array(table.rows) }));
    const row = new Float64Array(n);
    stringValues(table, fitted.column).forEach((text, r) => {
      row.fill(0);
      for (const token of tokenize(text, fitted.lowercase, fitted.minTokenLength)) {
        const { index, sign } = hashToken(token, n);
        row[index]! += fitted.alternateSign ? sign : 1;
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += row[i]! ** 2;
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let i = 0; i < n; i++) if (row[i] !== 0) columns[i]!.values[r] = row[i]! * scale;
    });
    return replaceColumn(table, fitted.column, columns);
  },
  compile(fitted, ctx) {
    const b = ctx.builder;
    const { flat, padded } = tokenTensor(ctx, fitted);
    const hash = b.op('Cast', [b.op('MurmurHash3', [padded], { seed: attr.int(0), positive: attr.int(0) }, 'com.microsoft')], { to: attr.int(INT64) });
    const index = b.op('Mod', [b.op('Abs', [hash]), b.addInitializer('n_features', { type: 'int64', dims: [1], values: [fitted.nFeatures] })]);
    const isToken = b.op('LabelEncoder', [padded], { keys_strings: attr.strings([PAD]), values_floats: attr.floats([0]), default_float: attr.float(1) }, 'ai.onnx.ml');
    const values = fitted.alternateSign ? b.op('Mul', [isToken, signOf(ctx, hash)]) : isToken;
    const zeros = b.op('ConstantOfShape', [b.op('Concat', [b.op('Shape', [flat]), b.addInitializer('n_features_shape', { type: 'int64', dims: [1], values: [fitted.nFeatures] })], { axis: attr.int(0) })], {
      value: attr.tensor({ type: 'float', dims: [1], values: [0] }),
    });
    const sums = b.op('ScatterElements', [zeros, index, values], { axis: attr.int(1), reduction: attr.string('add') });
    b.typed(sums, 'float', ['N', fitted.nFeatures]);
    replaceOnnxColumn(ctx, fitted.column, l2Normalize(ctx, sums), hashingColumnNames(fitted.column, fitted.nFeatures), 'number');
  },
};

/** −1 where the hash is negative, else +1 (float). */
function signOf(ctx: CompileContext, hash: string): string {
  const b = ctx.builder;
  const negative = b.op('Less', [hash, b.addInitializer('zero_i64', { type: 'int64', dims: [1], values: [0] })]);
  return b.op('Where', [negative, b.addInitializer('minus_one', { type: 'float', dims: [1], values: [-1] }), b.addInitializer('plus_one', { type: 'float', dims: [1], values: [1] })]);
}
