import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lfAnalysisCommand } from './lf-analysis';

const cwd = join(import.meta.dirname, '../../../examples/text');

async function cli(values: Record<string, string | boolean>, positionals: string[]) {
  let stdout = '', stderr = '';
  const code = await lfAnalysisCommand.run(values, positionals, { cwd, env: {}, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('vajra lf-analysis', () => {
  it('vajra lf-analysis spam.lfs.json DATA --gold CLASS prints one row per LF with empirical accuracy', async () => {
    const { code, stdout } = await cli({ gold: 'CLASS' }, ['spam.lfs.json', 'data/Youtube01-Psy.csv']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^LF\s+kind\s+polarity\s+coverage\s+overlaps\s+conflicts\s+correct\s+incorrect\s+emp\. acc\.$/);
    expect(stdout).toMatch(/regex_check_out\s+regex\s+SPAM\s+[\d.]+%/);
    expect(stdout).toMatch(/^350 rows · labelled by ≥1 LF/m);
  });

  it('--json gives per-LF figures and an m×m conflict matrix; a missing LFs file exits 3', async () => {
    const { code, stdout } = await cli({ json: true }, ['spam.lfs.json', 'data/Youtube01-Psy.csv']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as { lfs: Array<{ coverage: number; correct?: number }>; conflictMatrix: { values: number[] } };
    expect(json.lfs).toHaveLength(7);
    expect(json.lfs[0]!.correct).toBeUndefined();
    expect(json.conflictMatrix.values).toHaveLength(49);
    expect((await cli({}, ['missing.lfs.json', 'data/Youtube01-Psy.csv'])).code).toBe(3);
    await expect(cli({}, ['spam.lfs.json'])).rejects.toThrow(/LFS_FILE and DATA/);
  });
});
