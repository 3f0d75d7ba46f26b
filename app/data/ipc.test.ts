import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { decodeIpc, tableToIpc, tableToIpcWindows } from './ipc';

describe('tableToIpcWindows(table, n)', () => {
  const table = tableFromArrays({ x: Float64Array.from({ length: 2500 }, (_, i) => i * 0.5), s: Array.from({ length: 2500 }, (_, i) => `r${i}`) });

  it('yields windows of n rows that each decode alone and together restore the table', () => {
    const windows = [...tableToIpcWindows(table, 1000)];
    expect(windows.map((w) => decodeIpc(w).numRows)).toEqual([1000, 1000, 500]);
    const second = decodeIpc(windows[1]!);
    expect(second.getChild('x')!.get(0)).toBe(500);
    expect(second.getChild('s')!.get(999)).toBe('r1999');
  });

  it('yields one empty window for an empty table, keeping the schema', () => {
    const [only, ...rest] = [...tableToIpcWindows(table.slice(0, 0), 10)];
    expect(rest).toHaveLength(0);
    expect(decodeIpc(only!).schema.fields.map((f) => f.name)).toEqual(['x', 's']);
  });

  it('rejects a window size of 0', () => {
    expect(() => [...tableToIpcWindows(table, 0)]).toThrow(/rowsPerWindow/);
  });
});

describe('decodeIpc(bytes)', () => {
  it('round-trips tableToIpc(table)', () => {
    const table = tableFromArrays({ a: Int32Array.of(1, 2, 3) });
    expect([...decodeIpc(tableToIpc(table)).getChild('a')!]).toEqual([1, 2, 3]);
  });
});
