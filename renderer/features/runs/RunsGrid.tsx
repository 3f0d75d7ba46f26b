import { Fragment } from 'react';
import type { RunRow } from '../../../app/protocol/methods/runs';
import { fieldId, fieldLabel, type Cell, type Field, type RunsTableState } from './runs-table-store';

function show(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  return String(value);
}

function time(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

type GridProps = Pick<RunsTableState, 'columns' | 'rows' | 'sort' | 'filters' | 'groupBy' | 'groups' | 'selected' | 'toggleSort' | 'setFilter' | 'setAgg' | 'toggleSelected' | 'setSelected'> & { onOpen(row: RunRow): void };

function SortMark({ field, sort }: { field: Field; sort: GridProps['sort'] }) {
  const key = sort[0];
  if (!key || fieldId(key.field) !== fieldId(field)) return null;
  return <span className="sort-mark">{key.descending ? '▼' : '▲'}</span>;
}

/** The runs table itself: sortable headers, per-column filters and summaries, grouped rows. */
export function RunsGrid(p: GridProps) {
  const allSelected = p.rows.length > 0 && p.rows.every((r) => p.selected.includes(r.id));
  const span = p.columns.length + 4;
  let lastGroup: string | undefined;
  return (
    <table className="runs-grid" aria-label="Runs">
      <thead>
        <tr>
          <th className="select"><input type="checkbox" aria-label="Select all" checked={allSelected} onChange={() => p.setSelected(allSelected ? [] : p.rows.map((r) => r.id))} /></th>
          <th>run</th>
          <th>status</th>
          <th>started</th>
          {p.columns.map((f) => (
            <th key={fieldId(f)} className={`col-${f.kind}`} aria-sort={p.sort[0] && fieldId(p.sort[0].field) === fieldId(f) ? (p.sort[0].descending ? 'descending' : 'ascending') : 'none'}>
              <button type="button" className="sort" title={`Sort by ${fieldLabel(f)}`} onClick={() => p.toggleSort(f)}>{f.key}<SortMark field={f} sort={p.sort} /></button>
              {f.kind === 'metric' && (
                <select aria-label={`Summary of ${f.key}`} className="agg" value={f.agg ?? 'last'} onChange={(e) => p.setAgg(f, e.target.value as 'last' | 'min' | 'max')}>
                  <option value="last">last</option><option value="min">min</option><option value="max">max</option>
                </select>
              )}
            </th>
          ))}
        </tr>
        <tr className="filters">
          <th /><th /><th /><th />
          {p.columns.map((f) => (
            <th key={fieldId(f)}>
              <input aria-label={`Filter ${f.key}`} placeholder={f.kind === 'metric' ? '> 0.5' : 'filter'} defaultValue={p.filters[fieldId(f)] ?? ''} onKeyDown={(e) => e.key === 'Enter' && p.setFilter(f, e.currentTarget.value)} onBlur={(e) => e.currentTarget.value !== (p.filters[fieldId(f)] ?? '') && p.setFilter(f, e.currentTarget.value)} />
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {p.rows.map((row) => {
          const groupKey = p.groupBy ? JSON.stringify(row.group ?? null) : undefined;
          const header = p.groupBy && groupKey !== lastGroup;
          lastGroup = groupKey;
          const group = header ? p.groups.find((g) => JSON.stringify(g.value) === groupKey) : undefined;
          return (
            <Fragment key={row.id}>
              {header && <tr className="group-row"><td colSpan={span}>{p.groupBy!.key} = <b>{row.group === null || row.group === undefined ? '(missing)' : show(row.group)}</b> <span className="muted">· {group?.count ?? ''} runs</span></td></tr>}
              <tr className={p.selected.includes(row.id) ? 'selected' : undefined} data-run={row.id}>
                <td className="select"><input type="checkbox" aria-label={`Select ${row.name}`} checked={p.selected.includes(row.id)} onChange={() => p.toggleSelected(row.id)} /></td>
                <td><button type="button" className="link" onClick={() => p.onOpen(row)}>{row.name}</button> <span className="muted small">{row.experiment}</span></td>
                <td><span className={`run-status status-${row.status}`}>{row.status}</span></td>
                <td className="muted">{time(row.startTime)}</td>
                {row.values.map((v, i) => <td key={fieldId(p.columns[i]!)} className={typeof v === 'number' ? 'num' : undefined}>{show(v)}</td>)}
              </tr>
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
