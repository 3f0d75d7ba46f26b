import { z } from 'zod';
import { UserInputError } from '../base/errors';
import type { PipelineDoc } from './document';
import { isNodeKind } from './catalog';
import type { NodeKind } from './catalog';

const docSchema = z.object({
  version: z.literal(1),
  id: z.string().min(1),
  name: z.string(),
  nodes: z.array(z.object({
    id: z.string().min(1),
    kind: z.string().refine(isNodeKind, { message: 'is not a known node kind' }),
    params: z.record(z.string(), z.unknown()),
    position: z.object({ x: z.number(), y: z.number() }),
    label: z.string().optional(),
  }).strict()),
  edges: z.array(z.object({
    id: z.string().min(1),
    from: z.object({ node: z.string(), port: z.string() }).strict(),
    to: z.object({ node: z.string(), port: z.string() }).strict(),
  }).strict()),
}).strict();

/** JSON with object keys sorted at every level, 2-space indent and a trailing newline. */
export function stableStringify(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[key] = sortKeys(v);
    return out;
  }
  return value;
}

/** The `NAME.pipeline.json` text of a pipeline: stable (sorted keys), so diffs show real edits. */
export function serializePipeline(doc: PipelineDoc): string {
  return stableStringify(doc);
}

/**
 * Parses `NAME.pipeline.json` text. Throws UserInputError with the line and column of a JSON syntax
 * error, or the path of the first structural problem. Parameters are kept as written (validate
 * them with `validateGraph`), so `serializePipeline(parsePipeline(t)) === t` for canonical text.
 */
export function parsePipeline(text: string): PipelineDoc {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UserInputError(`This pipeline file is not valid JSON${where(text, error)}.`);
  }
  const result = docSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue && issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : '';
    throw new UserInputError(`This pipeline file has a problem${path}: ${issue?.message ?? 'unknown structure'}.`);
  }
  const doc = result.data;
  return { ...doc, nodes: doc.nodes.map((n) => ({ ...n, kind: knownKind(n.kind) })) };
}

function knownKind(kind: string): NodeKind {
  if (!isNodeKind(kind)) throw new UserInputError(`This pipeline file uses an unknown node kind "${kind}".`);
  return kind;
}

function where(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const match = /position (\d+)/.exec(message);
  if (!match) return ` (${message})`;
  const before = text.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  return ` (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
}
