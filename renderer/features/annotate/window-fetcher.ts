import { decodeIpc } from '../../../app/data/ipc';
import { shapeM4, type SeriesWindow } from '../../../app/labels/downsample';
import type { SeriesSource } from '../../../app/protocol/methods/labels';
import type { Backend } from '../../bridge/connection';
import type { Viewport } from './viewport';

/** A fetched window and how long the round trip took (request → shaped arrays), in ms. */
export interface FetchedWindow {
  readonly window: SeriesWindow;
  readonly fetchMs: number;
}

/** What one request asks for: [from, to] at `pixels` columns. */
interface Spec {
  readonly from: number;
  readonly to: number;
  readonly pixels: number;
}

/** Views fetched per request: the visible one plus one on each side, so a pan draws at once. */
const OVERSCAN = 1;
/** Two zoom steps (the keys zoom by 1.5): a prefetched level serves the next two steps either way. */
const PREFETCH_ZOOM = 2.25;
const MAX_PIXELS = 8192;
/** Windows kept (each a few hundred KB at most). */
const CACHE_SIZE = 8;

/**
 * True when a window of `have` serves `view` at `pixels` columns: it spans the view and its
 * density (x per column) is at most 5% coarser and at most 1.6× finer than wanted.
 */
export function specCovers(have: Spec, view: Viewport, pixels: number): boolean {
  const haveDensity = (have.to - have.from) / have.pixels;
  const wantDensity = (view.to - view.from) / pixels;
  return have.from <= view.from && have.to >= view.to && haveDensity <= wantDensity * 1.05 && haveDensity >= wantDensity / 1.6;
}

/** The request for `view` seen through `scale` (> 1 = coarser, zoomed out) with `overscan` views on each side. */
function specFor(view: Viewport, pixels: number, scale: number, overscan: number): Spec {
  const span = (view.to - view.from) * scale;
  const mid = (view.from + view.to) / 2;
  const from = mid - span * (0.5 + overscan);
  const to = mid + span * (0.5 + overscan);
  return { from, to, pixels: Math.min(MAX_PIXELS, Math.max(1, Math.round(pixels * (1 + 2 * overscan)))) };
}

/**
 * Fetches M4 windows for a viewport and keeps the last few. A view served by a kept window is
 * drawn from it at once; otherwise the window is fetched right away (a burst of steps while one is
 * in flight costs one more request, for the latest view). While idle it prefetches the next two
 * zoom-in and zoom-out levels, so zoom steps usually find their data already here. A stale answer
 * never replaces a newer one; prefetches that no longer help are cancelled.
 */
export function createWindowFetcher(backend: Backend, source: SeriesSource, onWindow: (fetched: FetchedWindow) => void, onError: (error: Error) => void, debounceMs = 40) {
  const cache: FetchedWindow[] = [];
  const inflight = new Map<AbortController, { spec: Spec; prefetch: boolean }>();
  let wanted: { view: Viewport; pixels: number } | undefined;
  let delivered: FetchedWindow | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let idle: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const specOf = (w: SeriesWindow): Spec => ({ from: w.from, to: w.to, pixels: w.pixels });

  function best(view: Viewport, pixels: number): FetchedWindow | undefined {
    // The finest kept window that serves the view.
    return cache.filter((f) => specCovers(specOf(f.window), view, pixels)).sort((a, b) => (a.window.to - a.window.from) / a.window.pixels - (b.window.to - b.window.from) / b.window.pixels)[0];
  }

  async function fetchSpec(spec: Spec, prefetch: boolean): Promise<void> {
    const controller = new AbortController();
    inflight.set(controller, { spec, prefetch });
    const started = performance.now();
    try {
      const result = await backend.call('series.window', { source, ...spec }, { signal: controller.signal });
      const window = shapeM4(decodeIpc(result.bytes), { ...spec, valueColumns: source.valueColumns });
      if (disposed) return;
      cache.unshift({ window, fetchMs: performance.now() - started });
      cache.length = Math.min(cache.length, CACHE_SIZE);
    } catch (error) {
      if (!prefetch && !disposed && !(error instanceof Error && error.name === 'CancelledError')) onError(error instanceof Error ? error : new Error(String(error)));
    } finally {
      inflight.delete(controller);
    }
    if (!disposed && wanted) serve(wanted.view, wanted.pixels);
  }

  /** Whether a kept or in-flight window serves the view two zoom steps away (`scale` < 1 in, > 1 out). */
  function prefetchNeeded(view: Viewport, pixels: number, scale: number): Spec | null {
    const half = ((view.to - view.from) * scale) / 2;
    const mid = (view.from + view.to) / 2;
    const target = { from: mid - half, to: mid + half };
    const served = cache.some((f) => specCovers(specOf(f.window), target, pixels)) || [...inflight.values()].some((f) => specCovers(f.spec, target, pixels));
    if (served) return null;
    // Zoom in: the view itself (plus half a view each side) at the finer density; zoom out: the wider view with overscan.
    return scale < 1 ? specFor(view, pixels * PREFETCH_ZOOM, 1, 0.5) : specFor(view, pixels, scale, OVERSCAN);
  }

  function prefetchAround(view: Viewport, pixels: number): void {
    clearTimeout(idle);
    idle = setTimeout(() => {
      void (async () => {
        // One at a time, zoom-in first (the likelier next step): the server answers windows in order.
        for (const scale of [1 / PREFETCH_ZOOM, PREFETCH_ZOOM]) {
          if (disposed || wanted?.view !== view || [...inflight.values()].some((f) => !f.prefetch)) return;
          const spec = prefetchNeeded(view, pixels, scale);
          if (spec) await fetchSpec(spec, true);
        }
      })();
    }, 0);
  }

  function serve(view: Viewport, pixels: number): void {
    const hit = best(view, pixels);
    if (hit) {
      if (hit !== delivered) {
        delivered = hit;
        onWindow(hit);
      }
      prefetchAround(view, pixels);
      return;
    }
    if ([...inflight.values()].some((f) => specCovers(f.spec, view, pixels))) return;
    // The prefetches in flight do not help this view: free the server for it.
    for (const [controller, f] of inflight) if (f.prefetch) controller.abort();
    if ([...inflight.values()].some((f) => !f.prefetch)) {
      clearTimeout(timer);
      timer = setTimeout(() => wanted && !best(wanted.view, wanted.pixels) && void fetchSpec(specFor(wanted.view, wanted.pixels, 1, OVERSCAN), false), debounceMs);
      return;
    }
    void fetchSpec(specFor(view, pixels, 1, OVERSCAN), false);
  }

  return {
    /** Asks for the window of `view` at `pixels` columns: drawn from a kept window when one serves, else fetched. */
    request(view: Viewport, pixels: number): void {
      wanted = { view, pixels };
      serve(view, pixels);
    },
    dispose(): void {
      disposed = true;
      clearTimeout(timer);
      clearTimeout(idle);
      for (const controller of inflight.keys()) controller.abort();
    },
  };
}
