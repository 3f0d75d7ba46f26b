import { useState } from 'react';
import { useStore } from 'zustand';
import type { TextLf } from '../../../app/labels/text/lf-file';
import { ConflictMatrix } from './ConflictMatrix';
import type { TextStore } from './text-store';

const pct = (v: number | undefined) => (v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);

function draftLf(kind: TextLf['kind'], name: string, body: string, label: string): TextLf {
  switch (kind) {
    case 'keyword': return { name, kind, keywords: body.split(',').map((k) => k.trim()).filter(Boolean), label };
    case 'regex': return { name, kind, pattern: body, flags: 'i', label };
    case 'length': return { name, kind, unit: 'words', lessThan: Number(body) || 5, label };
    case 'sql': return { name, kind, where: body, label };
    case 'js': return { name, kind, code: body };
  }
}

/** Labeling functions: the LF analysis table, a form to add one, the conflict heat map and the label model. */
export function LfPanel({ store }: { store: TextStore }) {
  const lfs = useStore(store, (s) => s.lfs);
  const analysis = useStore(store, (s) => s.analysis);
  const labelModel = useStore(store, (s) => s.labelModel);
  const classes = useStore(store, (s) => s.meta?.classes ?? []);
  const busy = useStore(store, (s) => s.busy);
  const [kind, setKind] = useState<TextLf['kind']>('keyword');
  const [name, setName] = useState('');
  const [body, setBody] = useState('');
  const [label, setLabel] = useState(classes[0]?.name ?? '');
  const add = () => {
    if (!name || !body) return;
    void store.getState().saveLfs([...lfs.filter((l) => l.name !== name), draftLf(kind, name, body, label || classes[0]!.name)]).then(() => {
      setName('');
      setBody('');
    });
  };
  const remove = (n: string) => void store.getState().saveLfs(lfs.filter((l) => l.name !== n));
  const rows = analysis?.lfs ?? lfs.map((l) => ({ name: l.name, kind: l.kind }));
  return (
    <section className="ta-lfs" aria-label="Labeling functions">
      <header className="ta-section-head">
        <h3>Labeling functions</h3>
        <button type="button" onClick={() => void store.getState().analyze()} disabled={busy !== null}>Run LFs</button>
        <button type="button" onClick={() => void store.getState().fitLabelModel()} disabled={busy !== null || lfs.length === 0}>Train label model</button>
      </header>
      <div className="ta-lf-scroll">
      <table className="ta-lf-table" data-testid="lf-table">
        <thead>
          <tr><th>LF</th><th>kind</th><th>polarity</th><th>coverage</th><th>overlaps</th><th>conflicts</th><th>correct</th><th>incorrect</th><th>emp. acc.</th><th>learned acc.</th><th /></tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const a = analysis?.lfs.find((x) => x.name === r.name);
            return (
              <tr key={r.name} data-lf={r.name}>
                <td>{r.name}</td><td>{r.kind}</td><td>{a?.polarity.join(', ') ?? '–'}</td>
                <td data-col="coverage">{pct(a?.coverage)}</td><td>{pct(a?.overlaps)}</td><td data-col="conflicts">{pct(a?.conflicts)}</td>
                <td>{a?.correct ?? '–'}</td><td>{a?.incorrect ?? '–'}</td><td>{pct(a?.empiricalAccuracy)}</td><td>{pct(a?.learnedAccuracy)}</td>
                <td><button type="button" className="ta-x" aria-label={`Delete LF ${r.name}`} onClick={() => remove(r.name)}>×</button></td>
              </tr>
            );
          })}
        </tbody>
      </table>
      </div>
      {analysis && (
        <p className="muted small" data-testid="lf-summary">
          {analysis.rows.toLocaleString()} rows · covered {pct(analysis.labelCoverage)} · overlap {pct(analysis.labelOverlap)} · conflict {pct(analysis.labelConflict)} · {analysis.ms.toFixed(0)} ms
        </p>
      )}
      {labelModel && (
        <p className="ta-lm" data-testid="label-model-result">
          Label model → table <code>{labelModel.table}</code>: {labelModel.kept.toLocaleString()} rows · majority vote {pct(labelModel.majorityAccuracy)} · label model {pct(labelModel.labelModelAccuracy)} (vs gold) · set version <code title={labelModel.labelSetVersion}>{labelModel.labelSetVersion.slice(7, 19)}</code>
        </p>
      )}
      <form className="ta-lf-form" onSubmit={(e) => { e.preventDefault(); add(); }}>
        <select aria-label="LF kind" value={kind} onChange={(e) => setKind(e.target.value as TextLf['kind'])}>
          <option value="keyword">keywords</option><option value="regex">regex</option><option value="length">shorter than (words)</option><option value="sql">SQL predicate</option><option value="js">JS function</option>
        </select>
        <input aria-label="LF name" placeholder="name" value={name} onChange={(e) => setName(e.target.value)} />
        <input aria-label="LF body" className="ta-lf-body" placeholder={kind === 'js' ? "return keyword(row.CONTENT, 'free') ? 'SPAM' : null" : kind === 'sql' ? "CONTENT ILIKE '%free%'" : kind === 'keyword' ? 'word, other word' : kind === 'regex' ? 'check.*out' : '5'} value={body} onChange={(e) => setBody(e.target.value)} />
        {kind !== 'js' && (
          <select aria-label="LF label" value={label} onChange={(e) => setLabel(e.target.value)}>
            {classes.map((c) => <option key={c.name} value={c.name}>{c.name}</option>)}
          </select>
        )}
        <button type="submit">Add LF</button>
      </form>
      {analysis && analysis.lfs.length > 1 && <ConflictMatrix names={analysis.lfs.map((l) => l.name)} values={analysis.conflictMatrix} />}
    </section>
  );
}
