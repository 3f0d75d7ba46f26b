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

/** Views fetched per request: the visible one plus one on each side, so a pan draws at once. */
const OVERSCAN = 1;

/**
 * Fetches M4 windows for a viewport, debounced: bursts of zoom/pan steps cost one request, a
 * newer request cancels an older one, and a stale answer never replaces a newer one.
 */
export function createWindowFetcher(backend: Backend, source: SeriesSource, onWindow: (fetched: FetchedWindow) => void, onError: (error: Error) => void, debounceMs = 40) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;
  let generation = 0;

  async function fetchNow(view: Viewport, pixels: number): Promise<void> {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    const id = ++generation;
    const span = view.to - view.from;
    const from = view.from - span * OVERSCAN;
    const to = view.to + span * OVERSCAN;
    const px = Math.min(8192, Math.max(1, Math.round(pixels * (1 + 2 * OVERSCAN))));
    const started = performance.now();
    try {
      const result = await backend.call('series.window', { source, from, to, pixels: px }, { signal: mine.signal });
      if (id !== generation) return;
      const window = shapeM4(decodeIpc(result.bytes), { from, to, pixels: px, valueColumns: source.valueColumns });
      onWindow({ window, fetchMs: performance.now() - started });
    } catch (error) {
      if (id === generation && !(error instanceof Error && error.name === 'CancelledError')) onError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  return {
    /** Asks for the window of `view` at `pixels` columns (debounced). */
    request(view: Viewport, pixels: number): void {
      clearTimeout(timer);
      timer = setTimeout(() => void fetchNow(view, pixels), debounceMs);
    },
    /** True when `have` already covers `view` at about the same zoom (no fetch needed). */
    covers(have: SeriesWindow | null, view: Viewport, pixels: number): boolean {
      if (!have) return false;
      const span = view.to - view.from;
      const haveDensity = (have.to - have.from) / have.pixels;
      const wantDensity = span / pixels;
      return have.from <= view.from && have.to >= view.to && haveDensity <= wantDensity * 1.05 && haveDensity >= wantDensity / 1.6;
    },
    dispose(): void {
      clearTimeout(timer);
      controller?.abort();
    },
  };
}
