import { expectationSchema, type Expectation } from '../../../app/validate/suite';

/** The target of an expectation as users read it: a column, a pair, or the whole table. */
export function expectationTarget(e: Expectation): string {
  if ('column' in e) return e.column;
  if (e.kind === 'column_pair') return `${e.left} ${e.op === 'le' ? '≤' : e.op === 'lt' ? '<' : '='} ${e.right}`;
  if (e.kind === 'columns') return `${e.columns.length} columns`;
  return '(table)';
}

/** The parameters of an expectation without kind, severity and target, as compact JSON. */
export function paramsText(e: Expectation): string {
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'kind' || k === 'severity' || k === 'column' || k === 'left' || k === 'right' || k === 'op') continue;
    if (v !== undefined && v !== false) rest[k] = v;
  }
  return JSON.stringify(rest);
}

/** Applies edited parameter JSON to an expectation; returns an error message when it is not valid. */
export function withParams(e: Expectation, text: string): { ok: true; expectation: Expectation } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, message: 'parameters are a JSON object' };
  const fixed: Record<string, unknown> = { kind: e.kind, severity: e.severity };
  for (const [k, v] of Object.entries(e)) if (k === 'column' || k === 'left' || k === 'right' || k === 'op') fixed[k] = v;
  const parsed = expectationSchema.safeParse({ ...json, ...fixed });
  return parsed.success ? { ok: true, expectation: parsed.data } : { ok: false, message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}

/** A stable key to tell whether a suggestion is already in the suite (kind + target). */
export function expectationKey(e: Expectation): string {
  return `${e.kind}:${expectationTarget(e)}`;
}
