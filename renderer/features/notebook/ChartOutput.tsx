import * as Plot from '@observablehq/plot';
import { useEffect, useRef, useState } from 'react';
import { evaluateCell } from '../../../app/notebook/js-eval';
import { outputWidth } from './runtime';

/** Draws a chart cell: its Plot code evaluated over the rows its SQL aggregation returned. */
export function ChartOutput({ code, rows }: { code: string; rows: Array<Record<string, unknown>> }) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    evaluateCell(code, { Plot, data: rows, width: outputWidth() }).then(
      (node) => {
        if (!live || !ref.current) return;
        if (node instanceof Node) { ref.current.replaceChildren(node); setError(null); }
        else setError('The chart code must return a DOM node (Plot.plot(…)).');
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [code, rows]);
  return (
    <div className="nb-chart" data-rows={rows.length}>
      {error && <div className="nb-error" role="alert">{error}</div>}
      <div ref={ref} className="nb-chart-canvas" />
    </div>
  );
}
