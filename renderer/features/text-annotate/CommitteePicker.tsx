import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { RunRow } from '../../../app/protocol/methods/runs';
import { useServices } from '../../stores/context';
import type { TextStore } from './text-store';

/**
 * The vote-entropy committee: the set's own models, or two or more tracked runs picked here
 * (their compiled models score every row in the backend; the queue puts their disagreements first).
 */
export function CommitteePicker({ store }: { store: TextStore }) {
  const { backend } = useServices();
  const meta = useStore(store, (s) => s.meta);
  const [runs, setRuns] = useState<RunRow[] | null>(null);
  const [picked, setPicked] = useState<string[]>(meta?.committeeRuns ?? []);
  const [status, setStatus] = useState<string>('');
  useEffect(() => {
    void backend.call('runs.list', { limit: 50 }).then((r) => setRuns(r.rows.filter((row) => row.status === 'finished')), () => setRuns([]));
  }, [backend]);
  if (!meta) return null;
  const current = meta.committeeRuns ?? [];
  const apply = async (ids: string[]) => {
    setStatus('Scoring every row with the committee…');
    try {
      const r = await backend.call('textLabels.setCommittee', { name: meta.name, runs: ids });
      store.setState({ meta: { ...meta, ...(ids.length > 0 ? { committeeRuns: ids } : { committeeRuns: undefined }) } });
      setStatus(ids.length > 0 ? `${ids.length} runs agree on ${(100 * r.unanimous).toFixed(1)}% of ${r.rows.toLocaleString()} rows.` : 'Committee: the set’s own models.');
      await store.getState().loadQueue();
    } catch (error) {
      setStatus(error instanceof Error ? error.message : String(error));
    }
  };
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  return (
    <div className="ta-committee" aria-label="Committee" role="group">
      <p className="small">
        Committee: {current.length > 0 ? `${current.length} tracked runs` : 'the set’s own models (retrained with the labels)'}
        {current.length > 0 && <>{' '}<button type="button" className="link" onClick={() => void apply([])}>Use own models</button></>}
      </p>
      {runs === null ? <p className="muted small">Loading runs…</p> : runs.length < 2 ? (
        <p className="muted small">Train two or more pipelines on this text to vote with their models.</p>
      ) : (
        <>
          <ul className="ta-committee-runs">
            {runs.map((r) => (
              <li key={r.id}>
                <label><input type="checkbox" checked={picked.includes(r.id)} onChange={() => toggle(r.id)} /> {r.name} <span className="muted">{r.experiment} · {r.id.slice(0, 8)}</span></label>
              </li>
            ))}
          </ul>
          <button type="button" disabled={picked.length < 2} onClick={() => void apply(picked)}>Use {picked.length} runs as committee</button>
        </>
      )}
      {status && <p className="small" role="status" data-testid="committee-status">{status}</p>}
    </div>
  );
}
