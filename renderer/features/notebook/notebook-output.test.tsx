import { tableFromArrays } from 'apache-arrow';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { asId, type CellId } from '../../../app/base/ids';
import { parseCached, serializeCached, outputOf } from './cell-output';
import { InputControl } from './InputControl';
import { inspect, summarize } from './inspect';
import { sanitizeHtml } from './sanitize';
import { ValueView } from './ValueView';

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});

function render(node: React.ReactNode): HTMLDivElement {
  const container = document.createElement('div');
  document.body.append(container);
  act(() => createRoot(container).render(node));
  return container;
}

describe('notebook outputs', () => {
  it('inspect(value) snapshots Arrow tables, nested objects and DOM nodes, and survives the cache as JSON', () => {
    const table = tableFromArrays({ n: Int32Array.from([1, 2, 3]), s: ['a', 'b', 'c'] });
    const value = { table, list: [1, 'two', null], nested: { deep: { deeper: { deepest: { gone: 1 } } } } };
    const view = inspect(value);
    expect(summarize(view)).toBe('{table: Table 3 rows × 2 columns, list: Array(3) [1, "two", null], nested: {deep: {deeper: {deepest: {…}}}}}');
    const node = document.createElement('svg');
    expect(inspect(node)).toEqual({ t: 'dom', html: '<svg></svg>' });
    const cached = serializeCached({ output: outputOf({ kind: 'js', value }), ms: 2 });
    expect(parseCached(cached)?.output).toEqual({ kind: 'value', view });
    expect(parseCached('{"output":{"kind":"nope"},"ms":1}')).toBeUndefined();
  });

  it('ValueView shows an expandable object and an Arrow table preview', () => {
    const container = render(<ValueView view={inspect({ rows: tableFromArrays({ age: Float64Array.from([39, 50]) }) })} />);
    expect(container.textContent).toContain('rows: Table 2 rows × 1 columns');
    expect(container.querySelectorAll('td')).toHaveLength(2);
    const toggle = container.querySelector('button')!;
    act(() => toggle.click());
    expect(container.querySelector('td')).toBeNull();
  });

  it('sanitizeHtml(markup) drops scripts, handlers and javascript: URLs from cached markup', () => {
    const fragment = sanitizeHtml('<p onclick="x()">hi<script>alert(1)</script><a href="javascript:alert(1)">a</a></p><svg><rect width="3"/></svg>');
    const div = document.createElement('div');
    div.append(fragment);
    expect(div.innerHTML).toBe('<p>hi<a>a</a></p><svg><rect width="3"></rect></svg>');
  });

  it('InputControl(slider) reports every move as the new value text', () => {
    const changes: string[] = [];
    const cell = { id: asId<CellId>('@n'), kind: 'input' as const, name: 'n', options: { type: 'slider', min: '0', max: '10', step: '1', value: '4', label: 'How many' }, source: '' };
    const container = render(<InputControl cell={cell} onChange={(v) => changes.push(v)} />);
    const slider = container.querySelector('input[type="range"]') as HTMLInputElement;
    expect(container.querySelector('label')?.textContent).toBe('How many');
    act(() => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(slider, '7');
      slider.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(changes).toEqual(['7']);
    expect(container.querySelector('output')?.textContent).toBe('7');
  });
});
