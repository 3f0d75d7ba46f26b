import { tableFromArrays, type Table } from 'apache-arrow';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DataGrid, type GridSort } from './DataGrid';
import { firstRowAt, scrollTopFor, MAX_SPACER_PX } from './data-grid/scroll-math';

const TOTAL = 10_000_000;
const columns = [{ name: 'i', type: 'BIGINT' }, { name: 'label', type: 'VARCHAR' }, { name: 'x', type: 'DOUBLE' }];

/** Rows computed from their index, so any window can be checked without a database. */
function windowOf(offset: number, limit: number): Table {
  const i = Array.from({ length: limit }, (_, k) => BigInt(offset + k));
  return tableFromArrays({
    i: BigInt64Array.from(i),
    label: i.map((v) => (v % 5n === 0n ? null : `row ${v}`)),
    x: Float64Array.from(i, (v) => Number(v) / 4),
  });
}

let container: HTMLDivElement;
let root: Root;

beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 400 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 900 });
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

const flush = () => act(async () => {
  await new Promise((r) => setTimeout(r, 30));
});
const grid = () => container.querySelector<HTMLDivElement>('[role="grid"]')!;
const rowText = (rowIndex: number) => [...container.querySelectorAll(`[aria-rowindex="${rowIndex + 2}"] [role="gridcell"]`)].map((c) => c.textContent);

describe('DataGrid', () => {
  it('DataGrid({totalRows: 10M, fetchWindow}) asks only for the windows in view as the user scrolls, and shows their rows', async () => {
    const fetchWindow = vi.fn(async (offset: number, limit: number) => windowOf(offset, limit));
    act(() => root.render(<DataGrid columns={columns} totalRows={TOTAL} fetchWindow={fetchWindow} />));
    await flush();
    expect(fetchWindow.mock.calls).toEqual([[0, 100]]);
    expect(rowText(0)).toEqual(['0', 'null', '0']);
    expect(rowText(1)).toEqual(['1', 'row 1', '0.25']);
    expect(container.querySelector('[aria-rowindex="3"] .grid-cell.num')).not.toBeNull();
    expect(container.querySelector('[aria-rowindex="2"] .grid-cell.null')?.textContent).toBe('null');

    const geometry = { totalRows: TOTAL, rowHeight: 24, viewport: 400 - 124 };
    grid().scrollTop = scrollTopFor(5_000_000, geometry);
    await act(async () => {
      grid().dispatchEvent(new Event('scroll'));
      await new Promise((r) => setTimeout(r, 50));
    });
    const first = Math.floor(firstRowAt(grid().scrollTop, geometry));
    expect(first).toBeGreaterThan(4_999_000);
    expect(fetchWindow.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(fetchWindow.mock.calls.slice(1).every(([offset]) => offset >= 4_999_800 && offset <= 5_000_100)).toBe(true);
    for (const r of [first + 1, first + 2]) expect(rowText(r)[1]).toBe(r % 5 === 0 ? 'null' : `row ${r}`);
  });

  it('DataGrid caps the spacer height and Ctrl+End reaches the last of 10M rows', async () => {
    const fetchWindow = vi.fn(async (offset: number, limit: number) => windowOf(offset, limit));
    act(() => root.render(<DataGrid columns={columns} totalRows={TOTAL} fetchWindow={fetchWindow} />));
    await flush();
    expect(container.querySelector<HTMLElement>('.grid-spacer')!.style.height).toBe(`${MAX_SPACER_PX}px`);
    await act(async () => {
      grid().dispatchEvent(new KeyboardEvent('keydown', { key: 'End', ctrlKey: true, bubbles: true }));
      await new Promise((r) => setTimeout(r, 50));
    });
    expect(fetchWindow.mock.calls.at(-1)).toEqual([9_999_900, 100]);
    expect(rowText(TOTAL - 1)).toEqual(['9999999', 'row 9999999', '2499999.75']);
    expect(container.querySelector('.grid-cell.cursor')?.textContent).toBe('9999999');
  });

  it('DataGrid header click calls onSortChange with asc, then desc, then null; typing a filter calls onFilterChange once after the pause', async () => {
    const onSortChange = vi.fn<(sort: GridSort | null) => void>();
    const onFilterChange = vi.fn<(column: string, text: string) => void>();
    const fetchWindow = async (offset: number, limit: number) => windowOf(offset, limit);
    const draw = (sort: GridSort | null) => act(() => root.render(
      <DataGrid columns={columns} totalRows={1000} fetchWindow={fetchWindow} sort={sort} onSortChange={onSortChange} onFilterChange={onFilterChange} />,
    ));
    draw(null);
    const sortButton = () => container.querySelector<HTMLButtonElement>('[aria-colindex="4"] button')!;
    act(() => sortButton().click());
    draw({ column: 'x', direction: 'asc' });
    expect(container.querySelector('[aria-colindex="4"]')!.getAttribute('aria-sort')).toBe('ascending');
    act(() => sortButton().click());
    draw({ column: 'x', direction: 'desc' });
    act(() => sortButton().click());
    expect(onSortChange.mock.calls).toEqual([[{ column: 'x', direction: 'asc' }], [{ column: 'x', direction: 'desc' }], [null]]);

    const input = container.querySelector<HTMLInputElement>('input[aria-label="Filter label"]')!;
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    for (const text of ['r', 'ro', 'row 7']) {
      act(() => {
        setValue.call(input, text);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
    }
    expect(onFilterChange).not.toHaveBeenCalled();
    await act(async () => {
      await new Promise((r) => setTimeout(r, 350));
    });
    expect(onFilterChange.mock.calls).toEqual([['label', 'row 7']]);
  });

  it('DataGrid fetches a profile only for columns in view and draws its histogram', async () => {
    const wide = Array.from({ length: 40 }, (_, k) => ({ name: `c${k}`, type: 'DOUBLE' }));
    const fetchProfile = vi.fn(async (column: { name: string; type: string }) => ({
      column: column.name, type: column.type, kind: 'numeric' as const, rows: 10, nulls: 1, nullFraction: 0.1, distinct: 9,
      min: '0', max: '9', histogram: { binLow: 0, binHigh: 9, counts: [1, 2, 3, 0, 5] },
    }));
    const fetchWindow = async () => tableFromArrays(Object.fromEntries(wide.map((c) => [c.name, Float64Array.of(1)])));
    act(() => root.render(<DataGrid columns={wide} totalRows={1} fetchWindow={fetchWindow} fetchProfile={fetchProfile} />));
    for (let k = 0; k < 12; k++) await flush();
    const asked = fetchProfile.mock.calls.map(([c]) => c.name);
    expect(asked.length).toBeGreaterThan(3);
    expect(asked.length).toBeLessThan(12);
    expect(asked[0]).toBe('c0');
    expect(container.querySelectorAll('[data-testid="profile-c0"] rect')).toHaveLength(5);
    expect(container.querySelector('[data-testid="profile-c0"]')!.textContent).toContain('10% null');
  });
});
