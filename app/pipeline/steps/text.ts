import { attr } from '../../onnx/types';
import { columnTensor, replaceColumn, replaceOnnxColumn, stringValues } from './table';
import type { Column, CompileContext, StepImpl } from './types';

/** Tokens are maximal runs of ASCII letters, digits and `_` (the ONNX Tokenizer's pattern). */
const TOKEN = /[A-Za-z0-9_]+/g;
/** Pads token rows in the graph; never a token (not a word character). */
export const PAD = '#';

/** The tokens of one text: optional lower-casing, ASCII word runs, at least `minLength` chars. */
export function tokenize(text: string, lowercase: boolean, minLength: number): string[] {
  const source = lowercase ? text.toLowerCase() : text;
  return (source.match(TOKEN) ?? []).filter((t) => t.length >= minLength);
}

/** Terms of a token list: unigrams, and with `ngramMax` 2 also bigrams joined by one space. */
export function terms(tokens: readonly string[], ngramMax: 1 | 2): string[] {
  const out = [...tokens];
  if (ngramMax === 2) for (let i = 0; i + 1 < tokens.length; i++) out.push(`${tokens[i]} ${tokens[i + 1]}`);
  return out;
}

/**
 * Bag-of-words text features. `count`: raw term counts. `tfidf`: counts × smooth idf
 * (ln((1+n)/(1+df)) + 1), rows scaled to unit L2 norm (scikit-learn's TfidfVectorizer defaults).
 * The vocabulary keeps the `maxFeatures` most frequent terms, sorted alphabetically; the column
 * is replaced by one column per term named `column:term`.
 *
 * ONNX: Reshape to [N] → StringNormalizer (LOWER) → com.microsoft Tokenizer (regex
 * `[a-zA-Z0-9_]+`, `mincharnum`, pad `#`) → TfIdfVectorizer → L2 row norm via standard ops.
 */
export const textVectorizer: StepImpl<'textVectorizer'> = {
  fit(spec, table) {
    const docs = stringValues(table, spec.column).map((t) => terms(tokenize(t, spec.lowercase, spec.minTokenLength), spec.ngramMax));
    const total = new Map<string, number>(), df = new Map<string, number>();
    for (const doc of docs) {
      for (const t of doc) total.set(t, (total.get(t) ?? 0) + 1);
      for (const t of new Set(doc)) df.set(t, (df.get(t) ?? 0) + 1);
    }
    const vocabulary = [...total.keys()]
      .sort((a, b) => (total.get(b) ?? 0) - (total.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, spec.maxFeatures)
      .sort();
    const n = docs.length;
    const idf = spec.mode === 'tfidf' ? vocabulary.map((t) => Math.log((1 + n) / (1 + (df.get(t) ?? 0))) + 1) : null;
    return { kind: 'textVectorizer', column: spec.column, lowercase: spec.lowercase, minTokenLength: spec.minTokenLength, ngramMax: spec.ngramMax, vocabulary, idf };
  },
  transform(fitted, table) {
    const index = new Map(fitted.vocabulary.map((t, i) => [t, i]));
    const columns: Extract<Column, { type: 'number' }>[] = fitted.vocabulary.map((t) => ({ name: `${fitted.column}:${t}`, type: 'number', values: new Float64Array(table.rows) }));
    stringValues(table, fitted.column).forEach((text, row) => {
      for (const t of terms(tokenize(text, fitted.lowercase, fitted.minTokenLength), fitted.ngramMax)) {
        const k = index.get(t);
        if (k !== undefined) columns[k]!.values[row]! += fitted.idf ? fitted.idf[k]! : 1;
      }
      if (fitted.idf) {
        let norm = 0;
        for (const c of columns) norm += c.values[row]! ** 2;
        if (norm > 0) for (const c of columns) c.values[row]! /= Math.sqrt(norm);
      }
    });
    return replaceColumn(table, fitted.column, columns);
  },
  compile(fitted, ctx) {
    const b = ctx.builder;
    const { padded } = tokenTensor(ctx, fitted);
    const pool = poolOf(fitted.vocabulary);
    const idf = fitted.idf;
    const counts = b.op('TfIdfVectorizer', [padded], {
      mode: attr.string(fitted.idf ? 'TFIDF' : 'TF'), min_gram_length: attr.int(1), max_gram_length: attr.int(fitted.ngramMax), max_skip_count: attr.int(0),
      ngram_counts: attr.ints(pool.counts), ngram_indexes: attr.ints(pool.indexes), pool_strings: attr.strings(pool.strings),
      ...(idf ? { weights: attr.floats(pool.indexes.map((k) => idf[k] ?? 0)) } : {}),
    });
    b.typed(counts, 'float', ['N', fitted.vocabulary.length]);
    const out = fitted.idf ? l2Normalize(ctx, counts) : counts;
    replaceOnnxColumn(ctx, fitted.column, out, fitted.vocabulary.map((t) => `${fitted.column}:${t}`), 'number');
  },
};

function poolOf(vocabulary: readonly string[]): { strings: string[]; indexes: number[]; counts: number[] } {
  const unigrams = vocabulary.map((t, i) => ({ t, i })).filter((e) => !e.t.includes(' '));
  const bigrams = vocabulary.map((t, i) => ({ t, i })).filter((e) => e.t.includes(' '));
  return {
    strings: [...unigrams.map((e) => e.t), ...bigrams.flatMap((e) => e.t.split(' '))],
    indexes: [...unigrams.map((e) => e.i), ...bigrams.map((e) => e.i)],
    counts: [0, unigrams.length],
  };
}

/** A [N, 1] string tensor of the pad token, as tall as `flat` ([N]). */
/**
 * The graph's tokens of a text column, as `tokenize` makes them: [N, T] strings (lowercased when
 * asked, tokens of at least `minTokenLength` word characters), padded with PAD ('#', never a
 * token) so the tensor is at least one wide even when no row has a token. `flat` is the [N] text.
 */
export function tokenTensor(ctx: CompileContext, fitted: { column: string; lowercase: boolean; minTokenLength: number }): { flat: string; padded: string } {
  const b = ctx.builder;
  const flat = b.op('Reshape', [columnTensor(ctx, fitted.column), b.addInitializer('flat_shape', { type: 'int64', dims: [1], values: [-1] })]);
  const text = fitted.lowercase ? b.op('StringNormalizer', [flat], { case_change_action: attr.string('LOWER'), locale: attr.string('C') }) : flat;
  const tokens = b.op('Tokenizer', [text], {
    mark: attr.int(0), mincharnum: attr.int(fitted.minTokenLength), pad_value: attr.string(PAD), tokenexp: attr.string('[a-zA-Z0-9_]+'),
  }, 'com.microsoft');
  b.typed(tokens, 'string', ['N', 'tokens']);
  return { flat, padded: b.op('Concat', [tokens, padColumn(ctx, flat)], { axis: attr.int(1) }) };
}

export function padColumn(ctx: CompileContext, flat: string): string {
  const b = ctx.builder;
  const n = b.op('Shape', [flat]);
  const shape = b.op('Concat', [n, b.addInitializer('one_i64', { type: 'int64', dims: [1], values: [1] })], { axis: attr.int(0) });
  return b.op('Expand', [b.addInitializer('pad', { type: 'string', dims: [1, 1], values: [PAD] }), shape]);
}

/** Rows of `x` ([N, k] float) divided by their L2 norm; all-zero rows stay zero. */
export function l2Normalize(ctx: CompileContext, x: string): string {
  const b = ctx.builder;
  const norm = b.op('Sqrt', [b.op('ReduceSumSquare', [x], { axes: attr.ints([1]), keepdims: attr.int(1) })]);
  const safe = b.op('Max', [norm, b.addInitializer('tiny', { type: 'float', dims: [1], values: [1e-30] })]);
  return b.op('Div', [x, safe]);
}
