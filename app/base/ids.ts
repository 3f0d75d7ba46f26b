declare const brand: unique symbol;

/** A string that the type system keeps apart from other strings of another brand. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type RunId = Brand<string, 'RunId'>;
export type CellId = Brand<string, 'CellId'>;
export type NodeId = Brand<string, 'NodeId'>;
export type LabelSetId = Brand<string, 'LabelSetId'>;
export type RequestId = Brand<number, 'RequestId'>;

/** Brands a string; use only where the value was checked or generated as that kind of id. */
export function asId<T extends Brand<string, string>>(value: string): T {
  return value as T;
}

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A sortable, collision-resistant id: base-36 time (ms, from an injected clock) + random suffix
 * from `random01` (inject a seeded rng in tests). Lexicographic order = creation order.
 */
export function newId(nowMs: number, random01: () => number, randomChars = 8): string {
  const time = Math.floor(nowMs).toString(36).padStart(9, '0');
  let suffix = '';
  for (let i = 0; i < randomChars; i++) suffix += alphabet[Math.floor(random01() * alphabet.length)];
  return `${time}${suffix}`;
}
