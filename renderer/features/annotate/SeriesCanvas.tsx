import { useEffect, useRef } from 'react';
import type { Label } from '../../../app/labels/model';
import type { Backend } from '../../bridge/connection';
import { extentOf, type AnnotateStore, type SeriesLabel } from './annotate-store';
import { drawFrame, plotRect, type Frame, type Palette } from './draw';
import { newLabelId } from './label-ids';
import { pxToX, xToPx, zoomAt, type Viewport } from './viewport';
import { createWindowFetcher, specCovers, type FetchedWindow } from './window-fetcher';

type Drag =
  | { kind: 'pan'; startPx: number; view: Viewport }
  | { kind: 'create'; startX: number; startPx: number; x: number }
  | { kind: 'move'; label: SeriesLabel; startX: number; startPx: number; current: SeriesLabel }
  | { kind: 'resize'; label: Extract<Label, { kind: 'range' }>; edge: 'start' | 'end'; current: SeriesLabel };

const HIT_PX = 5;

function readPalette(el: HTMLElement): Palette {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return { fg: v('--fg', '#1d2330'), muted: v('--fg-muted', '#667085'), border: v('--border', '#d7dbe2'), bg: v('--bg', '#fff'), line: v('--accent', '#3a63d8') };
}

/** The series with its labels on a canvas: wheel/+− zoom, Shift-drag pan, drag to label, click to select. */
export function SeriesCanvas({ store, backend }: { store: AnnotateStore; backend: Backend }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const windowRef = useRef<FetchedWindow | null>(null);
  const dragRef = useRef<Drag | null>(null);
  const frameRef = useRef(0);
  const scheduleRef = useRef<() => void>(() => undefined);

  useEffect(() => {
    const canvas = canvasRef.current!;
    const ctx = canvas.getContext('2d')!;
    const meta = store.getState().meta!;
    let palette = readPalette(canvas);
    let size = { width: 0, height: 0 };

    const colors = new Map(meta.classes.map((c) => [c.name, c.color]));
    const draw = () => {
      frameRef.current = 0;
      const s = store.getState();
      const started = performance.now();
      const drag = dragRef.current;
      let labels = s.labels;
      if (drag && (drag.kind === 'move' || drag.kind === 'resize')) labels = { ...labels, labels: { ...labels.labels, [drag.current.id]: drag.current } };
      const frame: Frame = {
        width: size.width,
        height: size.height,
        viewport: s.viewport,
        window: windowRef.current?.window ?? null,
        labels,
        colors,
        selection: s.selection,
        markStart: s.markStart,
        cursor: s.cursor,
        preview: drag?.kind === 'create' ? { start: drag.startX, end: drag.x, label: s.activeClass } : null,
        isTime: s.extent?.timeKind === 'timestamp',
        palette,
      };
      ctx.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0);
      drawFrame(ctx, frame);
      canvas.dataset.drawMs = (performance.now() - started).toFixed(2);
      // Whether this frame shows data fine enough for its view (not a stretched older window): for tests and the bench.
      const shown = frame.window;
      canvas.dataset.serves = shown && specCovers(shown, s.viewport, plotRect(size.width, size.height).w) ? '1' : '0';
      canvas.dataset.drawnAt = started.toFixed(1);
    };
    const schedule = () => {
      if (!frameRef.current) frameRef.current = requestAnimationFrame(draw);
    };

    const fetcher = createWindowFetcher(
      backend,
      meta.target,
      (fetched) => {
        windowRef.current = fetched;
        canvas.dataset.fetchMs = fetched.fetchMs.toFixed(1);
        canvas.dataset.buckets = String(fetched.window.buckets);
        canvas.dataset.windowFrom = String(fetched.window.from);
        canvas.dataset.windowTo = String(fetched.window.to);
        schedule();
      },
      (error) => (canvas.dataset.fetchError = error.message),
    );
    const refetch = () => {
      const plot = plotRect(size.width, size.height);
      const view = store.getState().viewport;
      // The fetcher serves from its kept windows when it can (and prefetches), else fetches.
      fetcher.request(view, plot.w);
    };

    const resize = new ResizeObserver(() => {
      const rect = canvas.getBoundingClientRect();
      size = { width: rect.width, height: rect.height };
      canvas.width = Math.round(rect.width * devicePixelRatio);
      canvas.height = Math.round(rect.height * devicePixelRatio);
      palette = readPalette(canvas);
      windowRef.current = windowRef.current && { ...windowRef.current };
      refetch();
      schedule();
    });
    resize.observe(canvas);
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.viewport !== prev.viewport) refetch();
      schedule();
    });
    const theme = new MutationObserver(() => {
      palette = readPalette(canvas);
      schedule();
    });
    theme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });

    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const s = store.getState();
      if (!s.extent) return;
      const plot = plotRect(size.width, size.height);
      const anchor = Math.min(1, Math.max(0, (e.offsetX - plot.x) / plot.w));
      s.setViewport(zoomAt(s.viewport, e.deltaY < 0 ? 1.25 : 0.8, anchor, extentOf(s.extent)));
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    scheduleRef.current = schedule;
    return () => {
      resize.disconnect();
      theme.disconnect();
      unsubscribe();
      fetcher.dispose();
      canvas.removeEventListener('wheel', onWheel);
      if (frameRef.current) cancelAnimationFrame(frameRef.current);
    };
  }, [store, backend]);

  const geometry = () => {
    const canvas = canvasRef.current!;
    const rect = canvas.getBoundingClientRect();
    return { plot: plotRect(rect.width, rect.height), left: rect.left };
  };
  const xAt = (clientX: number) => {
    const { plot, left } = geometry();
    return { x: pxToX(clientX - left - plot.x, store.getState().viewport, plot.w), px: clientX - left - plot.x, w: plot.w };
  };
  const redraw = () => scheduleRef.current();

  const hit = (px: number, w: number): { item: SeriesLabel; suggested: boolean; edge?: 'start' | 'end' } | null => {
    const s = store.getState();
    const toPx = (x: number) => xToPx(x, s.viewport, w);
    const sel = s.selection ? s.labels.labels[s.selection] : undefined;
    if (sel?.kind === 'range') {
      if (Math.abs(toPx(sel.start) - px) <= HIT_PX) return { item: sel, suggested: false, edge: 'start' };
      if (Math.abs(toPx(sel.end) - px) <= HIT_PX) return { item: sel, suggested: false, edge: 'end' };
    }
    const inside = (l: Label) => (l.kind === 'point' ? Math.abs(toPx(l.at) - px) <= HIT_PX : l.kind === 'range' && toPx(l.start) - 2 <= px && px <= toPx(l.end) + 2);
    const labels = Object.values(s.labels.labels).filter(inside);
    // The narrowest label wins, so a small range inside a big one stays reachable.
    const width = (l: Label) => (l.kind === 'range' ? l.end - l.start : 0);
    const best = labels.sort((a, b) => width(a) - width(b))[0];
    if (best && (best.kind === 'range' || best.kind === 'point')) return { item: best, suggested: false };
    const sug = Object.values(s.labels.suggestions).find((g) => inside(g.proposal));
    if (sug && (sug.proposal.kind === 'range' || sug.proposal.kind === 'point')) return { item: { ...sug.proposal, id: sug.id }, suggested: true };
    return null;
  };

  const onPointerDown = (e: React.PointerEvent<HTMLCanvasElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus();
    const { x, px, w } = xAt(e.clientX);
    const s = store.getState();
    if (e.shiftKey || e.button === 1) {
      dragRef.current = { kind: 'pan', startPx: px, view: s.viewport };
      return;
    }
    const found = hit(px, w);
    if (found?.edge && found.item.kind === 'range') {
      dragRef.current = { kind: 'resize', label: found.item, edge: found.edge, current: found.item };
    } else if (found) {
      s.select(found.item.id);
      dragRef.current = found.suggested ? null : { kind: 'move', label: found.item, startX: x, startPx: px, current: found.item };
    } else {
      dragRef.current = { kind: 'create', startX: x, startPx: px, x };
    }
    redraw();
  };

  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const { x, px, w } = xAt(e.clientX);
    const s = store.getState();
    const drag = dragRef.current;
    if (!drag) return s.setCursor(x);
    if (drag.kind === 'pan') {
      const dx = ((px - drag.startPx) / w) * (drag.view.to - drag.view.from);
      s.setViewport({ from: drag.view.from - dx, to: drag.view.to - dx });
    } else if (drag.kind === 'create') {
      drag.x = x;
    } else if (drag.kind === 'move') {
      const d = x - drag.startX;
      drag.current = drag.label.kind === 'range' ? { ...drag.label, start: drag.label.start + d, end: drag.label.end + d } : { ...drag.label, at: drag.label.at + d };
    } else {
      const other = drag.edge === 'start' ? drag.label.end : drag.label.start;
      drag.current = { ...drag.label, start: Math.min(x, other), end: Math.max(x, other) };
    }
    s.setCursor(x);
    redraw();
  };

  const onPointerUp = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const drag = dragRef.current;
    dragRef.current = null;
    if (!drag) return;
    const s = store.getState();
    const meta = s.meta!;
    const { x, px } = xAt(e.clientX);
    if (drag.kind === 'create') {
      if (Math.abs(px - drag.startPx) > 4) {
        const id = newLabelId();
        if (s.edit({ op: 'add', label: { kind: 'range', id, series: meta.series, start: Math.min(drag.startX, x), end: Math.max(drag.startX, x), label: s.activeClass } })) s.select(id);
      } else if (s.selection) s.select(null);
      else {
        const id = newLabelId();
        if (s.edit({ op: 'add', label: { kind: 'point', id, series: meta.series, at: x, label: s.activeClass } })) s.select(id);
      }
    } else if ((drag.kind === 'move' || drag.kind === 'resize') && JSON.stringify(drag.current) !== JSON.stringify(drag.label)) {
      s.edit({ op: 'update', label: drag.current });
    }
    redraw();
  };

  return (
    <canvas
      ref={canvasRef}
      className="annotate-canvas"
      tabIndex={0}
      aria-label="Series"
      data-testid="series-canvas"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerLeave={() => !dragRef.current && store.getState().setCursor(null)}
    />
  );
}
