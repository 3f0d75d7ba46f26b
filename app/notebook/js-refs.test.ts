import { describe, expect, it } from 'vitest';
import { findInterpolations } from './interpolation';
import { jsCellBody, jsFreeVariables } from './js-refs';

function free(source: string): string[] {
  const result = jsFreeVariables(source);
  if (!result.ok) throw new Error(result.message);
  return result.free;
}

describe('jsFreeVariables(source)', () => {
  it('jsFreeVariables(source) excludes locals, params, destructuring, class and function names and globals', () => {
    const source = `
      const { a, b: [c, ...d], ...e } = data;
      let total = 0;
      function add(x, y = offset) { return x + y + arguments.length; }
      class Box extends Base { static s = Box; m() { return this.v + helper; } }
      const f = function named(n) { return n ? named(n - 1) : seed; };
      for (const row of rows) total += add(row.v);
      try { risky(); } catch ({ message }) { console.log(message, JSON.stringify(a), Math.max(c, d, e)); }
      label: for (;;) { break label; }
      ({ [key]: total, short });
      obj.prop; obj?.["computed" + suffix];
      new Box(f, b2);
    `;
    expect(free(source)).toEqual(['data', 'offset', 'Base', 'helper', 'seed', 'rows', 'risky', 'key', 'short', 'obj', 'suffix', 'b2']);
  });

  it('jsFreeVariables(source) allows top-level await and return, and honours hoisting and block scope', () => {
    expect(free('const r = await fetch(url); return r;')).toEqual(['url']);
    expect(free('g(); function g() { return h; } var h = 1;')).toEqual([]);
    expect(free('{ let inner = 1; } inner;')).toEqual(['inner']);
    expect(free('if (x) { var v = 1; } v;')).toEqual(['x']);
    expect(free('x = 1; y += 2;')).toEqual(['x', 'y']);
    expect(free('const f = (p, { q } = defaults) => p + q + arguments;')).toEqual(['defaults', 'arguments']);
    expect(free('import { a as b } from "m"; b + c')).toEqual(['c']);
  });

  it('jsFreeVariables(source) reports a syntax error with its offset', () => {
    const result = jsFreeVariables('const = 1');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.offset).toBe(6);
  });
});

describe('findInterpolations(markdown)', () => {
  it('findInterpolations(markdown) finds ${expr} with its free variables, skipping code spans, fences and escapes', () => {
    const md = 'Total ${total.toFixed(2)} of ${rows.filter((r) => r.ok).length}.\n`${notMe}` and \\${escaped}\n```\n${fenced}\n```\nEnd ${ {a: x}.a }';
    const found = findInterpolations(md);
    expect(found.map((f) => f.expression.trim())).toEqual(['total.toFixed(2)', 'rows.filter((r) => r.ok).length', '{a: x}.a']);
    expect(found.map((f) => (f.analysis.ok ? f.analysis.free : []))).toEqual([['total'], ['rows'], ['x']]);
    expect(md.slice(found[0]!.start, found[0]!.end)).toBe('${total.toFixed(2)}');
  });

  it('findInterpolations(markdown) returns an unparsable or unclosed expression as an error', () => {
    expect(findInterpolations('a ${1 +} b')[0]!.analysis.ok).toBe(false);
    expect(findInterpolations('a ${x y}')[0]!.analysis.ok).toBe(false);
  });
});

describe('jsCellBody(source)', () => {
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<unknown>;
  const run = async (source: string, inputs: Record<string, unknown>) => {
    const compiled = jsCellBody(source);
    if (!compiled.ok) throw new Error(compiled.message);
    return new AsyncFunction(...Object.keys(inputs), compiled.body)(...Object.values(inputs));
  };

  it('jsCellBody(source) makes the last expression the value, keeps explicit returns and allows await', async () => {
    expect(await run('const rows = await Promise.resolve(data);\nrows.map((r) => r * 2) // doubled', { data: [1, 2] })).toEqual([2, 4]);
    expect(await run('if (n > 1) return "big";\n"small"', { n: 2 })).toBe('big');
    expect(await run('let x = n;', { n: 1 })).toBeUndefined();
    expect(jsCellBody('let = ;').ok).toBe(false);
  });
});
