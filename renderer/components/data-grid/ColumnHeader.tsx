import { useEffect, useRef, useState } from 'react';
import type { ColumnProfile } from '../../../app/data/profile';
import { compactCount, formatCell, formatCount } from './format';
import { Sparkline } from './Sparkline';

/** Sort state of one column as the header shows it. */
export type SortDirection = 'asc' | 'desc' | null;

export interface ColumnHeaderProps {
  name: string;
  type: string;
  index: number;
  sort: SortDirection;
  onSort?: () => void;
  filter: string;
  onFilter?: (text: string) => void;
  profile: ColumnProfile | 'loading' | 'error' | undefined;
  /** Milliseconds a filter edit waits before it is sent (one query per pause in typing). */
  debounceMs?: number;
}

function percent(fraction: number): string {
  if (fraction === 0) return '0%';
  if (fraction < 0.001) return '<0.1%';
  return `${(fraction * 100).toFixed(fraction < 0.1 ? 1 : 0)}%`;
}

function ProfileSummary({ name, profile }: { name: string; profile: ColumnHeaderProps['profile'] }) {
  if (profile === undefined || profile === 'loading') return <div className="grid-profile muted">…</div>;
  if (profile === 'error') return <div className="grid-profile muted">no profile</div>;
  // HyperLogLog can overshoot a little; more distinct values than non-null ones would read as a bug.
  const distinct = Math.min(profile.distinct, profile.rows - profile.nulls);
  const bound = (text: string) => (profile.kind === 'numeric' && Number.isFinite(Number(text)) ? formatCell(Number(text), 'number') : text);
  const range = profile.min === null || profile.max === null ? 'all null' : profile.min === profile.max ? bound(profile.min) : `${bound(profile.min)} – ${bound(profile.max)}`;
  const title = `${profile.type}\nnull: ${formatCount(profile.nulls)} of ${formatCount(profile.rows)} (${percent(profile.nullFraction)})\ndistinct ≈ ${formatCount(distinct)}\nmin: ${profile.min ?? '–'}\nmax: ${profile.max ?? '–'}`;
  return (
    <div className="grid-profile" title={title} data-testid={`profile-${name}`}>
      {profile.histogram && <Sparkline counts={profile.histogram.counts} label={`Histogram of ${name}`} height={16} />}
      <div className="grid-range">{range}</div>
      <div className="grid-stats">
        <span className={profile.nulls > 0 ? 'has-nulls' : ''}>{percent(profile.nullFraction)} null</span>
        <span>≈{compactCount(distinct)} uniq</span>
      </div>
    </div>
  );
}

/** One grid header cell: name and type (click sorts), column profile, and a debounced filter box. */
export function ColumnHeader(props: ColumnHeaderProps) {
  const { name, type, sort, onSort, onFilter, debounceMs = 300 } = props;
  const [text, setText] = useState(props.filter);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => setText(props.filter), [props.filter]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const change = (next: string) => {
    setText(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => onFilter?.(next), debounceMs);
  };
  const ariaSort = sort === 'asc' ? 'ascending' : sort === 'desc' ? 'descending' : 'none';
  return (
    <div className="grid-header-cell" role="columnheader" aria-colindex={props.index + 2} aria-sort={ariaSort}>
      <button type="button" className="grid-sort" onClick={onSort} disabled={!onSort} title={`Sort by ${name}`}>
        <span className="grid-col-name">{name}</span>
        <span className="grid-sort-mark" aria-hidden="true">{sort === 'asc' ? '▲' : sort === 'desc' ? '▼' : ''}</span>
      </button>
      <div className="grid-col-type">{type}</div>
      <ProfileSummary name={name} profile={props.profile} />
      {onFilter && (
        <input
          className="grid-filter"
          aria-label={`Filter ${name}`}
          placeholder="filter…"
          value={text}
          onChange={(e) => change(e.target.value)}
          onKeyDown={(e) => e.stopPropagation()}
        />
      )}
    </div>
  );
}
