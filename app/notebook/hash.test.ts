import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellCacheKey, computeCellKeys } from './cache-key';
import { parseNotebook } from './format';
import { buildGraph } from './graph';
import { sha256Hex, utf8 } from '../base/sha256';

describe('sha256Hex / cellCacheKey', () => {
  it('sha256Hex(text) matches node:crypto on the FIPS vectors and on random strings (lone surrogates too) and byte arrays', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 0x10ffff }), { maxLength: 300 }).map((cps) => String.fromCodePoint(...cps)), (s) => {
      expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
      expect(Buffer.from(utf8(s)).equals(Buffer.from(s, 'utf8'))).toBe(true);
    }), { numRuns: 300, seed: 7 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      expect(sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
    }), { numRuns: 100, seed: 8 });
  });

  it('cellCacheKey(cell, upstream, datasets) changes with source, options, upstream keys and fingerprints but not id or display options', () => {
    const cell = { id: '@t' as never, kind: 'sql' as const, name: 't', options: { limit: '5' }, source: 'SELECT 1' };
    const key = cellCacheKey(cell, { a: 'k1' }, { 'file:x.csv': 'f1' });
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(cellCacheKey({ ...cell, id: 'sql-9' as never, options: { limit: '5', fold: true, hide: 'code' } }, { a: 'k1' }, { 'file:x.csv': 'f1' })).toBe(key);
    expect(cellCacheKey({ ...cell, source: 'SELECT 2' }, { a: 'k1' }, { 'file:x.csv': 'f1' })).not.toBe(key);
    expect(cellCacheKey({ ...cell, options: { limit: '6' } }, { a: 'k1' }, { 'file:x.csv': 'f1' })).not.toBe(key);
    expect(cellCacheKey(cell, { a: 'k2' }, { 'file:x.csv': 'f1' })).not.toBe(key);
    expect(cellCacheKey(cell, { a: 'k1' }, { 'file:x.csv': 'f2' })).not.toBe(key);
  });

  it('computeCellKeys(doc, graph, fingerprints) follows data set fingerprints and withholds keys under graph errors', () => {
    const doc = parseNotebook("```sql name=a\nSELECT * FROM 'x.csv' JOIN trips USING (id)\n```\n\n```sql name=b\nSELECT * FROM a\n```\n\n```js name=c\nd\n```\n\n```js name=d\nc\n```\n");
    const graph = buildGraph(doc);
    const k1 = computeCellKeys(doc, graph, { 'x.csv': 'v1', trips: 't1' });
    const k2 = computeCellKeys(doc, graph, { 'x.csv': 'v2', trips: 't1' });
    expect(k1['@a' as never]).not.toBe(k2['@a' as never]);
    expect(k1['@b' as never]).not.toBe(k2['@b' as never]);
    expect(k1['@c' as never]).toBeUndefined();
    expect(computeCellKeys(doc, graph, { 'x.csv': 'v1', trips: 't1' })).toEqual(k1);
  });
});
