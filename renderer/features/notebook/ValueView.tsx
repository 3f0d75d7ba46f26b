import { useLayoutEffect, useRef, useState } from 'react';
import { summarize, type Inspected } from './inspect';
import { sanitizeHtml } from './sanitize';

function Dom({ live, html }: { live: unknown; html: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    // In this session the cell's own node is shown; from the cache, its sanitised markup.
    if (ref.current) ref.current.replaceChildren(typeof Node !== 'undefined' && live instanceof Node ? live : sanitizeHtml(html));
  }, [live, html]);
  return <div ref={ref} className="nb-dom" />;
}

function TablePreview({ value }: { value: Extract<Inspected, { t: 'table' }> }) {
  return (
    <div className="nb-inspect-table">
      <div className="muted small">{summarize(value)}</div>
      <table>
        <thead><tr>{value.columns.map((c) => <th key={c.name} title={c.type}>{c.name}</th>)}</tr></thead>
        <tbody>{value.preview.map((row, i) => <tr key={i}>{row.map((cell, j) => <td key={j}>{cell}</td>)}</tr>)}</tbody>
      </table>
    </div>
  );
}

function Node_({ name, value, depth }: { name?: string; value: Inspected; depth: number }) {
  const [open, setOpen] = useState(depth === 0);
  const label = name !== undefined ? <span className="nb-key">{name}: </span> : null;
  if (value.t === 'prim') return <div className="nb-inspect-row">{label}<span className={`nb-prim ${value.cls}`}>{value.cls === 'string' && depth > 0 ? JSON.stringify(value.text) : value.text}</span></div>;
  if (value.t === 'error') return <div className="nb-inspect-row error-text">{label}{value.text}</div>;
  if (value.t === 'dom') return <div className="nb-inspect-row">{label}<Dom live={undefined} html={value.html} /></div>;
  if (value.t === 'table') return <div className="nb-inspect-row">{label}<TablePreview value={value} /></div>;
  const children: Array<[string, Inspected]> = value.t === 'array' ? value.items.map((v, i) => [String(i), v]) : value.entries;
  const more = value.t === 'array' ? value.length - value.items.length : value.more;
  return (
    <div className="nb-inspect-row">
      <button type="button" className="nb-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>{open ? '▾' : '▸'}</button>
      {label}<span className="nb-summary">{summarize(value)}</span>
      {open && (
        <div className="nb-inspect-children">
          {children.map(([k, v]) => <Node_ key={k} name={k} value={v} depth={depth + 1} />)}
          {more > 0 && <div className="muted small">… {more} more</div>}
        </div>
      )}
    </div>
  );
}

/** The inspector of a JS cell's value: expandable objects and arrays, Arrow table previews, DOM nodes and Plot charts. */
export function ValueView({ view, live }: { view: Inspected; live?: unknown }) {
  if (view.t === 'dom') return <Dom live={live} html={view.html} />;
  return <div className="nb-inspect" data-testid="value"><Node_ value={view} depth={0} /></div>;
}
