import * as Plot from '@observablehq/plot';
import { decodeIpc } from '../../../app/data/ipc';
import type { NotebookRuntime } from '../../../app/notebook/executor';
import type { Backend } from '../../bridge/connection';

/** `html\`<b>${x}</b>\``: a DOM node from a template; interpolated values are text, never markup. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Node {
  const template = document.createElement('template');
  const marks = values.map((_, i) => `<!--v${i}-->`);
  template.innerHTML = strings.reduce((out, s, i) => out + s + (marks[i] ?? ''), '').trim();
  const walker = document.createTreeWalker(template.content, NodeFilter.SHOW_COMMENT);
  const found: Comment[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n instanceof Comment && /^v\d+$/.test(n.data)) found.push(n);
  for (const comment of found) {
    const value = values[Number(comment.data.slice(1))];
    comment.replaceWith(value instanceof Node ? value : document.createTextNode(String(value)));
  }
  const content = template.content;
  return content.childNodes.length === 1 ? content.firstChild! : content;
}

/** Width charts get by default: the notebook's output column. */
export function outputWidth(): number {
  const column = document.querySelector('.nb-cells');
  return Math.max(320, Math.min(1100, (column?.clientWidth ?? 860) - 64));
}

/**
 * The renderer's runtime for the shared executor: SQL cells run in the backend's DuckDB (cancel
 * interrupts the query), rows come back as Arrow IPC, JS runs here with `Plot`, `html` and
 * `width` in scope.
 */
export function rendererRuntime(backend: Backend, path: string): NotebookRuntime {
  return {
    async runSql(request, signal) {
      return backend.call('notebook.runSql', { path, cellId: request.cellId, table: request.table, sql: request.sql, params: request.params, ...(request.key ? { key: request.key } : {}) }, signal ? { signal: toAbortSignal(signal) } : {});
    },
    async fetchRows(sql, limit, signal) {
      const { ipc } = await backend.call('notebook.fetch', { path, sql, limit }, signal ? { signal: toAbortSignal(signal) } : {});
      return decodeIpc(ipc);
    },
    builtins: { Plot, html, get width() { return outputWidth(); } },
  };
}

function toAbortSignal(signal: { aborted: boolean; addEventListener(type: 'abort', listener: () => void): void }): AbortSignal {
  if (signal instanceof AbortSignal) return signal;
  const controller = new AbortController();
  if (signal.aborted) controller.abort();
  else signal.addEventListener('abort', () => controller.abort());
  return controller.signal;
}
