import { useEffect, useState } from 'react';
import { ServicesProvider, type AppServices } from '../stores/context';
import { Workbench } from './Workbench';

/** Root component: starts the workbench store, then shows the shell. */
export function App({ services }: { services: AppServices }) {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    services.workbench.getState().init().catch((e: Error) => setError(e.message));
  }, [services]);
  return (
    <ServicesProvider services={services}>
      {error && <div className="error-box" role="alert">Could not start: {error}</div>}
      <Workbench />
    </ServicesProvider>
  );
}
