import { useCallback, useEffect, useState } from 'react';
import type { Result } from '../../../app/protocol/spec';
import type { VajraContract } from '../../../app/protocol/contract';
import { useServices } from '../../stores/context';
import { ArtifactView } from './ArtifactView';
import { MetricChart } from './MetricChart';
import { exportRunReport } from './report-actions';
import { openRun, openRunsTable } from './runs-commands';

type Detail = Result<VajraContract, 'runs.get'>;

function num(v: number | null): string {
  return v === null ? '—' : Number.isInteger(v) ? String(v) : v.toPrecision(5);
}

function time(ms: number | null): string {
  return ms === null ? '—' : new Date(ms).toLocaleString();
}

/** One run: params, metrics with curves, artifacts, reproducibility and lineage. */
export function RunDetail({ runId }: { runId: string }) {
  const services = useServices();
  const { backend, workbench } = services;
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    backend.call('runs.get', { id: runId }).then((d) => (setDetail(d), setError(null)), (e: Error) => setError(e.message));
  }, [backend, runId]);
  useEffect(() => {
    load();
    return backend.on('runs.changed', ({ ids }) => (ids.length === 0 || ids.includes(runId)) && load());
  }, [backend, load, runId]);
  if (error) return <div className="error-box" role="alert">{error}</div>;
  if (!detail) return <div className="muted pad">Loading run…</div>;
  const { record, metrics, series } = detail;
  const { repro, lineage } = record;
  return (
    <div className="run-detail" aria-label={`Run ${record.name}`}>
      <header className="run-head">
        <h2>{record.name}</h2>
        <span className={`run-status status-${record.status}`}>{record.status}</span>
        <span className="muted mono small">{record.id}</span>
        <span className="spacer" />
        <button type="button" onClick={() => void exportRunReport(services, record.id)}>Export report</button>
        <button type="button" onClick={() => openRunsTable(workbench)}>All runs</button>
      </header>
      <p className="muted small">Experiment <b>{record.experiment}</b> · started {time(record.startTime)} · ended {time(record.endTime)}</p>
      <div className="run-columns">
        <section aria-label="Params">
          <h3>Params</h3>
          <table className="kv"><tbody>
            {Object.entries(record.params).map(([k, v]) => <tr key={k}><th>{k}</th><td className="mono">{String(v)}</td></tr>)}
            {Object.keys(record.params).length === 0 && <tr><td className="muted">No params.</td></tr>}
          </tbody></table>
          <h3>Metrics</h3>
          <table className="kv metrics"><thead><tr><th>metric</th><th>last</th><th>min</th><th>max</th><th>steps</th></tr></thead><tbody>
            {metrics.map((m) => <tr key={m.key}><th>{m.key}</th><td>{num(m.last)}</td><td>{num(m.min)}</td><td>{num(m.max)}</td><td>{m.count}</td></tr>)}
          </tbody></table>
        </section>
        <section aria-label="Reproducibility">
          <h3>Reproducibility</h3>
          <table className="kv"><tbody>
            <tr><th>seed</th><td>{repro.seed ?? '—'}</td></tr>
            <tr><th>git commit</th><td className="mono">{repro.gitCommit ?? '—'}</td></tr>
            {repro.datasets.map((d) => <tr key={d.name}><th>data: {d.name}</th><td className="mono">{d.fingerprint}</td></tr>)}
            {repro.codeSnapshots.map((c) => <tr key={c.path}><th>{c.kind}</th><td className="mono">{c.path}</td></tr>)}
            {Object.entries(repro.versions).map(([k, v]) => <tr key={k}><th>{k}</th><td className="mono">{v}</td></tr>)}
          </tbody></table>
          <h3>Lineage</h3>
          <table className="kv"><tbody>
            <tr><th>parent run</th><td>{lineage.parentRunId ? <button type="button" className="link" onClick={() => openRun(workbench, lineage.parentRunId!, lineage.parentRunId!)}>{lineage.parentRunId}</button> : '—'}</td></tr>
            <tr><th>produced model</th><td>{lineage.producedModel ? `${lineage.producedModel.name} v${lineage.producedModel.version}` : '—'}</td></tr>
            <tr><th>label sets</th><td>{lineage.labelSetVersionIds.join(', ') || '—'}</td></tr>
          </tbody></table>
          {Object.keys(record.tags).length > 0 && <>
            <h3>Tags</h3>
            <table className="kv"><tbody>{Object.entries(record.tags).map(([k, v]) => <tr key={k}><th>{k}</th><td>{v}</td></tr>)}</tbody></table>
          </>}
        </section>
      </div>
      <h3>Curves</h3>
      <div className="chart-grid">
        {series.slice(0, 24).map((s) => <MetricChart key={s.key} title={s.key} lines={[{ run: record.name, series: s }]} height={180} width={380} />)}
        {series.length === 0 && <p className="muted">No metrics logged.</p>}
      </div>
      <h3>Artifacts</h3>
      <div className="artifact-grid">
        {record.artifacts.map((a) => <ArtifactView key={a.path} runId={record.id} artifact={a} />)}
        {record.artifacts.length === 0 && <p className="muted">No artifacts.</p>}
      </div>
    </div>
  );
}
