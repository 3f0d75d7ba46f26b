import type { SeriesWindow } from '../../../app/labels/downsample';
import type { Label, LabelSetState } from '../../../app/labels/model';
import { ticks, xToPx, type Viewport } from './viewport';

/** Plot margins in CSS pixels: y labels left, label bars top, time axis bottom. */
export const PAD = { left: 58, right: 10, top: 16, bottom: 24 } as const;

/** Theme colours read from the CSS variables of app.css. */
export interface Palette {
  readonly fg: string;
  readonly muted: string;
  readonly border: string;
  readonly bg: string;
  readonly line: string;
}

/** Everything one frame shows. */
export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly viewport: Viewport;
  readonly window: SeriesWindow | null;
  readonly labels: LabelSetState;
  readonly colors: ReadonlyMap<string, string>;
  readonly selection: string | null;
  readonly markStart: number | null;
  readonly cursor: number | null;
  /** A range being dragged out, in x units. */
  readonly preview: { start: number; end: number; label: string } | null;
  readonly isTime: boolean;
  readonly palette: Palette;
}

/** The plot area (CSS pixels) inside the canvas. */
export function plotRect(width: number, height: number): { x: number; y: number; w: number; h: number } {
  return { x: PAD.left, y: PAD.top, w: Math.max(1, width - PAD.left - PAD.right), h: Math.max(1, height - PAD.top - PAD.bottom) };
}

const hatchCache = new Map<string, CanvasPattern | null>();

function hatch(ctx: CanvasRenderingContext2D, color: string): CanvasPattern | string {
  let p = hatchCache.get(color);
  if (p === undefined) {
    const tile = document.createElement('canvas');
    tile.width = 8;
    tile.height = 8;
    const t = tile.getContext('2d')!;
    t.strokeStyle = color;
    t.globalAlpha = 0.55;
    t.lineWidth = 1.5;
    t.beginPath();
    t.moveTo(-2, 10);
    t.lineTo(10, -2);
    t.stroke();
    p = ctx.createPattern(tile, 'repeat');
    hatchCache.set(color, p);
  }
  return p ?? color;
}

function formatX(x: number, isTime: boolean, span: number): string {
  if (!isTime) return Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : String(Number(x.toPrecision(6)));
  const iso = new Date(x).toISOString();
  if (span > 180 * 86_400_000) return iso.slice(0, 10);
  if (span > 3 * 86_400_000) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  return iso.slice(11, span > 600_000 ? 16 : 19);
}

function formatY(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6 || (a > 0 && a < 1e-2)) return v.toExponential(1);
  return String(Number(v.toPrecision(4)));
}

/** y range of one channel over the buckets inside the view (with 5% headroom). */
function yRange(w: SeriesWindow, c: number, view: Viewport): [number, number] {
  const ch = w.channels[c]!;
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < w.buckets; k++) {
    if (w.xLast[k]! < view.from || w.xFirst[k]! > view.to) continue;
    if (ch.min[k]! < lo) lo = ch.min[k]!;
    if (ch.max[k]! > hi) hi = ch.max[k]!;
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (hi === lo) return [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

function drawSeries(ctx: CanvasRenderingContext2D, f: Frame, plot: ReturnType<typeof plotRect>): void {
  const w = f.window;
  if (!w) return;
  const bands = w.channels.length;
  const bandH = plot.h / bands;
  const px = (x: number) => plot.x + xToPx(x, f.viewport, plot.w);
  for (let c = 0; c < bands; c++) {
    const top = plot.y + c * bandH;
    const [lo, hi] = yRange(w, c, f.viewport);
    const py = (v: number) => top + 4 + (1 - (v - lo) / (hi - lo)) * (bandH - 8);
    const ch = w.channels[c]!;
    ctx.save();
    ctx.beginPath();
    ctx.rect(plot.x, top, plot.w, bandH);
    ctx.clip();
    ctx.strokeStyle = f.palette.line;
    ctx.lineWidth = 1;
    ctx.beginPath();
    let started = false;
    for (let k = 0; k < w.buckets; k++) {
      if (w.xLast[k]! < f.viewport.from - (f.viewport.to - f.viewport.from) * 0.02 && k + 1 < w.buckets && w.xLast[k + 1]! < f.viewport.from) continue;
      if (w.xFirst[k]! > f.viewport.to && k > 0 && w.xFirst[k - 1]! > f.viewport.to) break;
      if (Number.isNaN(ch.min[k]!)) continue;
      const x0 = px(w.xFirst[k]!);
      const x1 = px(w.xLast[k]!);
      const xm = (x0 + x1) / 2;
      if (!started) ctx.moveTo(x0, py(ch.first[k]!));
      else ctx.lineTo(x0, py(ch.first[k]!));
      started = true;
      ctx.lineTo(xm, py(ch.min[k]!));
      ctx.lineTo(xm, py(ch.max[k]!));
      ctx.lineTo(x1, py(ch.last[k]!));
    }
    ctx.stroke();
    ctx.restore();
    ctx.fillStyle = f.palette.muted;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of [hi - (hi - lo) * 0.05, (lo + hi) / 2, lo + (hi - lo) * 0.05]) ctx.fillText(formatY(v), plot.x - 6, py(v));
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(ch.name, plot.x + 4, top + 2);
    if (c > 0) {
      ctx.strokeStyle = f.palette.border;
      ctx.beginPath();
      ctx.moveTo(plot.x, top);
      ctx.lineTo(plot.x + plot.w, top);
      ctx.stroke();
    }
  }
}

function drawLabel(ctx: CanvasRenderingContext2D, f: Frame, plot: ReturnType<typeof plotRect>, label: Label, suggested: boolean): void {
  if (label.kind !== 'range' && label.kind !== 'point') return;
  const color = f.colors.get(label.label) ?? f.palette.muted;
  const selected = f.selection === label.id;
  const px = (x: number) => plot.x + xToPx(x, f.viewport, plot.w);
  const a = label.kind === 'range' ? px(label.start) : px(label.at);
  const b = label.kind === 'range' ? px(label.end) : a;
  if (b < plot.x - 8 || a > plot.x + plot.w + 8) return;
  const x0 = Math.max(plot.x - 2, a);
  const x1 = Math.min(plot.x + plot.w + 2, Math.max(b, a + 1));
  ctx.save();
  if (label.kind === 'range') {
    ctx.globalAlpha = suggested ? 1 : 0.18;
    ctx.fillStyle = suggested ? hatch(ctx, color) : color;
    ctx.fillRect(x0, plot.y, x1 - x0, plot.h);
    ctx.globalAlpha = 1;
    ctx.fillStyle = color;
    if (!suggested) ctx.fillRect(x0, plot.y - 6, x1 - x0, 5);
  } else {
    ctx.fillStyle = color;
    ctx.fillRect(a - 1, plot.y, 2, plot.h);
    ctx.beginPath();
    ctx.moveTo(a - 5, plot.y - 8);
    ctx.lineTo(a + 5, plot.y - 8);
    ctx.lineTo(a, plot.y - 1);
    ctx.fill();
  }
  ctx.strokeStyle = color;
  ctx.lineWidth = selected ? 2 : 1;
  if (suggested) ctx.setLineDash([4, 3]);
  if (selected || suggested) ctx.strokeRect(x0, plot.y, Math.max(1, x1 - x0), plot.h);
  if (selected && label.kind === 'range') {
    ctx.fillStyle = color;
    for (const x of [a, b]) ctx.fillRect(x - 3, plot.y + plot.h / 2 - 10, 6, 20);
  }
  ctx.restore();
}

function drawAxis(ctx: CanvasRenderingContext2D, f: Frame, plot: ReturnType<typeof plotRect>): void {
  ctx.strokeStyle = f.palette.border;
  ctx.lineWidth = 1;
  ctx.strokeRect(plot.x + 0.5, plot.y + 0.5, plot.w - 1, plot.h - 1);
  ctx.fillStyle = f.palette.muted;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const span = f.viewport.to - f.viewport.from;
  for (const x of ticks(f.viewport, plot.w, f.isTime)) {
    const p = plot.x + xToPx(x, f.viewport, plot.w);
    ctx.fillRect(p, plot.y + plot.h, 1, 4);
    ctx.fillText(formatX(x, f.isTime, span), p, plot.y + plot.h + 6);
  }
}

function drawMarks(ctx: CanvasRenderingContext2D, f: Frame, plot: ReturnType<typeof plotRect>): void {
  const px = (x: number) => plot.x + xToPx(x, f.viewport, plot.w);
  if (f.preview) {
    const a = px(Math.min(f.preview.start, f.preview.end));
    const b = px(Math.max(f.preview.start, f.preview.end));
    ctx.fillStyle = f.colors.get(f.preview.label) ?? f.palette.muted;
    ctx.globalAlpha = 0.25;
    ctx.fillRect(a, plot.y, Math.max(1, b - a), plot.h);
    ctx.globalAlpha = 1;
  }
  ctx.setLineDash([5, 4]);
  if (f.markStart !== null) {
    ctx.strokeStyle = f.colors.get([...f.colors.keys()][0] ?? '') ?? f.palette.fg;
    ctx.beginPath();
    ctx.moveTo(px(f.markStart), plot.y);
    ctx.lineTo(px(f.markStart), plot.y + plot.h);
    ctx.stroke();
  }
  if (f.cursor !== null) {
    ctx.strokeStyle = f.palette.muted;
    ctx.beginPath();
    ctx.moveTo(px(f.cursor) + 0.5, plot.y);
    ctx.lineTo(px(f.cursor) + 0.5, plot.y + plot.h);
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

/** Draws one frame: the series channels, labels, suggestions (hatched), marks and the time axis. */
export function drawFrame(ctx: CanvasRenderingContext2D, f: Frame): void {
  ctx.clearRect(0, 0, f.width, f.height);
  const plot = plotRect(f.width, f.height);
  for (const s of Object.values(f.labels.suggestions)) drawLabel(ctx, f, plot, s.proposal, true);
  for (const l of Object.values(f.labels.labels)) drawLabel(ctx, f, plot, l, false);
  drawSeries(ctx, f, plot);
  drawMarks(ctx, f, plot);
  drawAxis(ctx, f, plot);
}
