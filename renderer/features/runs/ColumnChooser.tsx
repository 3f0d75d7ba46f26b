import { useState } from 'react';
import type { RunsLayout } from '../../../app/protocol/methods/runs';
import { fieldId, type ColumnKeys, type Field } from './runs-table-store';

/** Pick the table's params and metrics; save and apply named layouts. */
export function ColumnChooser({ keys, columns, layouts, onChange, onSaveLayout, onApplyLayout, onDeleteLayout, onClose }: {
  keys: ColumnKeys; columns: Field[]; layouts: RunsLayout[];
  onChange(columns: Field[]): void; onSaveLayout(name: string): void; onApplyLayout(layout: RunsLayout): void; onDeleteLayout(name: string): void; onClose(): void;
}) {
  const [filter, setFilter] = useState('');
  const [layoutName, setLayoutName] = useState('');
  const shown = new Set(columns.map(fieldId));
  const toggle = (field: Field) => onChange(shown.has(fieldId(field)) ? columns.filter((c) => fieldId(c) !== fieldId(field)) : [...columns, field]);
  const match = (key: string) => key.toLowerCase().includes(filter.toLowerCase());
  const group = (title: string, fields: Field[]) => (
    <fieldset>
      <legend>{title}</legend>
      {fields.filter((f) => match(f.key)).slice(0, 300).map((f) => (
        <label key={fieldId(f)} className="check"><input type="checkbox" checked={shown.has(fieldId(f))} onChange={() => toggle(f)} /> {f.key}</label>
      ))}
    </fieldset>
  );
  return (
    <div className="column-chooser" role="dialog" aria-label="Columns">
      <div className="chooser-head">
        <input aria-label="Find a column" placeholder="Find a column…" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <button type="button" onClick={onClose}>Done</button>
      </div>
      <div className="chooser-body">
        {group('Metrics', keys.metrics.map((key): Field => ({ kind: 'metric', key, agg: 'last' })))}
        {group('Params', keys.params.map((key): Field => ({ kind: 'param', key })))}
        {group('Tags', keys.tags.map((key): Field => ({ kind: 'tag', key })))}
      </div>
      <div className="chooser-layouts">
        <b>Layouts</b>
        {layouts.map((l) => (
          <span key={l.name} className="layout-chip">
            <button type="button" className="link" onClick={() => onApplyLayout(l)}>{l.name}</button>
            <button type="button" className="small-button" aria-label={`Delete layout ${l.name}`} onClick={() => onDeleteLayout(l.name)}>×</button>
          </span>
        ))}
        <input aria-label="Layout name" placeholder="Layout name" value={layoutName} onChange={(e) => setLayoutName(e.target.value)} />
        <button type="button" disabled={!layoutName.trim()} onClick={() => (onSaveLayout(layoutName.trim()), setLayoutName(''))}>Save layout</button>
      </div>
    </div>
  );
}
