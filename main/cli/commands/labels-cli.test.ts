import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeDatabase } from '../../backend/data/native-engine';
import { runCli } from '../main';

const nabDir = join(import.meta.dirname, '../../../../shared/data/nab');
let dir: string;
let root: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vajra-labels-cli-'));
  root = join(dir, 'ws');
  cpSync(join(import.meta.dirname, '../../../examples/timeseries'), root, { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { cwd: root, env: {}, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

function publishedScore(detector: string, profile: string, key: string): string[] {
  const rows = readFileSync(join(nabDir, `results/${detector}/${detector}_${profile}_scores.csv`), 'utf8').trim().split('\n').map((l) => l.split(','));
  return rows.find((r) => r[2] === key)!;
}

describe('vajra nab-score', () => {
  for (const [detector, profile] of [['numenta', 'standard'], ['numenta', 'reward_low_FN_rate'], ['windowedGaussian', 'reward_low_FP_rate']] as const) {
    it(`nab-score ${detector}_nyc_taxi.csv --profile ${profile} --json reproduces NAB's published score and counts`, async () => {
      const published = publishedScore(detector, profile, 'realKnownCause/nyc_taxi.csv');
      const threshold = published[3]!;
      const detections = join(nabDir, `results/${detector}/realKnownCause/${detector}_nyc_taxi.csv`);
      const r = await cli(['nab-score', detections, '--windows', join(nabDir, 'labels/combined_windows.json'), '--profile', profile, '--threshold', threshold, '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as Record<string, number | string>;
      expect(out.key).toBe('realKnownCause/nyc_taxi.csv');
      expect(out.score).toBeCloseTo(Number(published[4]), 6);
      expect([out.tp, out.tn, out.fp, out.fn]).toEqual(published.slice(5, 9).map(Number));
    });
  }

  it('nab-score without --windows is a usage error (exit 2)', async () => {
    expect((await cli(['nab-score', 'x.csv'])).code).toBe(2);
  });
});

describe('vajra labels', () => {
  it('labels import (NAB, creating the set), list, export csv/labelstudio/parquet round-trip the windows', async () => {
    const imported = await cli(['labels', 'import', 'nab/combined_windows.json', '--set', 'taxi', '--format', 'nab', '--series', 'data/nyc_taxi.csv']);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const list = await cli(['labels', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([{ name: 'machine_temperature_windows', kind: 'series', series: 'data/machine_temperature_system_failure.csv', labels: 4, suggestions: 0, seq: 4 }, { name: 'taxi', kind: 'series', series: 'data/nyc_taxi.csv', labels: 5, suggestions: 0, seq: 5 }]);
    expect((await cli(['labels', 'export', 'taxi', '--format', 'csv', '--out', 'taxi.csv'])).code).toBe(0);
    expect(readFileSync(join(root, 'taxi.csv'), 'utf8').trim().split('\n')).toHaveLength(6);
    expect((await cli(['labels', 'export', 'taxi', '--format', 'labelstudio', '--out', 'taxi.json'])).code).toBe(0);
    const tasks = JSON.parse(readFileSync(join(root, 'taxi.json'), 'utf8')) as Array<{ annotations: Array<{ result: unknown[] }> }>;
    expect(tasks[0]!.annotations[0]!.result).toHaveLength(5);
    expect((await cli(['labels', 'export', 'taxi', '--format', 'parquet', '--out', 'taxi.parquet'])).code).toBe(0);
    const db = await NativeDatabase.open();
    const engine = await db.connect();
    const t = await engine.query(`SELECT count(*)::INTEGER AS n, min(start) AS s FROM read_parquet('${join(root, 'taxi.parquet')}')`);
    expect(t.get(0)!.toJSON()).toEqual({ n: 5, s: Date.UTC(2014, 9, 30, 15, 30) });
    await engine.close();
    db.close();
    expect((await cli(['labels', 'import', 'taxi.json', '--set', 'taxi-ls', '--format', 'labelstudio', '--series', 'data/nyc_taxi.csv'])).code).toBe(0);
    const again = JSON.parse((await cli(['labels', 'list', '--json'])).stdout) as Array<{ name: string; labels: number }>;
    expect(again.find((s) => s.name === 'taxi-ls')!.labels).toBe(5);
    const agreement = await cli(['labels', 'agreement', 'taxi', 'taxi-ls', '--json']);
    expect(agreement.stderr).toBe('');
    expect(JSON.parse(agreement.stdout)).toMatchObject({ kind: 'series', iou: 1, kappa: 1, samples: 10320 });
  });
});
