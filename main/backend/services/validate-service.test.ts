import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { validateMethods } from '../../../app/protocol/methods/validate';
import { parseSuite } from '../../../app/validate/suite';
import { Backend } from '../backend';
import { dataHandlers } from './data-service';
import { validateHandlers } from './validate-service';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let dir: string;
let backend: Backend;
const context = { signal: new AbortController().signal, progress: () => undefined };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vajra-validate-service-'));
  await cp(join(import.meta.dirname, '../../../examples/tabular'), dir, { recursive: true });
  backend = new Backend({ version: 'test', shape: 'browser', configDir: join(dir, '.config'), examplesDir: join(dir, 'examples'), userWorkspacesDir: join(dir, 'home') });
  await backend.openWorkspace(dir);
});
afterAll(async () => {
  await backend.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('validateHandlers(backend)', () => {
  it('validate.suggest on wine_quality gives a suite the table passes; a view shifting alcohol fails its range with samples', async () => {
    const h = validateHandlers(backend);
    const { text } = await h['validate.suggest'](validateMethods['validate.suggest'].params.parse({ table: 'wine_quality', name: 'wine' }), context);
    const suite = parseSuite(text);
    expect(suite.expectations.some((e) => e.kind === 'range' && e.column === 'alcohol')).toBe(true);
    const ok = await h['validate.run']({ suite: text, table: 'wine_quality' }, context);
    expect(ok.success).toBe(true);
    await dataHandlers(backend)['data.createView']({ name: 'wine_drifted', sql: 'SELECT * REPLACE (alcohol + 3 AS alcohol) FROM wine_quality', replace: true }, context);
    const bad = await h['validate.run']({ suite: text, table: 'wine_drifted' }, context);
    expect(bad.success).toBe(false);
    const range = bad.results.find((r) => r.expectation.kind === 'range' && r.expectation.column === 'alcohol')!;
    expect(range.status).toBe('fail');
    expect(range.failingRows!.sample.length).toBeGreaterThan(0);
  });

  it('validate.drift reads workspace files in place, reports progress per column, stops when cancelled and refuses paths outside the workspace', async () => {
    const h = validateHandlers(backend);
    const steps: string[] = [];
    const { columns } = await h['validate.drift']({ current: 'data/wine-quality.csv', reference: 'wine_quality', columns: ['alcohol', 'pH', 'quality'] },
      { signal: new AbortController().signal, progress: (p) => steps.push(`${p.done}/${p.total}`) });
    expect(columns.map((c) => c.column)).toEqual(['alcohol', 'pH', 'quality']);
    expect(columns[0]).toMatchObject({ column: 'alcohol', kind: 'numeric', ks_statistic: 0, wasserstein: 0 });
    expect(steps.at(-1)).toBe('3/3');
    const aborted = new AbortController();
    aborted.abort();
    await expect(h['validate.drift']({ current: 'data/wine-quality.csv', reference: 'wine_quality' }, { signal: aborted.signal, progress: () => undefined })).rejects.toThrow(/cancel/i);
    expect(validateMethods['validate.drift'].params.safeParse({ current: '/etc/x.csv', reference: 'wine_quality' }).success).toBe(false);
    expect(validateMethods['validate.drift'].params.safeParse({ current: '../x.parquet', reference: 'wine_quality' }).success).toBe(false);
  });
});
