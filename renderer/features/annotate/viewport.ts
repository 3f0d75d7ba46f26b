/** Zoom and pan of the annotator's x axis, as pure functions over plain numbers (x units). */

/** The visible x range: from < to. */
export interface Viewport {
  readonly from: number;
  readonly to: number;
}

/** Where the series lives; views are kept inside it (with a small margin) and not narrower than `minSpan`. */
export interface Extent {
  readonly from: number;
  readonly to: number;
  readonly minSpan: number;
}

/** Keeps a viewport inside the extent (5% margin each side) and at least `minSpan` wide. */
export function clampViewport(v: Viewport, extent: Extent): Viewport {
  const full = Math.max(extent.to - extent.from, extent.minSpan);
  const margin = full * 0.05;
  const lo = extent.from - margin;
  const hi = extent.from + full + margin;
  let span = Math.min(Math.max(v.to - v.from, extent.minSpan), hi - lo);
  if (!(span > 0)) span = extent.minSpan;
  let from = v.from;
  if (from < lo) from = lo;
  if (from + span > hi) from = hi - span;
  return { from, to: from + span };
}

/** Zooms by `factor` (> 1 zooms in) keeping the x at `anchor` (0..1 across the view) in place. */
export function zoomAt(v: Viewport, factor: number, anchor: number, extent: Extent): Viewport {
  const span = v.to - v.from;
  const x = v.from + span * anchor;
  const next = span / factor;
  return clampViewport({ from: x - next * anchor, to: x - next * anchor + next }, extent);
}

/** Pans by `fraction` of the view width (positive moves the view right, to later x). */
export function panBy(v: Viewport, fraction: number, extent: Extent): Viewport {
  const d = (v.to - v.from) * fraction;
  return clampViewport({ from: v.from + d, to: v.to + d }, extent);
}

/** Centers the view on [start, end], widening it when the target does not fit in 60% of the view. */
export function focusOn(v: Viewport, start: number, end: number, extent: Extent): Viewport {
  const span = Math.max(v.to - v.from, (end - start) / 0.6);
  const mid = (start + end) / 2;
  return clampViewport({ from: mid - span / 2, to: mid + span / 2 }, extent);
}

/** x → pixel offset within `width` pixels. */
export function xToPx(x: number, v: Viewport, width: number): number {
  return ((x - v.from) / (v.to - v.from)) * width;
}

/** pixel offset → x. */
export function pxToX(px: number, v: Viewport, width: number): number {
  return v.from + (px / width) * (v.to - v.from);
}

const TIME_STEPS = [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400, 30 * 86400, 91 * 86400, 365 * 86400].map((s) => s * 1000);

/** Tick positions (x) for about one tick per `pxPerTick` pixels: calendar-ish steps for time, 1-2-5 steps for numbers. */
export function ticks(v: Viewport, width: number, isTime: boolean, pxPerTick = 110): number[] {
  const span = v.to - v.from;
  const target = (span * pxPerTick) / Math.max(1, width);
  let step: number;
  if (isTime) step = TIME_STEPS.find((s) => s >= target) ?? Math.ceil(target / TIME_STEPS.at(-1)!) * TIME_STEPS.at(-1)!;
  else {
    const p = 10 ** Math.floor(Math.log10(target));
    step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= target) ?? 10 * p;
  }
  const out: number[] = [];
  for (let x = Math.ceil(v.from / step) * step; x <= v.to && out.length < 200; x += step) out.push(x);
  return out;
}
