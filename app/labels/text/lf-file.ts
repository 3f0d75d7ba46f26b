/**
 * The labeling-functions file of a workspace (e.g. `spam.lfs.json`): the classes, the text
 * column, and the LFs as data. Classes are named in the file; votes are class indices 0…k−1
 * (−1 abstains), the convention of app/labels/lf.ts.
 */
import { z } from 'zod';
import { UserInputError } from '../../base/errors';
import type { LabelingFunction } from '../lf';

const name = z.string().regex(/^[A-Za-z_][A-Za-z0-9_ -]{0,99}$/, 'letters, digits, _ - and space, starting with a letter or _');
const label = z.string().min(1).max(100);

/** One LF as written in the file (labels by class name). */
export const TextLf = z.discriminatedUnion('kind', [
  z.object({ name, kind: z.literal('keyword'), keywords: z.array(z.string().min(1).max(200)).min(1).max(500), label, description: z.string().max(1000).optional() }),
  z.object({ name, kind: z.literal('regex'), pattern: z.string().min(1).max(2000), flags: z.string().regex(/^[imsu]*$/).optional(), label, description: z.string().max(1000).optional() }),
  z.object({
    name,
    kind: z.literal('length'),
    unit: z.enum(['words', 'chars']),
    lessThan: z.number().int().min(0).optional(),
    greaterThan: z.number().int().min(0).optional(),
    label,
    description: z.string().max(1000).optional(),
  }),
  /** `where` is a DuckDB boolean expression over the row's columns; true votes `label`, false or NULL abstains. */
  z.object({ name, kind: z.literal('sql'), where: z.string().min(1).max(10_000), label, description: z.string().max(1000).optional() }),
  /**
   * `code` is the body of a JS function of `row` (column name → value) and the helpers
   * `keyword(text, ...words)`, `regex(text, pattern, flags?)`, `words(text)`; it returns a class
   * name (or index) to vote, or null/undefined to abstain.
   */
  z.object({ name, kind: z.literal('js'), code: z.string().min(1).max(20_000), description: z.string().max(1000).optional() }),
]);
export type TextLf = z.infer<typeof TextLf>;

/** The whole file. `text` names the column keyword/regex/length LFs read. */
export const LfFile = z
  .object({
    format: z.literal(1),
    classes: z.array(label).min(2).max(50),
    text: z.string().min(1).max(256),
    lfs: z.array(TextLf).max(500),
  })
  .superRefine((file, ctx) => {
    const names = new Set<string>();
    file.lfs.forEach((lf, i) => {
      if (names.has(lf.name)) ctx.addIssue({ code: 'custom', path: ['lfs', i, 'name'], message: `duplicate LF name "${lf.name}"` });
      names.add(lf.name);
      if (lf.kind !== 'js' && !file.classes.includes(lf.label)) ctx.addIssue({ code: 'custom', path: ['lfs', i, 'label'], message: `"${lf.label}" is not one of the classes` });
      if (lf.kind === 'regex') {
        try {
          new RegExp(lf.pattern, lf.flags);
        } catch (error) {
          ctx.addIssue({ code: 'custom', path: ['lfs', i, 'pattern'], message: error instanceof Error ? error.message : 'bad pattern' });
        }
      }
      if (lf.kind === 'length' && lf.lessThan === undefined && lf.greaterThan === undefined) ctx.addIssue({ code: 'custom', path: ['lfs', i], message: 'give lessThan or greaterThan' });
    });
  });
export type LfFile = z.infer<typeof LfFile>;

/** Parses and checks the text of an LFs file; the error names the first problem and its path. */
export function parseLfFile(text: string): LfFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserInputError(`The LFs file is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = LfFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserInputError(`The LFs file is not valid at ${issue.path.join('.') || '(top)'}: ${issue.message}`, { path: issue.path.map(String) });
  }
  return parsed.data;
}

/** The file as pretty JSON with a trailing newline (what the panel writes back). */
export function serializeLfFile(file: LfFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Index of class `label` in `classes`; throws when unknown. */
export function classIndex(classes: readonly string[], label: string): number {
  const i = classes.indexOf(label);
  if (i < 0) throw new UserInputError(`"${label}" is not one of the classes (${classes.join(', ')})`);
  return i;
}

/**
 * The file's LFs as app/labels/lf.ts values: keyword/regex/length keep their meaning; sql and js
 * LFs become external columns (their votes are computed by DuckDB and the JS sandbox).
 */
export function toLabelingFunctions(file: LfFile): LabelingFunction[] {
  return file.lfs.map((lf): LabelingFunction => {
    switch (lf.kind) {
      case 'keyword':
        return { name: lf.name, kind: 'keyword', keywords: lf.keywords, label: classIndex(file.classes, lf.label) };
      case 'regex':
        return { name: lf.name, kind: 'regex', pattern: lf.pattern, ...(lf.flags ? { flags: lf.flags } : {}), label: classIndex(file.classes, lf.label) };
      case 'length':
        return {
          name: lf.name,
          kind: 'length',
          unit: lf.unit,
          ...(lf.lessThan !== undefined ? { lessThan: lf.lessThan } : {}),
          ...(lf.greaterThan !== undefined ? { greaterThan: lf.greaterThan } : {}),
          label: classIndex(file.classes, lf.label),
        };
      case 'sql':
        return { name: lf.name, kind: 'sql', sql: lf.where };
      case 'js':
        return { name: lf.name, kind: 'js', code: lf.code };
    }
  });
}

/**
 * Maps gold values to class indices: a class name maps to its index, an integer 0…k−1 (or its
 * string form) to itself; anything else (null, unknown) to −1 (no gold for that row).
 */
export function goldCodes(classes: readonly string[], values: ArrayLike<unknown>): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const byName = typeof v === 'string' ? classes.indexOf(v) : -1;
    const num = typeof v === 'number' || typeof v === 'bigint' ? Number(v) : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
    out[i] = byName >= 0 ? byName : Number.isInteger(num) && num >= 0 && num < classes.length ? num : -1;
  }
  return out;
}
