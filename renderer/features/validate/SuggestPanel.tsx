import { useState } from 'react';
import type { Expectation } from '../../../app/validate/suite';
import { expectationKey, expectationTarget, paramsText } from './expectation-text';

interface Props {
  table: string;
  suggestions: readonly Expectation[];
  existing: readonly Expectation[];
  onAccept: (chosen: Expectation[]) => void;
  onDismiss: () => void;
}

/** Suggested expectations with a checkbox each; one click accepts every checked one. */
export function SuggestPanel({ table, suggestions, existing, onAccept, onDismiss }: Props) {
  const have = new Set(existing.map(expectationKey));
  const fresh = suggestions.filter((s) => !have.has(expectationKey(s)));
  const [skipped, setSkipped] = useState<ReadonlySet<number>>(new Set());
  const toggle = (i: number) => setSkipped((s) => { const n = new Set(s); if (n.has(i)) n.delete(i); else n.add(i); return n; });
  const chosen = fresh.filter((_, i) => !skipped.has(i));
  return (
    <section className="validate-suggest" aria-label="Suggested expectations">
      <header>
        <b>{fresh.length} suggested from {table}</b>
        <button type="button" className="primary" disabled={chosen.length === 0} onClick={() => onAccept(chosen)}>Accept {chosen.length}</button>
        <button type="button" onClick={onDismiss}>Dismiss</button>
      </header>
      <ul>
        {fresh.map((s, i) => (
          <li key={`${i}:${expectationKey(s)}`}>
            <label>
              <input type="checkbox" checked={!skipped.has(i)} onChange={() => toggle(i)} />
              <code>{s.kind}</code> {expectationTarget(s)} <span className="muted">{paramsText(s)}</span>
            </label>
          </li>
        ))}
      </ul>
    </section>
  );
}
