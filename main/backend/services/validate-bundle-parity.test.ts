import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../app/base/rng';
import { validateRows } from '../../../app/validate/row-validate';
import { parseSuite } from '../../../app/validate/suite';

interface BundleResult { kind: string; skipped?: string; failures?: number; failedRows?: number[] }
type BundleValidate = (suite: unknown, spec: { inputs: { name: string; tensorType: string }[] }, buffers: unknown[], n: number) => { success: boolean; results: BundleResult[] };

const bundleLib = pathToFileURL(join(import.meta.dirname, '../../../app/export/server-template/server/lib/expectations.js')).href;

const suite = parseSuite(JSON.stringify({
  format: 'vajra.expectations', version: 1, name: 'parity',
  expectations: [
    { kind: 'not_null', column: 'age' },
    { kind: 'range', column: 'age', min: 18, max: 90, strictMax: true },
    { kind: 'in_set', column: 'city', values: ['Oslo', 'Pune', 'Lima'], severity: 'warn' },
    { kind: 'length', column: 'city', min: 4, max: 4 },
    { kind: 'regex', column: 'city', pattern: '^[A-Z][a-z]+$' },
    { kind: 'column_pair', left: 'age', right: 'limit', op: 'le' },
    { kind: 'row_count', min: 1 },
  ],
}));

describe('bundle /validate vs app validateRows', () => {
  it('server lib validateRows(suite, spec, buffers, n) flags exactly the rows app/validate validateRows flags, per expectation', async () => {
    const { validateRows: bundleValidate } = (await import(bundleLib)) as { validateRows: BundleValidate };
    const rng = createRng(7);
    const cities = ['Oslo', 'Pune', 'Lima', 'oslo', 'Rome', 'Bergen', ''];
    const n = 400;
    const age = new Float64Array(n), limit = new Float64Array(n), city: string[] = [];
    for (let r = 0; r < n; r++) {
      age[r] = rng.next() < 0.05 ? Number.NaN : Math.floor(rng.next() * 100) + (rng.next() < 0.1 ? 0.5 : 0);
      limit[r] = Math.floor(rng.next() * 100);
      city.push(cities[Math.floor(rng.next() * cities.length)]!);
    }
    // The app side sees plain rows (null for missing); the bundle sees encoded tensors (NaN, '').
    const rows = Array.from({ length: n }, (_, r) => ({ age: Number.isNaN(age[r]) ? null : age[r], limit: limit[r], city: city[r] === '' ? null : city[r] }));
    const app = validateRows(suite, rows);
    const spec = { inputs: [{ name: 'age', tensorType: 'double' }, { name: 'limit', tensorType: 'double' }, { name: 'city', tensorType: 'string' }] };
    const bundle = bundleValidate(suite, spec, [age, limit, city], n);
    let compared = 0;
    suite.expectations.forEach((e, i) => {
      const fromBundle = bundle.results[i]!;
      if (fromBundle.skipped) {
        expect(e.kind).toBe('row_count');
        return;
      }
      const fromApp = app.rows.filter((row) => row.violations.some((v) => v.expectation === i)).map((row) => row.row);
      expect(fromBundle.failedRows, `${e.kind} ${JSON.stringify(e)}`).toEqual(fromApp.slice(0, 100));
      expect(fromBundle.failures).toBe(fromApp.length);
      expect(fromApp.length).toBeGreaterThan(0);
      compared++;
    });
    expect(compared).toBe(6);
    expect(bundle.success).toBe(app.valid);
  });
});
