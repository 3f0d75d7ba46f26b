import type { RerunVerdict } from '../../../app/protocol/methods/export';

function num(v: number | null): string {
  return v === null ? '—' : Number.isInteger(v) ? String(v) : v.toPrecision(8);
}

/** The verdict of a re-run: same model bytes, same metrics (the differing ones listed). */
export function ExportRerunVerdict({ verdict, onClose }: { verdict: RerunVerdict; onClose(): void }) {
  const same = verdict.identical && verdict.metricsEqual && !verdict.failed;
  const differing = verdict.metrics.filter((m) => m.stored !== m.rebuilt);
  return (
    <section className={`export-result ${same ? '' : 'bad'}`} role="status" aria-label="Re-run result">
      <header>
        <b>{same ? '✓ Re-run reproduced the run exactly' : '✗ Re-run did not reproduce the run'}</b>
        <span className="spacer" />
        <button type="button" className="small-button" aria-label="Close re-run result" onClick={onClose}>×</button>
      </header>
      <ul className="small">
        <li>model.onnx: <b>{verdict.identical ? 'identical bytes' : 'different'}</b> ({verdict.storedBytes} recorded, {verdict.rebuiltBytes} rebuilt)</li>
        <li>metrics: <b>{verdict.metricsEqual ? 'equal' : 'different'}</b> ({verdict.metrics.length} compared)</li>
        {differing.map((m) => <li key={m.key} className="mono">{m.key}: {num(m.stored)} → {num(m.rebuilt)}</li>)}
        {verdict.changedData.length > 0 && <li>data changed since the run: {verdict.changedData.join(', ')}</li>}
        {verdict.failed && <li>node “{verdict.failed.nodeId}” failed: {verdict.failed.message}</li>}
      </ul>
    </section>
  );
}
