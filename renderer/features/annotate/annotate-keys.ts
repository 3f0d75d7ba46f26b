import type { KeyboardEvent } from 'react';
import { extentOf, walkOrder, type AnnotateStore } from './annotate-store';
import { newLabelId } from './label-ids';
import { panBy, zoomAt } from './viewport';

/** Moves the selection to the next (or previous) label or suggestion along x and brings it into view. */
function step(store: AnnotateStore, direction: 1 | -1): void {
  const s = store.getState();
  const order = walkOrder(s.labels);
  if (order.length === 0) return;
  const index = s.selection ? order.findIndex((o) => o.id === s.selection) : -1;
  let next: (typeof order)[number] | undefined;
  if (index >= 0) next = order[(index + direction + order.length) % order.length];
  else next = direction > 0 ? (order.find((o) => o.start >= s.viewport.from) ?? order[0]) : ([...order].reverse().find((o) => o.start <= s.viewport.to) ?? order.at(-1));
  if (next) s.select(next.id, true);
}

function center(store: AnnotateStore): number {
  const { cursor, viewport } = store.getState();
  return cursor ?? (viewport.from + viewport.to) / 2;
}

/**
 * The annotator's keys (when focus is not in a text field): arrows pan, +/− zoom, Shift+arrows
 * move the cursor, 1–9 pick (or relabel to) a class, [ and ] make a range, P a point, Tab/Shift+Tab
 * walk labels and suggestions, Enter accepts, Backspace/Delete deletes or rejects, R marks the view
 * reviewed, Ctrl+Z / Ctrl+Shift+Z undo and redo, Escape clears.
 */
export function handleAnnotateKey(event: KeyboardEvent, store: AnnotateStore): void {
  if (event.target instanceof HTMLElement && event.target.closest('input, textarea, select')) return;
  const s = store.getState();
  if (!s.extent || !s.meta) return;
  const extent = extentOf(s.extent);
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key;
  const selected = s.selection ? s.labels.labels[s.selection] : undefined;
  const selectedSuggestion = s.selection ? s.labels.suggestions[s.selection] : undefined;
  let handled = true;
  if (mod && (key === 'z' || key === 'Z')) {
    if (event.shiftKey) s.redoLast();
    else s.undoLast();
  } else if (mod && key === 'y') s.redoLast();
  else if (mod || event.altKey) handled = false;
  else if (key === 'ArrowLeft' || key === 'ArrowRight') {
    const dir = key === 'ArrowLeft' ? -1 : 1;
    if (event.shiftKey) s.setCursor(center(store) + ((s.viewport.to - s.viewport.from) / 100) * dir);
    else s.setViewport(panBy(s.viewport, 0.1 * dir, extent));
  } else if (key === '+' || key === '=') s.setViewport(zoomAt(s.viewport, 1.5, 0.5, extent));
  else if (key === '-' || key === '_') s.setViewport(zoomAt(s.viewport, 1 / 1.5, 0.5, extent));
  else if (/^[1-9]$/.test(key)) {
    const cls = s.meta.classes.find((c) => c.key === Number(key));
    if (!cls) return;
    s.setActiveClass(cls.name);
    if (selected && (selected.kind === 'range' || selected.kind === 'point') && selected.label !== cls.name) s.edit({ op: 'update', label: { ...selected, label: cls.name } });
  } else if (key === '[') s.setMark(center(store));
  else if (key === ']') {
    if (s.markStart === null) return;
    const x = center(store);
    const id = newLabelId();
    const start = Math.min(s.markStart, x);
    const end = Math.max(s.markStart, x);
    if (s.edit({ op: 'add', label: { kind: 'range', id, series: s.meta.series, start, end, label: s.activeClass } })) s.select(id);
    s.setMark(null);
  } else if (key === 'p' || key === 'P') {
    const id = newLabelId();
    if (s.edit({ op: 'add', label: { kind: 'point', id, series: s.meta.series, at: center(store), label: s.activeClass } })) s.select(id);
  } else if (key === 'Tab') step(store, event.shiftKey ? -1 : 1);
  else if (key === 'Enter' && selectedSuggestion) {
    if (s.edit({ op: 'acceptSuggestion', id: selectedSuggestion.id })) s.select(selectedSuggestion.proposal.id);
  } else if ((key === 'Backspace' || key === 'Delete') && selected) {
    if (s.edit({ op: 'delete', id: selected.id })) s.select(null);
  } else if ((key === 'Backspace' || key === 'Delete') && selectedSuggestion) {
    if (s.edit({ op: 'rejectSuggestion', id: selectedSuggestion.id })) s.select(null);
  } else if (key === 'r' || key === 'R') void s.markReviewed();
  else if (key === 'Escape') {
    s.select(null);
    s.setMark(null);
  } else handled = false;
  if (handled) {
    event.preventDefault();
    event.stopPropagation();
  }
}
