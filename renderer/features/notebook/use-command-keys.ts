import { useEffect, useRef, type RefObject } from 'react';
import { addCell, deleteSelected, moveSelected, selectNext } from './notebook-actions';
import type { NotebookStore } from './notebook-store';

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.closest('.monaco-editor') !== null);
}

/**
 * Jupyter's command-mode keys on the notebook (when no editor or field has focus): Enter edits,
 * ↑/↓ (or K/J) select, A/B insert above/below, D D deletes, Alt+↑/↓ move, Z / Shift+Z undo/redo.
 */
export function useCommandKeys(store: NotebookStore, root: RefObject<HTMLElement | null>): void {
  const lastD = useRef(0);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      // keys reach us from the notebook, or from the page body when a removed cell took the focus with it
      const isOurs = event.target === document.body || (event.target instanceof Node && root.current?.contains(event.target) === true);
      if (!isOurs || event.defaultPrevented) return;
      handle(event);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  });
  const handle = (event: KeyboardEvent) => {
    if (isTyping(event.target) || event.ctrlKey || event.metaKey) return;
    const s = store.getState();
    const index = Math.max(0, s.doc.cells.findIndex((c) => c.id === s.selected));
    const key = event.key;
    let handled = true;
    if (event.altKey && (key === 'ArrowUp' || key === 'ArrowDown')) moveSelected(store, key === 'ArrowUp' ? -1 : 1);
    else if (event.altKey) handled = false;
    else if (key === 'Enter' && !event.shiftKey && s.selected) s.setEditing(s.selected);
    else if (key === 'ArrowUp' || key === 'k') selectNext(store, -1);
    else if (key === 'ArrowDown' || key === 'j') selectNext(store, 1);
    else if (key === 'a') addCell(store, index, 'sql');
    else if (key === 'b') addCell(store, s.doc.cells.length === 0 ? 0 : index + 1, 'sql');
    else if (key === 'z') s.undo();
    else if (key === 'Z') s.redo();
    else if (key === 'd') {
      const now = performance.now();
      if (now - lastD.current < 800) { deleteSelected(store); lastD.current = 0; }
      else lastD.current = now;
    } else handled = false;
    if (handled) event.preventDefault();
  };
}
