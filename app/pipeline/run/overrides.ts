import { UserInputError } from '../../base/errors';
import { createRng } from '../../base/rng';
import type { PipelineDoc } from '../document';

/** Parameter changes keyed `NODE.PARAM` (a nested param as `NODE.a.b`). */
export type Overrides = Record<string, unknown>;

/**
 * Parses one `NODE.PARAM=VALUE` assignment (the CLI's `--set`). VALUE is read as JSON when it
 * parses (numbers, booleans, arrays, quoted strings) and as plain text otherwise.
 */
export function parseAssignment(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  const key = eq < 0 ? '' : text.slice(0, eq).trim();
  if (eq < 0 || !/^[^.=\s]+\.[^=\s]+$/.test(key)) throw new UserInputError(`"${text}" is not NODE.PARAM=VALUE (for example gbdt.maxIter=50).`);
  const raw = text.slice(eq + 1);
  try {
    return [key, JSON.parse(raw)];
  } catch {
    return [key, raw];
  }
}

function setPath(params: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return params;
  if (rest.length === 0) return { ...params, [head]: value };
  const inner = params[head];
  const child = inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? { ...inner } : {};
  return { ...params, [head]: setPath(child, rest, value) };
}

/** A copy of `doc` with the overrides applied. Throws (naming it) for a node that does not exist. */
export function applyOverrides(doc: PipelineDoc, overrides: Overrides): PipelineDoc {
  let nodes = doc.nodes;
  for (const [key, value] of Object.entries(overrides)) {
    const dot = key.indexOf('.');
    const nodeId = key.slice(0, dot), path = key.slice(dot + 1).split('.');
    if (dot <= 0 || path.some((p) => p === '')) throw new UserInputError(`"${key}" is not NODE.PARAM.`);
    if (!nodes.some((n) => n.id === nodeId)) throw new UserInputError(`"${key}": this pipeline has no node "${nodeId}" (nodes: ${doc.nodes.map((n) => n.id).join(', ')}).`);
    nodes = nodes.map((n) => (n.id === nodeId ? { ...n, params: setPath(n.params, path, value) } : n));
  }
  return { ...doc, nodes };
}

/** How a sweep picks trials: every combination, or a seeded random sample of them. */
export type SweepMethod = 'grid' | 'random';

/**
 * The trials of a sweep over `space` (`NODE.PARAM` → candidate values). `grid` gives every
 * combination (keys in sorted order, last key fastest), up to `maxTrials`; `random` draws
 * `maxTrials` distinct combinations with a seeded generator (all of them when there are fewer).
 */
export function sweepTrials(space: Readonly<Record<string, readonly unknown[]>>, method: SweepMethod, maxTrials: number, seed: number): Overrides[] {
  const keys = Object.keys(space).sort();
  if (keys.length === 0) throw new UserInputError('The sweep has no parameters to search; add NODE.PARAM with a list of values to its space.');
  for (const k of keys) if (space[k]!.length === 0) throw new UserInputError(`The sweep parameter "${k}" has no values.`);
  const sizes = keys.map((k) => space[k]!.length);
  const total = sizes.reduce((a, b) => a * b, 1);
  const combo = (index: number): Overrides => {
    const out: Overrides = {};
    let rest = index;
    for (let i = keys.length - 1; i >= 0; i--) {
      out[keys[i]!] = space[keys[i]!]![rest % sizes[i]!];
      rest = Math.floor(rest / sizes[i]!);
    }
    return Object.fromEntries(keys.map((k) => [k, out[k]]));
  };
  const count = Math.min(maxTrials, total);
  if (method === 'grid') return Array.from({ length: count }, (_, i) => combo(i));
  const indices = Array.from({ length: total }, (_, i) => i);
  return createRng(seed).shuffle(indices).slice(0, count).map(combo);
}
