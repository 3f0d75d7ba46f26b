/**
 * The expectation suite: a text file in the workspace (`NAME.expectations.json`), JSON with a
 * stable key order so that it diffs well in git. `parseSuite` validates with zod and reports
 * every problem with its path; `serializeSuite` writes the canonical form
 * (parseSuite ∘ serializeSuite is the identity on valid suites).
 */
import { z } from 'zod';
import { UserInputError } from '../base/errors';

/** `error` failures fail the suite; `warn` failures are reported but let it pass. */
export const severitySchema = z.enum(['error', 'warn']);
export type Severity = z.infer<typeof severitySchema>;

const base = { severity: severitySchema.default('error') };
const column = z.string().min(1);
const fraction = z.number().min(0).max(1);
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const bins = z.number().int().min(2).max(100).optional();

/** Shared by KS and chi²: fail when p < minPValue or statistic > maxStatistic (at least one). */
const testBounds = { minPValue: fraction.optional(), maxStatistic: z.number().min(0).optional() };
const hasBound = (e: { minPValue?: number | undefined; maxStatistic?: number | undefined }) =>
  e.minPValue !== undefined || e.maxStatistic !== undefined;
const boundMessage = { message: 'give minPValue, maxStatistic or both' };

/** Every expectation kind with its parameters. Values are compared as DuckDB compares them. */
export const expectationSchema = z.discriminatedUnion('kind', [
  /** The table has exactly these columns (in this order when `ordered`). */
  z.object({ kind: z.literal('columns'), ...base, columns: z.array(column), ordered: z.boolean().default(true) }),
  /** The column's DuckDB type is `type` (case-insensitive, e.g. `DOUBLE`, `VARCHAR`). */
  z.object({ kind: z.literal('column_type'), ...base, column, type: z.string().min(1) }),
  z.object({ kind: z.literal('not_null'), ...base, column }),
  /** Fraction of null values ≤ `max`. */
  z.object({ kind: z.literal('null_fraction'), ...base, column, max: fraction }),
  /** No non-null value occurs twice. */
  z.object({ kind: z.literal('unique'), ...base, column }),
  /** Every non-null value is one of `values`. */
  z.object({ kind: z.literal('in_set'), ...base, column, values: z.array(scalar).min(1) }),
  /** Every non-null value within [min, max] (bounds optional; `strictMin`/`strictMax` exclude). */
  z.object({
    kind: z.literal('range'), ...base, column, min: z.number().optional(), max: z.number().optional(),
    strictMin: z.boolean().default(false), strictMax: z.boolean().default(false),
  }),
  /** Every non-null value's text length within [min, max] characters. */
  z.object({ kind: z.literal('length'), ...base, column, min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }),
  /** Every non-null value contains a match of `pattern` (RE2 in DuckDB; anchor with ^…$ for a full match). */
  z.object({ kind: z.literal('regex'), ...base, column, pattern: z.string().min(1) }),
  z.object({ kind: z.literal('row_count'), ...base, min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }),
  /** For every row where both are non-null: left ≤ right, left < right or left = right. */
  z.object({ kind: z.literal('column_pair'), ...base, left: column, right: column, op: z.enum(['le', 'lt', 'eq']) }),
  /** Two-sample Kolmogorov–Smirnov test against the reference (numeric columns). */
  z.object({ kind: z.literal('ks'), ...base, column, ...testBounds }).refine(hasBound, boundMessage),
  /** χ² test of homogeneity of category counts against the reference (categorical columns). */
  z.object({ kind: z.literal('chi2'), ...base, column, ...testBounds }).refine(hasBound, boundMessage),
  /** Population stability index ≤ `max` on shared bins (reference deciles or categories). */
  z.object({ kind: z.literal('psi'), ...base, column, max: z.number().min(0), bins }),
  /** Wasserstein-1 distance ≤ `max`, in the column's units (numeric columns). */
  z.object({ kind: z.literal('wasserstein'), ...base, column, max: z.number().min(0) }),
  /** Jensen–Shannon distance (base 2, in [0, 1]) ≤ `max` on shared bins. */
  z.object({ kind: z.literal('jensen_shannon'), ...base, column, max: fraction, bins }),
  /** Welch's t-test of equal means: p ≥ `minPValue` (numeric columns). */
  z.object({ kind: z.literal('mean_shift'), ...base, column, minPValue: fraction }),
  /** Ratio of standard deviations max(s₁/s₂, s₂/s₁) ≤ `maxRatio` (numeric columns). */
  z.object({ kind: z.literal('std_shift'), ...base, column, maxRatio: z.number().min(1) }),
]);

export type Expectation = z.infer<typeof expectationSchema>;
export type ExpectationKind = Expectation['kind'];

/** A whole suite file. `version` is the format version (1). */
export const suiteSchema = z.object({
  format: z.literal('vajra.expectations'),
  version: z.literal(1),
  name: z.string().min(1),
  expectations: z.array(expectationSchema),
});

export type Suite = z.infer<typeof suiteSchema>;

/** Kinds that need a reference table. */
export const STATISTICAL_KINDS: ReadonlySet<ExpectationKind> = new Set(['ks', 'chi2', 'psi', 'wasserstein', 'jensen_shannon', 'mean_shift', 'std_shift']);

/** Kinds checked row by row (also by `validateRows` at serving time). */
export const ROW_KINDS: ReadonlySet<ExpectationKind> = new Set(['not_null', 'in_set', 'range', 'length', 'regex', 'column_pair']);

/** A new empty suite. */
export function emptySuite(name: string): Suite {
  return { format: 'vajra.expectations', version: 1, name, expectations: [] };
}

/** One problem found while parsing a suite file: a JSON path and a message. */
export interface SuiteIssue {
  path: string;
  message: string;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '') || '(root)';
}

/** Locates a JSON syntax error as "line L, column C" when the engine reports a position. */
function syntaxIssue(text: string, error: unknown): SuiteIssue {
  const message = error instanceof Error ? error.message : String(error);
  const at = /position (\d+)/.exec(message);
  if (!at) return { path: '(json)', message };
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const col = before.length - before.lastIndexOf('\n');
  return { path: '(json)', message: `${message} (line ${line}, column ${col})` };
}

/** Parses a suite file, or returns every issue found (JSON syntax, or schema path + message). */
export function tryParseSuite(text: string): { ok: true; suite: Suite } | { ok: false; issues: SuiteIssue[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [syntaxIssue(text, error)] };
  }
  const parsed = suiteSchema.safeParse(json);
  if (parsed.success) return { ok: true, suite: parsed.data };
  return { ok: false, issues: parsed.error.issues.map((i) => ({ path: pathText(i.path), message: i.message })) };
}

/** Parses a suite file; throws `UserInputError` listing every issue (`detail.issues`). */
export function parseSuite(text: string): Suite {
  const result = tryParseSuite(text);
  if (result.ok) return result.suite;
  const lines = result.issues.map((i) => `${i.path}: ${i.message}`);
  throw new UserInputError(`Invalid expectation suite:\n${lines.join('\n')}`, { issues: result.issues });
}

const KEY_ORDER = [
  'format', 'version', 'name', 'expectations', 'kind', 'severity', 'column', 'left', 'op', 'right', 'columns', 'ordered',
  'type', 'min', 'strictMin', 'max', 'strictMax', 'values', 'pattern', 'minPValue', 'maxStatistic', 'maxRatio', 'bins',
];

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  const rank = (k: string) => (KEY_ORDER.includes(k) ? KEY_ORDER.indexOf(k) : KEY_ORDER.length);
  entries.sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
}

/** The canonical text of a suite: fixed key order, 2-space indent, trailing newline. */
export function serializeSuite(suite: Suite): string {
  return `${JSON.stringify(canonical(suiteSchema.parse(suite)), null, 2)}\n`;
}
