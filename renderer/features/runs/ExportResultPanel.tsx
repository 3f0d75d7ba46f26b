import { useState } from 'react';
import type { ExportRunResult } from '../../../app/protocol/methods/export';
import { copyText } from './export-actions';

/** The success message of an export: the folder written, its files, and "Copy curl command". */
export function ExportResultPanel({ result, onClose }: { result: ExportRunResult; onClose(): void }) {
  const [choice, setChoice] = useState(0);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const curl = result.curl[choice] ?? result.curl[0];
  const copy = async () => setCopied(curl && (await copyText(curl.command)) ? 'yes' : 'no');
  return (
    <section className="export-result" role="status" aria-label="Export result">
      <header>
        <b>✓ Bundle exported</b>
        <span className="spacer" />
        <button type="button" className="small-button" aria-label="Close export result" onClick={onClose}>×</button>
      </header>
      <p>Wrote {result.files.length} files ({(result.bytes / 1024).toFixed(0)} KiB) to <code className="mono" data-testid="export-dir">{result.dir}</code>{result.zip ? <> and <code className="mono">{result.zip}</code></> : null}.</p>
      <p className="muted small">Serve it: <code className="mono">cd {result.dir}/server &amp;&amp; npm ci &amp;&amp; node index.js</code> · model <code className="mono">{result.modelName}</code></p>
      {curl && (
        <div className="export-curl">
          <select aria-label="Request shape" value={choice} onChange={(e) => (setChoice(Number(e.target.value)), setCopied(null))}>
            {result.curl.map((c, i) => <option key={c.title} value={i}>{c.title}</option>)}
          </select>
          <button type="button" className="primary" onClick={() => void copy()}>Copy curl command</button>
          {copied === 'yes' && <span className="ok small" role="status">Copied.</span>}
        </div>
      )}
      {curl && copied === 'no' && (
        <label className="field small">The clipboard is not available here; select and copy:
          <textarea aria-label="curl command" readOnly rows={4} value={curl.command} onFocus={(e) => e.currentTarget.select()} />
        </label>
      )}
    </section>
  );
}
