import { useEffect, useState } from 'react';
import type { Backend } from '../../bridge/connection';

/**
 * Puts `text` on the clipboard; false when the page may not (no secure context, permission
 * denied), so the caller can show the text in a selectable box instead.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (typeof navigator === 'undefined' || !navigator.clipboard) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** What one run offers to the export bar: a compiled model (exportable) and a pipeline snapshot (re-runnable). */
export interface RunCapabilities {
  hasModel: boolean;
  hasPipeline: boolean;
}

/** The capabilities of run `runId` (null while loading or without a run). */
export function useRunCapabilities(backend: Backend, runId: string | null): RunCapabilities | null {
  const [caps, setCaps] = useState<{ id: string; caps: RunCapabilities } | null>(null);
  useEffect(() => {
    if (!runId) return;
    let live = true;
    const load = () => backend.call('runs.get', { id: runId, maxPoints: 10 }).then(({ record }) => {
      const paths = record.artifacts.map((a) => a.path);
      if (live) setCaps({ id: runId, caps: { hasModel: paths.some((p) => p.endsWith('.onnx')), hasPipeline: paths.includes('pipeline.json') } });
    }, () => live && setCaps({ id: runId, caps: { hasModel: false, hasPipeline: false } }));
    void load();
    // A run still training gets its model when it finishes.
    const off = backend.on('runs.changed', ({ ids }) => (ids.length === 0 || ids.includes(runId)) && void load());
    return () => (live = false, off());
  }, [backend, runId]);
  return caps && caps.id === runId ? caps.caps : null;
}
