import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../main';

let dir: string;
let root: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vajra-run-cli-'));
  root = join(dir, 'tabular');
  await cp(new URL('../../../examples/tabular', import.meta.url).pathname, root, { recursive: true });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(args: string[]) {
  let stdout = '', stderr = '';
  const code = await runCli(args, { cwd: dir, env: { VAJRA_CONFIG_DIR: join(dir, 'config'), VAJRA_HOME: join(dir, 'home') }, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('vajra run', () => {
  it('vajra run census.notebook.md runs the example over data/adult.csv and exits 0', async () => {
    const { code, stdout } = await cli(['run', 'census.notebook.md', '--workspace', root]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/ok {4}people \(sql\) {2}32,561 rows × 15 columns/);
    expect(stdout).toMatch(/ok {4}by_education \(sql\) {2}16 rows/);
    expect(stdout).toContain('8 cells ran.');
  });

  it('vajra run exits 1 naming the failing cell and skips its dependents', async () => {
    await writeFile(join(root, 'bad.notebook.md'), '```sql name=a\nSELECT 1 AS x\n```\n\n```sql name=b\nSELECT y FROM a\n```\n\n```js name=c\nb.numRows\n```\n');
    const { code, stdout, stderr } = await cli(['run', join(root, 'bad.notebook.md'), '--workspace', root]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/FAIL {2}b \(sql\) line 1: Binder Error/);
    expect(stdout).toContain('skip  c (js)  upstream error in b');
    expect(stderr).toBe('vajra run: cell "b" failed.\n');
  });

  it('vajra run without a notebook, or with a --report that is not .html/.pdf, is a usage error', async () => {
    expect((await cli(['run'])).code).toBe(2);
    expect((await cli(['run', 'census.notebook.md', '--workspace', root, '--report', 'x.txt'])).code).toBe(2);
  });
});
