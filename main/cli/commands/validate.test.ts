import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../main';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const example = join(import.meta.dirname, '../../../examples/tabular');
let ws: string;

async function cli(argv: string[]) {
  let stdout = '', stderr = '';
  const code = await runCli(argv, { cwd: ws, env: { VAJRA_CONFIG_DIR: join(ws, '.config') }, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const suite = (expectations: unknown[]) => JSON.stringify({ format: 'vajra.expectations', version: 1, name: 'wine', expectations });

beforeAll(() => {
  ws = mkdtempSync(join(tmpdir(), 'vajra-validate-cli-'));
  cpSync(join(example, 'data'), join(ws, 'data'), { recursive: true });
  cpSync(join(example, 'vajra.json'), join(ws, 'vajra.json'));
});
afterAll(() => rmSync(ws, { recursive: true, force: true }));

describe('vajra validate / vajra drift', () => {
  it('vajra validate SUITE data/wine-quality.csv exits 0 when every expectation holds and 1 naming the failure otherwise', async () => {
    writeFileSync(join(ws, 'ok.expectations.json'), suite([
      { kind: 'row_count', min: 4898, max: 4898 }, { kind: 'range', column: 'alcohol', min: 8, max: 14.2 }, { kind: 'not_null', column: 'quality' },
    ]));
    const ok = await cli(['validate', 'ok.expectations.json', 'data/wine-quality.csv']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/passed: 3 passed, 0 failed/);
    writeFileSync(join(ws, 'bad.expectations.json'), suite([
      { kind: 'range', column: 'alcohol', max: 12 }, { kind: 'in_set', column: 'quality', values: [5, 6, 7], severity: 'warn' },
    ]));
    const bad = await cli(['validate', 'bad.expectations.json', 'data/wine-quality.csv', '--json', '--html', 'report.html']);
    expect(bad.code).toBe(1);
    const result = JSON.parse(bad.stdout) as { success: boolean; counts: { failed: number; warned: number }; results: { status: string; failingRows?: { count: number } }[] };
    expect(result.success).toBe(false);
    expect(result.counts).toMatchObject({ failed: 1, warned: 1 });
    // 12 < alcohol: counted by DuckDB over the whole file, not hard-coded here.
    expect(result.results[0]!.failingRows!.count).toBeGreaterThan(100);
    expect(readFileSync(join(ws, 'report.html'), 'utf8')).toContain('alcohol');
  });

  it('DATA may be a workspace table (the view over data/wine-quality.csv); --reference drives drift expectations', async () => {
    writeFileSync(join(ws, 'drift.expectations.json'), suite([{ kind: 'wasserstein', column: 'alcohol', max: 0.1 }]));
    const same = await cli(['validate', 'drift.expectations.json', 'wine_quality', '--reference', 'data/wine-quality.csv']);
    expect(same.stderr).toBe('');
    expect(same.code).toBe(0);
    const missing = await cli(['validate', 'nope.expectations.json', 'wine_quality']);
    expect(missing.code).toBe(3);
    expect((await cli(['validate', 'drift.expectations.json'])).code).toBe(2);
  });

  it('vajra drift CURRENT REFERENCE --json prints exactly the issue\'s keys: KS/Wasserstein for numeric, chi² for categorical', async () => {
    const shifted = join(ws, 'shifted.csv');
    writeFileSync(shifted, readFileSync(join(ws, 'data/wine-quality.csv'), 'utf8').split('\n').map((line, i) => {
      if (i === 0 || !line) return line;
      const cells = line.split(',');
      cells[10] = String(Number(cells[10]) + 1.5);
      return cells.join(',');
    }).join('\n'));
    const { code, stdout } = await cli(['drift', 'shifted.csv', 'wine_quality', '--columns', 'alcohol,pH', '--json']);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as { columns: Record<string, Record<string, number>> };
    expect(Object.keys(doc)).toEqual(['columns']);
    expect(Object.keys(doc.columns)).toEqual(['alcohol', 'pH']);
    expect(Object.keys(doc.columns['alcohol']!)).toEqual(['ks_statistic', 'ks_pvalue', 'wasserstein', 'psi', 'jensen_shannon']);
    expect(doc.columns['alcohol']!['wasserstein']).toBeCloseTo(1.5, 6);
    expect(doc.columns['alcohol']!['ks_pvalue']).toBeLessThan(1e-10);
    expect(doc.columns['pH']!['ks_statistic']).toBe(0);
    writeFileSync(join(ws, 'colors.json'), JSON.stringify([{ c: 'red' }, { c: 'red' }, { c: 'blue' }]));
    writeFileSync(join(ws, 'colors-ref.json'), JSON.stringify([{ c: 'red' }, { c: 'blue' }, { c: 'blue' }, { c: 'green' }]));
    const cat = await cli(['drift', 'colors.json', 'colors-ref.json', '--json']);
    expect(Object.keys((JSON.parse(cat.stdout) as { columns: Record<string, object> }).columns['c']!)).toEqual(['chi2_statistic', 'chi2_pvalue', 'psi', 'jensen_shannon']);
    const text = await cli(['drift', 'shifted.csv', 'wine_quality', '--columns', 'alcohol']);
    expect(text.stdout).toMatch(/^column\s+test\s+statistic/);
    expect(text.stdout).toMatch(/alcohol\s+KS\s+/);
  });
});
