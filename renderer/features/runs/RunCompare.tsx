import { useEffect, useMemo, useState } from 'react';
import type { VajraContract } from '../../../app/protocol/contract';
import type { Result } from '../../../app/protocol/spec';
import { useServices } from '../../stores/context';
import { ArtifactView } from './ArtifactView';
import { MetricChart, RUN_COLORS } from './MetricChart';
import { ParallelCoords } from './ParallelCoords';
import { exportCompareReport } from './report-actions';

type Comparison = Result<VajraContract, 'runs.compare'>;

/** Compare 2–20 runs: what differs in their params, their curves overlaid, params → metric, artifacts. */
export function RunCompare({ ids, onBack }: { ids: string[]; onBack(): void }) {
  const services = useServices();
  const { backend } = services;
  const [data, setData] = useState<Comparison | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [target, setTarget] = useState<string>('');
  useEffect(() => {
    let live = true;
    backend.call('runs.compare', { ids }).then((d) => live && setData(d), (e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [backend, ids]);
  const metricKey = target || data?.metricKeys[0] || '';
  const parallel = useMemo(() => {
    if (!data) return null;
    const params = data.paramDiff.slice(0, 6);
    const axes = [...params.map((p) => p.key), `${metricKey} (last)`];
    const runs = data.runs.map((r, i) => ({ name: r.record.name, values: [...params.map((p) => p.values[i] ?? null), r.metrics.find((m) => m.key === metricKey)?.last ?? null] }));
    return { axes, runs };
  }, [data, metricKey]);
  if (error) return <div className="error-box" role="alert">{error}</div>;
  if (!data) return <div className="muted pad">Loading comparison…</div>;
  const names = data.runs.map((r) => r.record.name);
  const artifactPaths = [...new Set(data.runs.flatMap((r) => r.record.artifacts.map((a) => a.path)))].sort();
  return (
    <div className="run-compare" aria-label="Run comparison">
      <header className="run-head">
        <button type="button" onClick={onBack}>← Runs table</button>
        <h2>Compare {data.runs.length} runs</h2>
        <button type="button" onClick={() => void exportCompareReport(services, ids)}>Export report</button>
        <div className="run-chips">{names.map((n, i) => <span key={data.runs[i]!.record.id} className="chip" style={{ borderColor: RUN_COLORS[i % RUN_COLORS.length] }}>{n}</span>)}</div>
      </header>
      <section aria-label="Param differences">
        <h3>Params that differ</h3>
        {data.paramDiff.length === 0 ? <p className="muted">All params are equal.</p> : (
          <table className="grid diff">
            <thead><tr><th>param</th>{names.map((n, i) => <th key={data.runs[i]!.record.id}>{n}</th>)}</tr></thead>
            <tbody>{data.paramDiff.map((row) => <tr key={row.key}><th>{row.key}</th>{row.values.map((v, i) => <td key={i} className={v === null ? 'muted' : 'mono'}>{v === null ? 'missing' : String(v)}</td>)}</tr>)}</tbody>
          </table>
        )}
      </section>
      <section aria-label="Metric curves">
        <h3>Metric curves</h3>
        <div className="chart-grid">
          {data.metricKeys.slice(0, 16).map((key) => (
            <MetricChart key={key} title={key} lines={data.runs.flatMap((r) => r.series.filter((s) => s.key === key).map((s) => ({ run: r.record.name, series: s })))} />
          ))}
        </div>
      </section>
      {parallel && data.metricKeys.length > 0 && (
        <section aria-label="Parallel coordinates">
          <h3>Params → <select aria-label="Metric of the parallel coordinates" value={metricKey} onChange={(e) => setTarget(e.target.value)}>{data.metricKeys.map((k) => <option key={k}>{k}</option>)}</select></h3>
          <div className="scroll-x"><ParallelCoords axes={parallel.axes} runs={parallel.runs} /></div>
        </section>
      )}
      <section aria-label="Artifacts side by side">
        <h3>Artifacts</h3>
        {artifactPaths.length === 0 ? <p className="muted">No artifacts.</p> : (
          <table className="grid artifacts-side">
            <thead><tr>{names.map((n, i) => <th key={data.runs[i]!.record.id}>{n}</th>)}</tr></thead>
            <tbody>{artifactPaths.map((path) => (
              <tr key={path}>{data.runs.map((r) => {
                const artifact = r.record.artifacts.find((a) => a.path === path);
                return <td key={r.record.id}>{artifact ? <ArtifactView runId={r.record.id} artifact={artifact} /> : <span className="muted">no {path}</span>}</td>;
              })}</tr>
            ))}</tbody>
          </table>
        )}
      </section>
    </div>
  );
}
