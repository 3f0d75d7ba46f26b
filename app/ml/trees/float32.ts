const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The largest float32 that is ≤ `t` (NaN stays NaN, ±Infinity stay). For every float32 `x`,
 * `x <= float32SafeThreshold(t)` ⇔ `x <= t`, so a split routes float32 inputs (ONNX tree ensembles)
 * exactly as float64 ones. Plain `Math.fround` may round up and flip splits.
 */
export function float32SafeThreshold(t: number): number {
  if (Number.isNaN(t)) return t;
  const rounded = Math.fround(t);
  if (rounded <= t) return rounded;
  return nextDownFloat32(rounded);
}

/** The next float32 below the float32 `value` (finite or +Infinity). */
function nextDownFloat32(value: number): number {
  if (value === 0) return -1.401298464324817e-45;
  f32[0] = value;
  if (value > 0) u32[0] = u32[0]! - 1;
  else u32[0] = u32[0]! + 1;
  return f32[0]!;
}
