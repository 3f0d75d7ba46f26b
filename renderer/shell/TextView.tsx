import { useEffect, useState } from 'react';
import { useServices } from '../stores/context';

/** A read-only view of a text file, for kinds no feature claims yet. */
export function TextView({ path }: { path: string }) {
  const { backend } = useServices();
  const [state, setState] = useState<{ text?: string; error?: string }>({});
  useEffect(() => {
    let live = true;
    backend.call('fs.readText', { path }).then(
      ({ text }) => live && setState({ text: text.length > 2_000_000 ? `${text.slice(0, 2_000_000)}\n… (truncated)` : text }),
      (error: Error) => live && setState({ error: error.message }),
    );
    return () => {
      live = false;
    };
  }, [backend, path]);
  if (state.error) return <div className="error-box" role="alert">{state.error}</div>;
  if (state.text === undefined) return <div className="muted pad">Loading…</div>;
  return <pre className="text-view">{state.text}</pre>;
}
