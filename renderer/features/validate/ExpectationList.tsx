import { useState } from 'react';
import type { Expectation } from '../../../app/validate/suite';
import { expectationTarget, paramsText, withParams } from './expectation-text';

interface RowProps {
  index: number;
  expectation: Expectation;
  onChange: (e: Expectation) => void;
  onRemove: () => void;
}

function ExpectationRow({ index, expectation, onChange, onRemove }: RowProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const text = draft ?? paramsText(expectation);
  const commit = () => {
    if (draft === null) return;
    const next = withParams(expectation, draft);
    if (next.ok) {
      onChange(next.expectation);
      setDraft(null);
      setProblem(null);
    } else setProblem(next.message);
  };
  return (
    <li className="validate-row" aria-label={`Expectation ${index + 1}: ${expectation.kind} ${expectationTarget(expectation)}`}>
      <code className="validate-kind">{expectation.kind}</code>
      <span className="validate-target">{expectationTarget(expectation)}</span>
      <input
        className={problem ? 'validate-params invalid' : 'validate-params'}
        aria-label="Parameters"
        value={text}
        title={problem ?? 'Parameters as JSON (Enter to apply)'}
        onChange={(ev) => setDraft(ev.target.value)}
        onBlur={commit}
        onKeyDown={(ev) => { if (ev.key === 'Enter') commit(); }}
      />
      <select aria-label="Severity" value={expectation.severity} onChange={(ev) => onChange({ ...expectation, severity: ev.target.value === 'warn' ? 'warn' : 'error' })}>
        <option value="error">fail</option>
        <option value="warn">warn</option>
      </select>
      <button type="button" className="validate-remove" aria-label="Remove expectation" title="Remove" onClick={onRemove}>×</button>
    </li>
  );
}

/** The suite as an editable list: parameters as JSON, severity per expectation, remove. */
export function ExpectationList({ expectations, onChange }: { expectations: readonly Expectation[]; onChange: (next: Expectation[]) => void }) {
  if (expectations.length === 0) return <p className="validate-empty">No expectations yet. Suggest some from a table, or edit the file as JSON.</p>;
  return (
    <ol className="validate-list" aria-label="Expectations">
      {expectations.map((e, i) => (
        <ExpectationRow
          key={`${i}:${e.kind}`}
          index={i}
          expectation={e}
          onChange={(next) => onChange(expectations.map((x, j) => (j === i ? next : x)))}
          onRemove={() => onChange(expectations.filter((_, j) => j !== i))}
        />
      ))}
    </ol>
  );
}
