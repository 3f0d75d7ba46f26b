import { z } from 'zod';
import { UserInputError } from '../base/errors';

/**
 * Model registry as plain data: numbered versions of a named model, each pointing at a run's
 * artifact, and aliases (champion, challenger …) whose full history is kept so that any move
 * can be explained and undone. The store writes `models/<name>/versions/<n>.json` and
 * `models/<name>/aliases.json`; these functions decide what goes in them.
 */

/** Model and alias names are safe folder names: letters, digits, `_`, `-`, `.`, not leading `.`. */
export const modelNameSchema = z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/, 'a model name is 1–128 letters, digits, _ - or . (not leading .)');
export const aliasNameSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'an alias starts with a letter: letters, digits, _ or -');

/** One registered version. `createdAt` in ms since epoch. */
export const modelVersionSchema = z.object({
  format: z.literal(1),
  name: modelNameSchema,
  version: z.number().int().positive(),
  runId: z.string().min(1),
  /** Path of the model file inside the run's artifacts (e.g. `model/model.onnx`). */
  artifactPath: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.number().int(),
  description: z.string().default(''),
});
export type ModelVersion = z.infer<typeof modelVersionSchema>;

/** One move of an alias. `previous` = index of the entry that was current before (or -1). */
export const aliasEntrySchema = z.object({
  version: z.number().int().positive(),
  at: z.number().int(),
  action: z.enum(['set', 'rollback']),
  previous: z.number().int().min(-1),
});
export type AliasEntry = z.infer<typeof aliasEntrySchema>;

/** All aliases of one model; each history is append-only and its last entry is current. */
export const aliasStateSchema = z.object({ format: z.literal(1), aliases: z.record(z.string(), z.array(aliasEntrySchema)) });
export type AliasState = z.infer<typeof aliasStateSchema>;

/** An alias state with no aliases. */
export function emptyAliasState(): AliasState {
  return { format: 1, aliases: {} };
}

/** The version an alias points at now, or undefined. */
export function aliasVersion(state: AliasState, alias: string): number | undefined {
  return state.aliases[alias]?.at(-1)?.version;
}

/** Points `alias` at `version` (recorded even when unchanged, so every decision is in history). */
export function setAlias(state: AliasState, alias: string, version: number, at: number): AliasState {
  aliasNameSchema.parse(alias);
  const history = state.aliases[alias] ?? [];
  const entry: AliasEntry = { version, at, action: 'set', previous: history.length - 1 };
  return { ...state, aliases: { ...state.aliases, [alias]: [...history, entry] } };
}

/**
 * Moves `alias` back to the version it had before its current assignment. Repeated rollbacks
 * walk further back along that chain (not back and forth between two versions).
 */
export function rollbackAlias(state: AliasState, alias: string, at: number): AliasState {
  const history = state.aliases[alias] ?? [];
  const current = history.at(-1);
  if (!current || current.previous < 0) throw new UserInputError(`Alias ${alias} has no earlier version to roll back to`);
  const target = history[current.previous]!;
  const entry: AliasEntry = { version: target.version, at, action: 'rollback', previous: target.previous };
  return { ...state, aliases: { ...state.aliases, [alias]: [...history, entry] } };
}

/** The next version number after the existing ones (1 for a new model). */
export function nextVersion(existing: readonly number[]): number {
  return existing.reduce((max, v) => Math.max(max, v), 0) + 1;
}
