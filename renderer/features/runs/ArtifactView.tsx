import { useEffect, useState } from 'react';
import type { Artifact } from '../../../app/tracking/run-model';
import { useServices } from '../../stores/context';

type Shown = { kind: 'image'; url: string } | { kind: 'text'; text: string } | { kind: 'binary' } | { kind: 'error'; message: string };

const TEXT_TYPES = /^(application\/json|text\/)/;

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

/** One artifact: images and SVG drawn (from a blob URL, never inline markup), JSON/text shown. */
export function ArtifactView({ runId, artifact }: { runId: string; artifact: Artifact }) {
  const { backend } = useServices();
  const [shown, setShown] = useState<Shown | null>(null);
  const previewable = artifact.size <= 8 * 1024 * 1024 && (artifact.kind === 'plot' || /\.(png|jpe?g|gif|svg|webp|json|csv|txt|md|log)$/i.test(artifact.path));
  useEffect(() => {
    if (!previewable) return;
    let url: string | undefined;
    let live = true;
    backend.call('runs.artifact', { id: runId, path: artifact.path }).then(({ bytes, mediaType }) => {
      if (!live) return;
      if (mediaType.startsWith('image/')) {
        url = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: mediaType }));
        setShown({ kind: 'image', url });
      } else if (TEXT_TYPES.test(mediaType)) {
        const text = new TextDecoder().decode(bytes);
        let pretty = text;
        try {
          if (mediaType === 'application/json') pretty = JSON.stringify(JSON.parse(text), null, 2);
        } catch {
          // Not valid JSON after all: show it as it is.
        }
        setShown({ kind: 'text', text: pretty.length > 20_000 ? `${pretty.slice(0, 20_000)}\n…` : pretty });
      } else setShown({ kind: 'binary' });
    }, (error: Error) => live && setShown({ kind: 'error', message: error.message }));
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [backend, runId, artifact.path, previewable]);
  return (
    <figure className="artifact" data-artifact={artifact.path}>
      <figcaption><span className="mono">{artifact.path}</span> <span className="muted small">{artifact.kind} · {formatSize(artifact.size)}</span></figcaption>
      {shown?.kind === 'image' && <img src={shown.url} alt={artifact.path} />}
      {shown?.kind === 'text' && <pre>{shown.text}</pre>}
      {shown?.kind === 'error' && <div className="error-text small">{shown.message}</div>}
      {!previewable && <div className="muted small">sha256 {artifact.sha256.slice(0, 16)}…</div>}
    </figure>
  );
}
