import { useState } from 'react';
import type { TextAgreementResult, TextSetMeta } from '../../../app/protocol/methods/text-labels';
import { useServices } from '../../stores/context';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** Whether two sets label the same documents: the same source, or two CoNLL-imported copies. */
function sameDocuments(a: TextSetMeta['source'], b: TextSetMeta['source']): boolean {
  return (a.file === b.file && a.table === b.table) || (a.file?.endsWith('/source.conll') === true && b.file?.endsWith('/source.conll') === true);
}

/**
 * "Compare with…": picks another text set over the same documents and shows document kappa and
 * span F1 against it. `onDone` runs after a pick, so the panel can take the keyboard back.
 */
export function CompareWith({ name, source, onDone }: { name: string; source: TextSetMeta['source']; onDone: () => void }) {
  const { backend } = useServices();
  const [others, setOthers] = useState<string[] | null>(null);
  const [result, setResult] = useState<{ other: string; r: TextAgreementResult } | { other: string; error: string } | null>(null);
  const open = async () => {
    const { items } = await backend.call('textLabels.list', {});
    setOthers(items.filter((i) => i.name !== name && sameDocuments(i.source, source)).map((i) => i.name));
  };
  const compare = async (other: string) => {
    setOthers(null);
    try {
      setResult({ other, r: await backend.call('textLabels.agreement', { a: name, b: other }) });
    } catch (error) {
      setResult({ other, error: error instanceof Error ? error.message : String(error) });
    }
    onDone();
  };
  return (
    <span className="ta-compare">
      {others === null ? (
        <button type="button" className="link" onClick={() => void open()}>Compare with…</button>
      ) : others.length === 0 ? (
        <span className="muted small">No other set labels these documents. <button type="button" className="link" onClick={() => setOthers(null)}>Close</button></span>
      ) : (
        <select aria-label="Compare with set" defaultValue="" onChange={(e) => void compare(e.target.value)}>
          <option value="" disabled>compare with…</option>
          {others.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      )}
      {result && (
        <span className="ta-agreement small" data-testid="agreement" role="status">
          vs <strong>{result.other}</strong>:{' '}
          {'error' in result ? result.error : (
            <>
              document κ {result.r.kappa === null ? 'n/a' : `${result.r.kappa.toFixed(3)} (${result.r.documents} docs)`}
              {' · '}span F1 exact {result.r.exact.f1.toFixed(3)} (P {pct(result.r.exact.precision)}, R {pct(result.r.exact.recall)}) · overlap {result.r.overlap.f1.toFixed(3)}
              {' · '}{result.r.spansA}/{result.r.spansB} spans
            </>
          )}
          <button type="button" className="ta-x" aria-label="Close agreement" onClick={() => setResult(null)}>×</button>
        </span>
      )}
    </span>
  );
}
