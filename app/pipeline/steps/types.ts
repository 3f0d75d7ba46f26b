import type { GraphBuilder } from '../../onnx/builder';

/**
 * One column of a table on the TypeScript side. Numbers: NaN = missing. Strings: `''` = missing
 * (callers map SQL NULL to `''`, exactly as the compiled ONNX graph expects its string inputs).
 */
export type Column =
  | { name: string; type: 'number'; values: Float64Array }
  | { name: string; type: 'string'; values: readonly string[] };

/** A table of equally long columns, in feature order. */
export interface ColumnTable {
  rows: number;
  columns: Column[];
}

/** The training target some steps need (feature selection): numbers, or class labels as strings. */
export type StepTarget = { type: 'number'; values: Float64Array } | { type: 'string'; values: readonly string[] };

/** Imputation of one column: numbers get a number, strings a string. */
export type ImputeColumn = { name: string; type: 'number'; fill: number } | { name: string; type: 'string'; fill: string; known: string[] };

/** The categories of one column: strings, or integer codes of a number column. */
export type CategoryColumn = { name: string; type: 'string'; categories: string[] } | { name: string; type: 'number'; categories: number[] };

/** Settings of a step before fitting (what a pipeline node's parameters turn into). */
export type StepSpec =
  | { kind: 'impute'; columns: string[]; strategy: 'mean' | 'median' | 'most_frequent' | 'constant'; fillValue?: number | string }
  | { kind: 'scale'; columns: string[]; method: 'standard' | 'minmax' | 'robust' }
  | { kind: 'oneHot'; columns: string[]; handleUnknown: 'ignore' | 'error'; maxCategories?: number }
  | { kind: 'ordinal'; columns: string[] }
  | { kind: 'bucketize'; columns: string[]; bins: number; strategy: 'quantile' | 'uniform' }
  | { kind: 'log1p'; columns: string[] }
  | { kind: 'cyclic'; columns: string[]; period: number }
  | { kind: 'textVectorizer'; column: string; mode: 'tfidf' | 'count'; lowercase: boolean; minTokenLength: number; maxFeatures: number; ngramMax: 1 | 2 }
  | { kind: 'hashingVectorizer'; column: string; lowercase: boolean; minTokenLength: number; nFeatures: number; alternateSign: boolean }
  | { kind: 'selectColumns'; columns: string[]; mode: 'keep' | 'drop' }
  | { kind: 'featureSelect'; method: 'variance'; threshold: number }
  | { kind: 'featureSelect'; method: 'kbest'; k: number; score: 'anova' | 'mutual_info' | 'chi2' };

/** A fitted step as plain data (JSON-safe): what the TS transform and the ONNX compiler consume. */
export type FittedStep =
  | { kind: 'impute'; columns: ImputeColumn[] }
  | { kind: 'scale'; columns: { name: string; offset: number; scale: number }[] }
  | { kind: 'oneHot'; handleUnknown: 'ignore' | 'error'; columns: CategoryColumn[] }
  | { kind: 'ordinal'; columns: CategoryColumn[] }
  | { kind: 'bucketize'; columns: { name: string; boundaries: number[] }[] }
  | { kind: 'log1p'; columns: string[] }
  | { kind: 'cyclic'; columns: { name: string; period: number }[] }
  | { kind: 'textVectorizer'; column: string; lowercase: boolean; minTokenLength: number; ngramMax: 1 | 2; vocabulary: string[]; idf: number[] | null }
  | { kind: 'hashingVectorizer'; column: string; lowercase: boolean; minTokenLength: number; nFeatures: number; alternateSign: boolean }
  | { kind: 'selectColumns'; keep: string[] }
  | { kind: 'featureSelect'; keep: string[]; scores: Record<string, number> };

/** The kinds of preprocessing step. */
export type StepKind = FittedStep['kind'];

/** Where a column lives in the ONNX graph: column `index` of tensor `tensor` ([N, width]). */
export interface OnnxColumn {
  name: string;
  type: 'number' | 'string';
  tensor: string;
  index: number;
  width: number;
}

/** Compile state: the builder and the current columns in order. Steps replace columns in it. */
export interface CompileContext {
  builder: GraphBuilder;
  columns: OnnxColumn[];
}

/** One step kind: fit on a table, transform a table, and emit the same transform as ONNX ops. */
export interface StepImpl<K extends StepKind> {
  fit(spec: Extract<StepSpec, { kind: K }>, table: ColumnTable, target?: StepTarget): Extract<FittedStep, { kind: K }>;
  transform(fitted: Extract<FittedStep, { kind: K }>, table: ColumnTable): ColumnTable;
  compile(fitted: Extract<FittedStep, { kind: K }>, ctx: CompileContext): void;
}
