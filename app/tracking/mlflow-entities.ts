import { assertNever } from '../base/assert';
import type { ParamValue, RunRecord, RunStatus } from './run-model';

/** MLflow's run status names and the integers its FileStore writes in meta.yaml. */
export type MlflowStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
const statusNumbers: Record<MlflowStatus, number> = { RUNNING: 1, SCHEDULED: 2, FINISHED: 3, FAILED: 4, KILLED: 5 };

/** Vajra status → MLflow status name. */
export function toMlflowStatus(status: RunStatus): MlflowStatus {
  switch (status) {
    case 'running': return 'RUNNING';
    case 'finished': return 'FINISHED';
    case 'failed': return 'FAILED';
    case 'killed': return 'KILLED';
    default: return assertNever(status, 'run status');
  }
}

/** MLflow status (name or FileStore integer) → Vajra status; SCHEDULED counts as running. */
export function fromMlflowStatus(status: unknown): RunStatus | undefined {
  const name = typeof status === 'number' ? (Object.keys(statusNumbers) as MlflowStatus[]).find((k) => statusNumbers[k] === status) : status;
  switch (name) {
    case 'RUNNING': case 'SCHEDULED': return 'running';
    case 'FINISHED': return 'finished';
    case 'FAILED': return 'failed';
    case 'KILLED': return 'killed';
    default: return undefined;
  }
}

/** The integer MLflow's FileStore writes for a status. */
export function mlflowStatusNumber(status: RunStatus): number {
  return statusNumbers[toMlflowStatus(status)];
}

/**
 * A float as Python's `repr` writes it (MLflow writes metric values with f"{value}"): `1.0` for
 * whole numbers, `nan`/`inf`/`-inf`, exponent form below 1e-4 and from 1e16 with two exponent
 * digits (`1e-05`). Both sides parse either form; matching Python keeps files byte-identical.
 */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(value);
  if (abs >= 1e-4 && abs < 1e16) {
    // In this range JS and Python both print the shortest round-trip digits without exponent.
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  const sign = exponent.startsWith('-') ? '-' : '+';
  const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
  return `${mantissa}e${sign}${digits}`;
}

/** Parses a metric value as MLflow (Python float) writes it, including nan/inf. */
export function parsePythonFloat(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'nan' || t === '-nan') return Number.NaN;
  if (t === 'inf' || t === 'infinity' || t === '+inf') return Number.POSITIVE_INFINITY;
  if (t === '-inf' || t === '-infinity') return Number.NEGATIVE_INFINITY;
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isNaN(n) ? undefined : n;
}

/** A param value as MLflow stores it (a string; booleans as Python spells them). */
export function paramToMlflow(value: ParamValue): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

/** The tag that remembers Vajra param types so that an exported run re-imports losslessly. */
export const PARAM_TYPES_TAG = 'vajra.paramTypes';
/** MLflow system tags that carry fields of the Vajra record. */
export const RUN_NAME_TAG = 'mlflow.runName';
export const GIT_COMMIT_TAG = 'mlflow.source.git.commit';
export const PARENT_RUN_TAG = 'mlflow.parentRunId';

/** Param types of non-string params, as the JSON value of `PARAM_TYPES_TAG` (or undefined). */
export function paramTypesTag(params: Record<string, ParamValue>): string | undefined {
  const types: Record<string, 'number' | 'boolean'> = {};
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'number') types[key] = 'number';
    else if (typeof value === 'boolean') types[key] = 'boolean';
  }
  return Object.keys(types).length > 0 ? JSON.stringify(types) : undefined;
}

/** Restores typed params from MLflow strings using `PARAM_TYPES_TAG` when present. */
export function paramsFromMlflow(raw: Record<string, string>, typesTag: string | undefined): Record<string, ParamValue> {
  let types: Record<string, string> = {};
  try {
    if (typesTag) types = JSON.parse(typesTag) as Record<string, string>;
  } catch {
    types = {};
  }
  const out: Record<string, ParamValue> = {};
  for (const [key, text] of Object.entries(raw)) {
    const n = Number(text);
    if (types[key] === 'number' && text.trim() !== '' && (!Number.isNaN(n) || text === 'NaN')) out[key] = n;
    else if (types[key] === 'boolean' && (text === 'True' || text === 'False')) out[key] = text === 'True';
    else out[key] = text;
  }
  return out;
}

/** MLflow tags of a record: the user's tags plus the system tags for name, commit, parent. */
export function tagsToMlflow(record: RunRecord): Record<string, string> {
  const tags: Record<string, string> = { ...record.tags, [RUN_NAME_TAG]: record.name };
  if (record.repro.gitCommit) tags[GIT_COMMIT_TAG] = record.repro.gitCommit;
  if (record.lineage.parentRunId) tags[PARENT_RUN_TAG] = record.lineage.parentRunId;
  const types = paramTypesTag(record.params);
  if (types) tags[PARAM_TYPES_TAG] = types;
  return tags;
}

/** Splits MLflow tags into the user's tags and the record fields they carry. */
export function tagsFromMlflow(tags: Record<string, string>): { tags: Record<string, string>; name?: string; gitCommit?: string; parentRunId?: string; paramTypes?: string } {
  const { [RUN_NAME_TAG]: name, [GIT_COMMIT_TAG]: gitCommit, [PARENT_RUN_TAG]: parentRunId, [PARAM_TYPES_TAG]: paramTypes, ...rest } = tags;
  return { tags: rest, ...(name !== undefined ? { name } : {}), ...(gitCommit !== undefined ? { gitCommit } : {}), ...(parentRunId !== undefined ? { parentRunId } : {}), ...(paramTypes !== undefined ? { paramTypes } : {}) };
}
