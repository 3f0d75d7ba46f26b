// Issue 8: the time-series annotator on a 10M-point, two-channel series — redraw time per zoom and
// pan step (key press → first frame, and → the first frame whose data is fine enough for the new
// view, from a kept/prefetched window or a fetch; the canvas reports it in data-serves/data-drawn-at),
// measured in the page, plus the renderer's JS heap. No anchor: the target is < 100 ms per step.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { NativeDatabase } from '../main/backend/data/native-engine';
import { LabelStore } from '../main/backend/labels/label-store';
import { WorkbenchPage } from '../e2e/pages/workbench';
import { browserUnavailable, openSession } from './browser';
import { benchMode } from './mode';
import type { BenchRow } from './types';

const STEPS = ['+', '+', '+', '+', 'ArrowRight', 'ArrowRight', 'ArrowLeft', '+', '+', '-', '-', '-', '-', '-', '-'];

/** The same table and label set as the annotate e2e bench, written before the server starts. */
async function writeSeries(workspace: string, points: number): Promise<void> {
  await mkdir(join(workspace, '.vajra'), { recursive: true });
  const db = await NativeDatabase.open(join(workspace, '.vajra/workspace.duckdb'));
  const engine = await db.connect();
  await engine.exec(`CREATE OR REPLACE TABLE big AS SELECT TIMESTAMP '2020-01-01' + to_seconds(i) AS ts, sin(i / 50000.0) * 10 + sin(i / 37.0) + (hash(i) % 1000) / 1000.0 AS v, cos(i / 7000.0) + CASE WHEN i % 1000003 = 0 THEN 8 ELSE 0 END AS w FROM range(${points}) t(i)`);
  await engine.close();
  db.close();
  const meta = { format: 1 as const, id: 'bench', name: 'big', classes: [{ name: 'anomaly', color: '#e5534b', key: 1 }], target: { table: 'big', timeColumn: 'ts', valueColumns: ['v', 'w'] }, series: 'big' };
  const store = await LabelStore.create(join(workspace, 'labels/big'), meta);
  await store.close();
}

interface Step { key: string; firstFrame: number; fresh: number | null; fetched: boolean; drawMs: number }

const median = (values: number[]) => (values.length === 0 ? Number.NaN : [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!);
const max = (values: number[]) => (values.length === 0 ? Number.NaN : Math.max(...values));

/** The labels suite: 10M points (1M in quick mode). */
export async function benchLabels(): Promise<BenchRow[]> {
  const points = benchMode() === 'quick' ? 1_000_000 : 10_000_000;
  const shape = `${points.toLocaleString('en')}-point series, 2 channels`;
  const unavailable = browserUnavailable();
  if (unavailable) return [{ suite: 'labels', case: `zoom/pan on a ${shape}`, vajra: Number.NaN, unit: 'ms', note: `skipped: ${unavailable}` }];
  const session = await openSession('timeseries', (workspace) => writeSeries(workspace, points));
  try {
    const { page } = session;
    const wb = new WorkbenchPage(page);
    await wb.waitReady();
    const opened = performance.now();
    await wb.openFile('labels/big');
    await page.waitForFunction(() => /^[1-9]/.test(document.querySelector<HTMLElement>('[data-testid="series-canvas"]')?.dataset.buckets ?? ''), null, { timeout: 120_000 });
    const firstWindowMs = performance.now() - opened;
    const steps: Step[] = [];
    for (const key of STEPS) {
      steps.push(await page.evaluate(async (k) => {
        const c = document.querySelector<HTMLCanvasElement>('[data-testid="series-canvas"]')!;
        const from = c.dataset.windowFrom;
        const t0 = performance.now();
        c.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
        const firstFrame = await new Promise<number>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now() - t0))));
        const deadline = t0 + 10_000;
        // Fresh = the first frame after the key that draws data fine enough for the new view (a kept or fetched window).
        // (No named helper functions in here: the bundler's __name wrapper does not exist in the page.)
        while (!(Number(c.dataset.drawnAt) >= t0 && c.dataset.serves === '1') && performance.now() < deadline) await new Promise((r) => setTimeout(r, 2));
        const fresh = Number(c.dataset.drawnAt) >= t0 && c.dataset.serves === '1' ? Number(c.dataset.drawnAt) + Number(c.dataset.drawMs) - t0 : null;
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        return { key: k, firstFrame, fresh, fetched: c.dataset.windowFrom !== from, drawMs: Number(c.dataset.drawMs) };
      }, key));
    }
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics').catch(() => ({ metrics: [] as { name: string; value: number }[] }));
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
    const fresh = steps.flatMap((s) => (s.fresh === null ? [] : [s.fresh]));
    const firstFrames = steps.map((s) => s.firstFrame);
    const draws = steps.map((s) => s.drawMs).filter(Number.isFinite);
    const base = { suite: 'labels', unit: 'ms' as const };
    return [
      { ...base, case: `open the series (click → first window drawn), ${shape}`, vajra: firstWindowMs, note: 'includes the first aggregate query over all points' },
      { ...base, case: `zoom/pan step: key → first frame (median of ${STEPS.length}), ${shape}`, vajra: median(firstFrames), target: '< 100 ms', note: `max ${max(firstFrames).toFixed(0)} ms; canvas draw median ${median(draws).toFixed(1)} ms` },
      { ...base, case: `zoom/pan step: key → frame with data fine enough for the view (median of ${fresh.length}), ${shape}`, vajra: median(fresh), target: '< 100 ms', note: `max ${max(fresh).toFixed(0)} ms; steps (* = new window): ${steps.map((s) => `${s.key}${s.fetched ? '*' : ''} ${s.fresh === null ? 'none' : s.fresh.toFixed(0)}`).join(', ')}` },
      { ...base, unit: 'MB', case: `renderer JS heap after the steps (after GC), ${shape}`, vajra: heap / 1e6, note: 'CDP Performance.getMetrics JSHeapUsedSize' },
    ];
  } finally {
    await session.close();
  }
}
