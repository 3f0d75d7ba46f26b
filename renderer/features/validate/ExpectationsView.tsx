import { useCallback, useEffect, useState } from 'react';
import { renderSuiteHtml } from '../../../app/validate/html';
import type { SuiteResult } from '../../../app/validate/run-suite';
import { emptySuite, serializeSuite, tryParseSuite, type Expectation, type Suite } from '../../../app/validate/suite';
import type { DocumentViewProps } from '../../shell/views';
import { useServices } from '../../stores/context';
import { renderDriftHtml } from './drift-html';
import { ExpectationList } from './ExpectationList';
import { ReportFrame } from './ReportFrame';
import { SuggestPanel } from './SuggestPanel';
import './validate.css';

type Output = { kind: 'result'; result: SuiteResult } | { kind: 'drift'; html: string };

/** Failures first (errors, then warnings), so the report opens on what needs attention. */
function failuresFirst(result: SuiteResult): SuiteResult {
  const rank = (r: SuiteResult['results'][number]) => (r.status === 'pass' ? 3 : r.status === 'error' ? 1 : r.severity === 'warn' ? 2 : 0);
  return { ...result, results: [...result.results].sort((a, b) => rank(a) - rank(b) || a.index - b.index) };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const suiteNameOf = (path: string) => (path.split('/').at(-1) ?? path).replace(/\.expectations\.json$/i, '');

/** Loads the suite file (a missing file is a new empty suite) and saves it with conflict detection. */
function useSuiteFile(path: string) {
  const { backend } = useServices();
  const [suite, setSuite] = useState<Suite | null>(null);
  const [hash, setHash] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    backend.call('fs.readText', { path }).then(({ text, hash: h }) => {
      if (!live) return;
      const parsed = tryParseSuite(text);
      setHash(h);
      if (parsed.ok) setSuite(parsed.suite);
      else setProblem(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
    }, () => live && setSuite(emptySuite(suiteNameOf(path))));
    return () => { live = false; };
  }, [backend, path]);
  const save = useCallback(async (next: Suite) => {
    setSuite(next);
    const written = await backend.call('fs.writeText', { path, text: serializeSuite(next), ...(hash ? { expectedHash: hash } : {}) });
    setHash(written.hash);
  }, [backend, path, hash]);
  return { suite, problem, save };
}

/** The `expectations` document: the suite as an editable list, suggestions, runs and drift. */
export function ExpectationsView({ path }: DocumentViewProps) {
  const { backend } = useServices();
  const { suite, problem, save } = useSuiteFile(path);
  const [tables, setTables] = useState<string[]>([]);
  const [table, setTable] = useState('');
  const [reference, setReference] = useState('');
  const [suggested, setSuggested] = useState<{ table: string; expectations: Expectation[] } | null>(null);
  const [output, setOutput] = useState<Output | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void backend.call('data.catalog', {}).then(({ items }) => {
      setTables(items.map((i) => i.name));
      const guess = items.find((i) => i.name === suiteNameOf(path)) ?? items.find((i) => suiteNameOf(path).startsWith(i.name));
      if (guess) setTable((t) => t || guess.name);
    }, () => undefined);
  }, [backend, path]);

  const act = async (label: string, work: () => Promise<void>) => {
    setBusy(label);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(null);
    }
  };
  if (problem) return <div className="validate-view"><pre className="validate-error" role="alert">This suite file is not valid:{'\n'}{problem}</pre></div>;
  if (!suite) return <div className="validate-view"><p className="validate-empty">Loading {path}…</p></div>;

  const suggest = () => act(`Profiling ${table}`, async () => {
    const { text } = await backend.call('validate.suggest', { table, name: suite.name });
    const parsed = tryParseSuite(text);
    if (parsed.ok) setSuggested({ table, expectations: parsed.suite.expectations });
  });
  const accept = (chosen: Expectation[]) => act('Saving', async () => {
    await save({ ...suite, expectations: [...suite.expectations, ...chosen] });
    setSuggested(null);
    if (!reference) setReference(table);
  });
  const run = () => act(`Validating ${table}`, async () => {
    const result = await backend.call('validate.run', { suite: serializeSuite(suite), table, ...(reference ? { reference } : {}) });
    setOutput({ kind: 'result', result });
  });
  const drift = () => act(`Drift of ${table}`, async () => {
    const { columns } = await backend.call('validate.drift', { current: table, reference });
    setOutput({ kind: 'drift', html: renderDriftHtml(table, reference, columns) });
  });
  const summary = output?.kind === 'result' ? output.result : null;

  return (
    <div className="validate-view" aria-label={`Expectation suite ${suite.name}`}>
      <datalist id="validate-tables">{tables.map((t) => <option key={t} value={t} />)}</datalist>
      <header className="validate-toolbar">
        <h2>{suite.name}</h2>
        <label>Table <input aria-label="Table" list="validate-tables" value={table} placeholder="table or data/file.csv" onChange={(e) => setTable(e.target.value)} /></label>
        <label>Reference <input aria-label="Reference" list="validate-tables" value={reference} placeholder="(none)" onChange={(e) => setReference(e.target.value)} /></label>
        <button type="button" disabled={!table || busy !== null} onClick={() => void suggest()}>Suggest from table…</button>
        <button type="button" className="primary" disabled={!table || busy !== null} onClick={() => void run()}>Run</button>
        <button type="button" disabled={!table || !reference || busy !== null} onClick={() => void drift()}>Drift</button>
        {busy && <span className="muted" role="status">{busy}…</span>}
      </header>
      {error && <pre className="validate-error" role="alert">{error}</pre>}
      <div className="validate-body">
        <div className="validate-side">
          {suggested && <SuggestPanel table={suggested.table} suggestions={suggested.expectations} existing={suite.expectations} onAccept={(c) => void accept(c)} onDismiss={() => setSuggested(null)} />}
          <ExpectationList expectations={suite.expectations} onChange={(next) => void act('Saving', () => save({ ...suite, expectations: next }))} />
        </div>
        <div className="validate-output">
          {summary && (
            <div className={summary.success ? 'validate-summary pass' : 'validate-summary fail'} role="status" aria-label="Validation result">
              {summary.success ? 'Passed' : 'Failed'}: {summary.counts.passed} passed, {summary.counts.failed} failed, {summary.counts.warned} warned, {summary.counts.errored} not evaluated · {summary.rowCount.toLocaleString()} rows of {summary.table}
            </div>
          )}
          {output?.kind === 'result' && <ReportFrame title="Validation report" html={renderSuiteHtml(failuresFirst(output.result))} />}
          {output?.kind === 'drift' && <ReportFrame title="Drift report" html={output.html} />}
          {!output && <p className="validate-empty">Run the suite against a table to see the data-docs report here.</p>}
        </div>
      </div>
    </div>
  );
}
