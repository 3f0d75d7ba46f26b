import { useEffect, useState } from 'react';
import { assertNever } from '../../../app/base/assert';
import type { CatalogItem } from '../../../app/protocol/methods/data';
import { useServices } from '../../stores/context';
import { ColumnsPicker } from './ColumnsPicker';
import type { Field } from './param-fields';
import type { ColumnInfo } from './pipeline-store';

export interface ParamInputProps {
  id: string;
  field: Field;
  value: unknown;
  columns: ColumnInfo[];
  catalog: CatalogItem[];
  onChange: (value: unknown) => void;
}

/** A text box that keeps what is typed while it does not parse yet; commits parsed values. */
function DraftInput({ id, value, parse, format, placeholder, multiline, onCommit }: { id: string; value: unknown; parse: (text: string) => { ok: true; value: unknown } | { ok: false }; format: (value: unknown) => string; placeholder?: string; multiline?: boolean; onCommit: (value: unknown) => void }) {
  const [draft, setDraft] = useState(format(value));
  const [isBad, setBad] = useState(false);
  useEffect(() => {
    const parsed = parse(draft);
    if (!parsed.ok || JSON.stringify(parsed.value) !== JSON.stringify(value)) { setDraft(format(value)); setBad(false); }
    // only an outside change of the value (undo, reload) resets the draft
  }, [value]);
  const change = (text: string) => {
    setDraft(text);
    const parsed = parse(text);
    setBad(!parsed.ok);
    if (parsed.ok) onCommit(parsed.value);
  };
  const props = { id, value: draft, placeholder, className: isBad ? 'bad' : '', 'aria-invalid': isBad };
  return multiline ? <textarea {...props} rows={4} spellCheck={false} onChange={(e) => change(e.target.value)} /> : <input {...props} type="text" inputMode="text" onChange={(e) => change(e.target.value)} />;
}

const ok = (value: unknown) => ({ ok: true as const, value });
const bad = { ok: false as const };

function numberParser(field: Extract<Field, { type: 'number' }>) {
  return (text: string) => {
    if (text.trim() === '') return field.isOptional ? ok(undefined) : bad;
    const n = Number(text);
    return Number.isFinite(n) && (!field.isInteger || Number.isInteger(n)) ? ok(n) : bad;
  };
}

/** The workspace's time-series label sets (`labels.list`), fetched when the control mounts. */
function LabelSetSelect({ id, value, onChange }: { id: string; value: string; onChange: (v: string | undefined) => void }) {
  const { backend } = useServices();
  const [names, setNames] = useState<string[] | null>(null);
  useEffect(() => {
    let live = true;
    backend.call('labels.list', {}).then((r) => live && setNames(r.items.map((i) => i.name)), () => live && setNames([]));
    return () => void (live = false);
  }, [backend]);
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
      <option value="">{names === null ? 'loading…' : names.length === 0 ? '(no label sets in this workspace)' : '(none: no NAB scoring)'}</option>
      {value !== '' && names !== null && !names.includes(value) && <option value={value}>{value} (missing)</option>}
      {(names ?? []).map((n) => <option key={n} value={n}>{n}</option>)}
    </select>
  );
}

function ColumnSelect({ id, value, columns, isOptional, onChange }: { id: string; value: string; columns: ColumnInfo[]; isOptional: boolean; onChange: (v: string) => void }) {
  const names = columns.map((c) => c.name);
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{isOptional ? '(none)' : 'pick a column…'}</option>
      {value !== '' && !names.includes(value) && <option value={value}>{value} (not in input)</option>}
      {columns.map((c) => <option key={c.name} value={c.name}>{c.name} {c.type === 'number' ? '(#)' : '(text)'}</option>)}
    </select>
  );
}

/** The control of one parameter, chosen by the field's type. */
export function ParamInput({ id, field, value, columns, catalog, onChange }: ParamInputProps) {
  switch (field.type) {
    case 'number':
      return <DraftInput id={id} value={value} parse={numberParser(field)} format={(v) => (typeof v === 'number' ? String(v) : '')} placeholder={field.isOptional ? 'default' : ''} onCommit={onChange} />;
    case 'enum':
      return (
        <select id={id} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
          {(field.isOptional && field.defaultValue === undefined) && <option value="">(default)</option>}
          {field.options.map((o) => <option key={o} value={o}>{o.replace(/_/g, ' ')}</option>)}
        </select>
      );
    case 'choice': {
      const index = field.options.findIndex((o) => o.value === value);
      return (
        <select id={id} value={index < 0 ? '' : String(index)} onChange={(e) => onChange(e.target.value === '' ? undefined : field.options[Number(e.target.value)]?.value)}>
          {field.isOptional && field.defaultValue === undefined && <option value="">(default)</option>}
          {field.options.map((o, i) => <option key={o.label} value={String(i)}>{o.label}</option>)}
        </select>
      );
    }
    case 'boolean':
      // An unset flag shows its schema default (e.g. Cross-validate's stratified = true), as a run reads it.
      return <input id={id} type="checkbox" checked={value === true || (value === undefined && field.defaultValue === true)} onChange={(e) => onChange(e.target.checked)} />;
    case 'text':
      return <DraftInput id={id} value={value} parse={(t) => ok(t)} format={(v) => (typeof v === 'string' ? v : '')} multiline={field.isMultiline} onCommit={onChange} />;
    case 'scalar':
      return <DraftInput id={id} value={value} parse={(t) => (t.trim() === '' ? ok(undefined) : ok(Number.isFinite(Number(t)) ? Number(t) : t))} format={(v) => (v === undefined ? '' : String(v))} placeholder="default" onCommit={onChange} />;
    case 'column':
      return <ColumnSelect id={id} value={typeof value === 'string' ? value : ''} columns={columns} isOptional={field.isOptional} onChange={onChange} />;
    case 'columns':
      return <ColumnsPicker id={id} label={field.label} columns={columns} value={Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []} onChange={onChange} />;
    case 'dataset':
      return (
        <select id={id} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)}>
          <option value="">pick a dataset…</option>
          {typeof value === 'string' && value !== '' && !catalog.some((c) => c.name === value) && <option value={value}>{value}</option>}
          {catalog.map((c) => <option key={c.name} value={c.name}>{c.name}{c.file ? ` — ${c.file}` : ''}</option>)}
        </select>
      );
    case 'labelSet':
      return <LabelSetSelect id={id} value={typeof value === 'string' ? value : ''} onChange={onChange} />;
    case 'numberList':
      return <DraftInput id={id} value={value} parse={(t) => { const parts = t.split(/[\s,]+/).filter(Boolean).map(Number); return parts.every(Number.isInteger) ? ok(parts) : bad; }} format={(v) => (Array.isArray(v) ? v.join(', ') : '')} onCommit={onChange} />;
    case 'textList':
      return <DraftInput id={id} value={value} parse={(t) => ok(t.split(',').map((p) => p.trim()).filter(Boolean))} format={(v) => (Array.isArray(v) ? v.join(', ') : '')} placeholder="all" onCommit={onChange} />;
    case 'json':
      return <DraftInput id={id} value={value} multiline parse={(t) => { if (t.trim() === '') return ok(undefined); try { return ok(JSON.parse(t)); } catch { return bad; } }} format={(v) => (v === undefined ? '' : JSON.stringify(v, null, 1))} onCommit={onChange} />;
    default:
      return assertNever(field, 'param field');
  }
}
