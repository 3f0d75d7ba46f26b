import { useEffect, useState } from 'react';
import { parseInputSpec } from '../../../app/notebook/cell-specs';
import type { NotebookCell } from '../../../app/notebook/types';

/** The control of an input cell, bound to its name: every change writes the `value` option and re-runs its dependents. */
export function InputControl({ cell, onChange }: { cell: NotebookCell; onChange: (value: string) => void }) {
  const parsed = parseInputSpec(cell);
  const [draft, setDraft] = useState<string | null>(null);
  useEffect(() => setDraft(null), [cell.options]);
  if (!parsed.ok) return <div className="nb-error" role="alert">{parsed.message}</div>;
  const spec = parsed.value;
  const label = spec.label ?? cell.name ?? 'value';
  const id = `input-${cell.id}`;
  let control;
  switch (spec.type) {
    case 'slider':
      control = (
        <span className="nb-slider">
          <input id={id} type="range" min={spec.min} max={spec.max} step={spec.step ?? 'any'} value={draft ?? spec.value} aria-label={label}
            onChange={(e) => { setDraft(e.target.value); onChange(e.target.value); }} />
          <output htmlFor={id} className="nb-slider-value">{draft ?? spec.value}</output>
        </span>
      );
      break;
    case 'number':
      control = <input id={id} type="number" min={spec.min} max={spec.max} step={spec.step ?? 'any'} value={draft ?? spec.value} aria-label={label}
        onChange={(e) => setDraft(e.target.value)} onBlur={(e) => e.target.value !== '' && onChange(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && onChange(e.currentTarget.value)} />;
      break;
    case 'text':
      control = <input id={id} type="text" value={draft ?? spec.value} aria-label={label} onChange={(e) => setDraft(e.target.value)}
        onBlur={(e) => onChange(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && onChange(e.currentTarget.value)} />;
      break;
    case 'select':
      control = <select id={id} value={spec.value} aria-label={label} onChange={(e) => onChange(e.target.value)}>{spec.choices.map((c) => <option key={c} value={c}>{c}</option>)}</select>;
      break;
    case 'checkbox':
      control = <input id={id} type="checkbox" checked={spec.value} aria-label={label} onChange={(e) => onChange(String(e.target.checked))} />;
      break;
    case 'date':
      control = <input id={id} type="date" value={spec.value} aria-label={label} onChange={(e) => onChange(e.target.value)} />;
      break;
  }
  return (
    <div className="nb-input">
      <label htmlFor={id}>{label}</label>
      {control}
      <code className="nb-input-name">{cell.name}</code>
    </div>
  );
}
