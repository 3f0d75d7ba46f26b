import { useEffect } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../stores/context';
import { importStoreFor, installDataContributions } from './data-actions';
import { ImportProgress } from './ImportProgress';
import './data.css';

/**
 * The data feature's window-wide parts: its palette commands, the drop target for data files,
 * and the panel of imports in progress. Renders nothing while idle.
 */
export function DataContributions() {
  const services = useServices();
  useEffect(() => installDataContributions(services), [services]);
  const store = importStoreFor(services.backend);
  const jobs = useStore(store, (s) => s.jobs);
  const dragging = useStore(store, (s) => s.dragging);
  useEffect(() => {
    const finished = jobs.filter((j) => j.status === 'done');
    if (finished.length === 0) return undefined;
    const timer = setTimeout(() => finished.forEach((j) => store.getState().dismiss(j.id)), 6000);
    return () => clearTimeout(timer);
  }, [jobs, store]);
  return (
    <>
      {dragging && <div className="drop-overlay" aria-hidden="true"><div>Drop CSV, TSV, JSON, Parquet or Arrow files to import them</div></div>}
      {jobs.length > 0 && (
        <section className="import-panel" aria-label="Imports">
          {jobs.map((job) => (
            <ImportProgress key={job.id} job={job} onCancel={() => store.getState().cancel(job.id)} onDismiss={() => store.getState().dismiss(job.id)} />
          ))}
        </section>
      )}
    </>
  );
}
