import { z } from 'zod';
import { nodeSpec, type NodeKind } from '../../../app/pipeline/catalog';

/** One control of a node's settings form, derived from the kind's zod schema. */
export type Field = { key: string; label: string; isOptional: boolean; defaultValue?: unknown } & (
  | { type: 'number'; isInteger: boolean; min?: number; max?: number }
  | { type: 'enum'; options: string[] }
  /** A fixed set of values that are not all strings (e.g. true / false / 'auto', 1 / 2). */
  | { type: 'choice'; options: Array<{ label: string; value: unknown }> }
  | { type: 'boolean' }
  | { type: 'text'; isMultiline: boolean }
  /** A number if it reads as one, else the text (e.g. an imputation fill value). */
  | { type: 'scalar' }
  | { type: 'column' }
  | { type: 'columns' }
  | { type: 'dataset' }
  /** A time-series label set of the workspace (NAB scoring in Evaluate). */
  | { type: 'labelSet' }
  | { type: 'numberList' }
  | { type: 'textList' }
  /** Anything else (records, mixed arrays): edited as JSON. */
  | { type: 'json' }
);

/** The form of a kind: its fields, and for discriminated schemas the switch between variants. */
export interface ParamForm {
  variant?: { key: string; label: string; options: string[]; value: string };
  fields: Field[];
}

const COLUMN_KEYS = new Set(['column', 'target', 'orderBy', 'partitionBy', 'timeColumn']);
const COLUMNS_KEYS = new Set(['columns', 'features']);
const LABELS: Record<string, string> = {
  C: 'C (inverse regularisation)', l2Regularization: 'L2 regularisation', maxIter: 'Iterations', nTrees: 'Trees',
  testFraction: 'Test fraction', maxLeafNodes: 'Max leaf nodes', minSamplesLeaf: 'Min samples per leaf', ngramMax: 'Max n-gram',
  from: 'Read from', sql: 'SQL query', k: 'k', handleUnknown: 'Unknown categories', fn: 'Function',
  labelSet: 'Label set (NAB scoring)', labelClass: 'Label class (empty: all)', nabProfile: 'NAB profile', nFeatures: 'Hash columns (hashing)', alternateSign: 'Alternate sign (hashing)', lags: 'Lags (rows)', window: 'Window (rows)',
};

/** "learningRate" → "Learning rate". */
export function fieldLabel(key: string): string {
  const label = LABELS[key];
  if (label) return label;
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function literalValues(schema: z.core.$ZodType): unknown[] | null {
  if (schema instanceof z.ZodLiteral) return [...schema.values];
  if (schema instanceof z.ZodBoolean) return [true, false];
  if (schema instanceof z.ZodUnion) {
    const all: unknown[] = [];
    for (const option of schema.options) {
      const values = literalValues(option);
      if (!values) return null;
      all.push(...values);
    }
    return all;
  }
  return null;
}

type FieldShape = Field extends infer F ? (F extends Field ? Omit<F, 'key' | 'label' | 'isOptional' | 'defaultValue'> : never) : never;

function shapeOf(key: string, schema: z.core.$ZodType): FieldShape {
  if (COLUMN_KEYS.has(key) && schema instanceof z.ZodString) return { type: 'column' };
  if (COLUMNS_KEYS.has(key) && schema instanceof z.ZodArray) return { type: 'columns' };
  if (key === 'dataset') return { type: 'dataset' };
  if (key === 'labelSet' && schema instanceof z.ZodString) return { type: 'labelSet' };
  if (schema instanceof z.ZodNumber) {
    const { minValue: min, maxValue: max } = schema;
    return { type: 'number', isInteger: schema.isInt, ...(min !== null && min > Number.MIN_SAFE_INTEGER ? { min } : {}), ...(max !== null && max < Number.MAX_SAFE_INTEGER ? { max } : {}) };
  }
  if (schema instanceof z.ZodEnum) return { type: 'enum', options: schema.options.map(String) };
  if (schema instanceof z.ZodBoolean) return { type: 'boolean' };
  if (schema instanceof z.ZodString) return { type: 'text', isMultiline: key === 'sql' };
  if (schema instanceof z.ZodArray && schema.element instanceof z.ZodNumber) return { type: 'numberList' };
  if (schema instanceof z.ZodArray && schema.element instanceof z.ZodString) return { type: 'textList' };
  const literals = literalValues(schema);
  if (literals) return { type: 'choice', options: literals.map((value) => ({ label: String(value), value })) };
  if (schema instanceof z.ZodUnion && schema.options.every((o) => o instanceof z.ZodString || o instanceof z.ZodNumber)) return { type: 'scalar' };
  return { type: 'json' };
}

/** Unwraps default/optional layers: the inner schema, whether a value may be left out, and its default. */
function unwrap(schema: z.core.$ZodType): { inner: z.core.$ZodType; isOptional: boolean; defaultValue?: unknown } {
  if (schema instanceof z.ZodDefault) {
    const inner = unwrap(schema.unwrap());
    return { ...inner, isOptional: true, defaultValue: schema.def.defaultValue };
  }
  if (schema instanceof z.ZodOptional) return { ...unwrap(schema.unwrap()), isOptional: true };
  return { inner: schema, isOptional: false };
}

function objectFields(schema: z.ZodObject, skip?: string): Field[] {
  return Object.entries(schema.shape).flatMap(([key, value]): Field[] => {
    if (key === skip) return [];
    const { inner, isOptional, defaultValue } = unwrap(value);
    return [{ key, label: fieldLabel(key), isOptional, ...(defaultValue === undefined ? {} : { defaultValue }), ...shapeOf(key, inner) }];
  });
}

/**
 * The settings form of a node kind for its current params: one field per schema key (columns
 * and targets become column pickers); a discriminated union (the Source) shows a switch and the
 * fields of the variant `params` selects.
 */
export function paramForm(kind: NodeKind, params: Record<string, unknown>): ParamForm {
  const schema = nodeSpec(kind).params;
  if (schema instanceof z.ZodDiscriminatedUnion) {
    const key = String(schema.def.discriminator);
    const variants = schema.options.filter((o): o is z.ZodObject => o instanceof z.ZodObject);
    const valueOf = (o: z.ZodObject) => { const d = o.shape[key]; return d instanceof z.ZodLiteral ? String(d.value) : ''; };
    const current = variants.find((o) => valueOf(o) === params[key]) ?? variants[0];
    if (!current) return { fields: [] };
    return { variant: { key, label: fieldLabel(key), options: variants.map(valueOf), value: valueOf(current) }, fields: objectFields(current, key) };
  }
  return { fields: schema instanceof z.ZodObject ? objectFields(schema) : [] };
}

/**
 * Params of a new node of `kind`: each field's default written out (so the file shows what runs),
 * required fields left empty for the user (validation asks for them).
 */
export function defaultParams(kind: NodeKind): Record<string, unknown> {
  const form = paramForm(kind, {});
  const params: Record<string, unknown> = form.variant ? { [form.variant.key]: form.variant.value } : {};
  for (const field of form.fields) {
    if (field.defaultValue !== undefined) params[field.key] = field.defaultValue;
    else if (!field.isOptional && (field.type === 'column' || field.type === 'text' || field.type === 'dataset')) params[field.key] = '';
    else if (!field.isOptional && field.type === 'columns') params[field.key] = [];
  }
  return params;
}
