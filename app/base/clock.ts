/** Time source injected into app/ code so that tests are deterministic. Milliseconds since epoch. */
export interface Clock {
  now(): number;
}

/** A clock that returns `start`, advancing by `stepMs` on every call (for tests). */
export function fixedClock(start: number, stepMs = 0): Clock {
  let t = start;
  return { now: () => ((t += stepMs), t - stepMs) };
}
