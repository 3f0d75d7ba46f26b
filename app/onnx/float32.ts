const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function step(x: number, up: boolean): number {
  // Moves a finite float32 one ulp toward +∞ (up) or −∞ by editing its bit pattern.
  if (x === 0) return up ? 1.401298464324817e-45 : -1.401298464324817e-45;
  f32[0] = x;
  u32[0] = u32[0]! + ((x > 0) === up ? 1 : -1);
  return f32[0];
}

/** The largest float32 ≤ x, so that `v <= float32Down(t)` ⇔ `v <= t` for every float32 v. */
export function float32Down(x: number): number {
  const f = Math.fround(x);
  return f > x ? step(f, false) : f;
}

/** The smallest float32 ≥ x, so that `v >= float32Up(t)` ⇔ `v >= t` for every float32 v. */
export function float32Up(x: number): number {
  const f = Math.fround(x);
  return f < x ? step(f, true) : f;
}
