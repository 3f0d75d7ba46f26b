import { useState } from 'react';
import type { ColumnInfo } from './pipeline-store';

/** Picks several columns: checkboxes, quick picks by type, a filter for wide tables. */
export function ColumnsPicker({ id, label, columns, value, onChange }: { id: string; label: string; columns: ColumnInfo[]; value: string[]; onChange: (next: string[]) => void }) {
  const [filter, setFilter] = useState('');
  const chosen = new Set(value);
  const known = new Set(columns.map((c) => c.name));
  const all = [...columns, ...value.filter((v) => !known.has(v)).map((name): ColumnInfo => ({ name, type: 'string' }))];
  const shown = all.filter((c) => c.name.toLowerCase().includes(filter.toLowerCase()));
  const toggle = (name: string, on: boolean) => onChange(on ? [...value, name] : value.filter((v) => v !== name));
  const pick = (type: ColumnInfo['type']) => onChange([...new Set([...value, ...columns.filter((c) => c.type === type).map((c) => c.name)])]);
  return (
    <div className="pc-columns" role="group" aria-labelledby={`${id}-label`}>
      <div className="pc-columns-head">
        <span id={`${id}-label`} className="pc-field-label">{label}</span>
        <span className="muted small">{value.length} chosen</span>
      </div>
      {columns.length === 0 && <div className="muted small">Connect a source (or run the pipeline) to list its columns.</div>}
      {columns.length > 0 && (
        <div className="pc-columns-quick">
          <button type="button" onClick={() => pick('number')}>+ numbers</button>
          <button type="button" onClick={() => pick('string')}>+ text</button>
          <button type="button" onClick={() => onChange([])} disabled={value.length === 0}>clear</button>
          {all.length > 10 && <input type="search" placeholder="filter" aria-label={`Filter ${label}`} value={filter} onChange={(e) => setFilter(e.target.value)} />}
        </div>
      )}
      <ul className="pc-columns-list">
        {shown.map((c) => (
          <li key={c.name}>
            <label>
              <input type="checkbox" checked={chosen.has(c.name)} onChange={(e) => toggle(c.name, e.target.checked)} aria-label={`${label}: ${c.name}`} />
              <span className="pc-col-name">{c.name}</span>
              <span className={`pc-col-type t-${c.type}`}>{c.type === 'number' ? '#' : 'Aa'}</span>
            </label>
          </li>
        ))}
      </ul>
    </div>
  );
}
