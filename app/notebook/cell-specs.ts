import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { NotebookCell } from './types';

const channel = z.string().min(1);

/** The chart builder's spec (the body of a chart cell, YAML or JSON). `table` names the data. */
export const chartSpecSchema = z.object({
  mark: z.enum(['bar', 'line', 'area', 'dot', 'point', 'rect', 'cell', 'tick', 'rule', 'text', 'boxplot', 'histogram']),
  table: channel,
  x: channel.optional(),
  y: channel.optional(),
  color: channel.optional(),
  size: channel.optional(),
  facet: channel.optional(),
  aggregate: z.enum(['count', 'sum', 'mean', 'median', 'min', 'max']).optional(),
}).loose();

/** A chart cell's spec. Unknown keys are kept for the renderer. */
export type ChartSpec = z.infer<typeof chartSpecSchema>;

/** Either a value or a message saying why there is none. */
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}

/** Reads a chart cell's body (YAML is a superset of JSON, so both work). */
export function parseChartSpec(source: string): Checked<ChartSpec> {
  let raw: unknown;
  try {
    raw = parseYaml(source);
  } catch (error) {
    return { ok: false, message: `chart spec is not valid YAML or JSON: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  const parsed = chartSpecSchema.safeParse(raw ?? {});
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: `chart spec ${firstIssue(parsed.error)}` };
}

/** An input cell read into a typed control and its current value. */
export type InputSpec =
  | { type: 'slider' | 'number'; min: number | undefined; max: number | undefined; step: number | undefined; value: number; label: string | undefined }
  | { type: 'text'; value: string; label: string | undefined }
  | { type: 'select'; choices: string[]; value: string; label: string | undefined }
  | { type: 'checkbox'; value: boolean; label: string | undefined }
  | { type: 'date'; value: string; label: string | undefined };

function numberOption(cell: NotebookCell, key: string): number | undefined | string {
  const raw = cell.options[key];
  if (raw === undefined) return undefined;
  const value = raw === true ? Number.NaN : Number(raw);
  return Number.isFinite(value) ? value : `${key} must be a number`;
}

function numericSpec(cell: NotebookCell, type: 'slider' | 'number', label: string | undefined): Checked<InputSpec> {
  const [min, max, step, value] = ['min', 'max', 'step', 'value'].map((k) => numberOption(cell, k));
  for (const v of [min, max, step, value]) if (typeof v === 'string') return { ok: false, message: v };
  const n = (v: number | string | undefined) => (typeof v === 'number' ? v : undefined);
  if (type === 'slider' && (n(min) === undefined || n(max) === undefined)) return { ok: false, message: 'a slider needs min and max' };
  return { ok: true, value: { type, min: n(min), max: n(max), step: n(step), value: n(value) ?? n(min) ?? 0, label } };
}

/**
 * Reads an input cell: `type` (slider, number, text, select, checkbox, date) and its options;
 * a select's choices are the non-empty lines of the body. The value defaults to min, the first
 * choice, false, '' as fits.
 */
export function parseInputSpec(cell: NotebookCell): Checked<InputSpec> {
  const str = (key: string) => (typeof cell.options[key] === 'string' ? String(cell.options[key]) : undefined);
  const label = str('label');
  const type = str('type');
  switch (type) {
    case 'slider':
    case 'number':
      return numericSpec(cell, type, label);
    case 'text':
      return { ok: true, value: { type, value: str('value') ?? '', label } };
    case 'select': {
      const choices = cell.source.split('\n').map((l) => l.trim()).filter((l) => l !== '');
      const value = str('value') ?? choices[0] ?? '';
      if (choices.length > 0 && !choices.includes(value)) return { ok: false, message: `value ${JSON.stringify(value)} is not one of the choices` };
      return { ok: true, value: { type, choices, value, label } };
    }
    case 'checkbox': {
      const value = str('value') ?? 'false';
      if (value !== 'true' && value !== 'false') return { ok: false, message: 'a checkbox value is true or false' };
      return { ok: true, value: { type, value: value === 'true', label } };
    }
    case 'date': {
      const value = str('value') ?? '';
      if (value !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return { ok: false, message: 'a date value is YYYY-MM-DD' };
      return { ok: true, value: { type, value, label } };
    }
    default:
      return { ok: false, message: `input type must be slider, number, text, select, checkbox or date${type ? `, not ${type}` : ''}` };
  }
}
