import { mkdtemp, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelSetVersion } from '../../../app/labels/log';
import type { LabelSetMeta } from '../../../app/protocol/methods/labels';
import { bundleFixture, lastAckedSeq, runUntilKilled } from '../fs/kill-loop.testkit';
import { LabelStore } from './label-store';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'vajra-labels-'));
  dirs.push(dir);
  return dir;
}

const meta: LabelSetMeta = {
  format: 1,
  id: 'ls-test',
  name: 'taxi',
  classes: [{ name: 'anomaly', color: '#e5534b', key: 1 }],
  target: { file: 'data/nyc_taxi.csv', timeColumn: 'timestamp', valueColumns: ['value'] },
  series: 'data/nyc_taxi.csv',
};
const add = (i: number) => ({ op: 'add' as const, label: { kind: 'range' as const, id: `r${i}`, series: 's', start: i, end: i + 1, label: 'anomaly' } });

let writerScript = '';
beforeAll(async () => {
  writerScript = await bundleFixture(join(import.meta.dirname, 'label-writer.fixture.ts'), await tempDir());
});

/** Runs the writer until `killAfterMs` after its first ack, SIGKILLs it, returns the last acked seq. */
async function writeUntilKilled(dir: string, killAfterMs: number): Promise<number> {
  return lastAckedSeq(await runUntilKilled(writerScript, [dir], killAfterMs));
}

describe('LabelStore', () => {
  it('LabelStore.open(dir) finds every acknowledged op after SIGKILLs mid-append and mid-compaction', { timeout: 60_000 }, async () => {
    const dir = join(await tempDir(), 'taxi');
    await LabelStore.create(dir, meta);
    let lastAck = 0;
    for (let round = 0; round < 12; round++) {
      const acked = await writeUntilKilled(dir, 5 + ((round * 13) % 40));
      expect(acked).toBeGreaterThan(lastAck);
      lastAck = acked;
      const store = await LabelStore.open(dir);
      expect(store.state.seq).toBeGreaterThanOrEqual(lastAck);
      for (let i = 1; i <= store.state.seq; i++) expect(store.state.labels[`r${i}`], `label r${i} of round ${round}`).toBeDefined();
    }
    expect(lastAck).toBeGreaterThan(50);
  });

  it('LabelStore.open(dir) drops a torn last line and appends cleanly after it', async () => {
    const dir = join(await tempDir(), 'taxi');
    const store = await LabelStore.create(dir, meta);
    await store.apply(add(1));
    await appendFile(join(dir, 'ops.ndjson'), '{"seq":2,"op":{"op":"add","label":{"kind":"ra');
    const reopened = await LabelStore.open(dir);
    expect(reopened.state.seq).toBe(1);
    await reopened.apply(add(2));
    const again = await LabelStore.open(dir);
    expect(Object.keys(again.state.labels).sort()).toEqual(['r1', 'r2']);
  });

  it('apply(op, baseSeq) recognises a retried op after a reopen and rejects a stale different one', async () => {
    const dir = join(await tempDir(), 'taxi');
    const store = await LabelStore.create(dir, meta, { snapshotEvery: 3 });
    for (let i = 1; i <= 4; i++) await store.apply(add(i), i - 1);
    const reopened = await LabelStore.open(dir, { snapshotEvery: 3 });
    expect(await reopened.apply(add(3), 2)).toEqual({ seq: 3, duplicate: true });
    expect(await reopened.apply(add(4), 3)).toEqual({ seq: 4, duplicate: true });
    await expect(reopened.apply(add(9), 2)).rejects.toThrow(/changed elsewhere/);
    expect(reopened.state.seq).toBe(4);
  });

  it('compaction keeps the state: a snapshot at 200 ops and a log holding only later ops replay to the same labels', async () => {
    const dir = join(await tempDir(), 'taxi');
    const store = await LabelStore.create(dir, meta);
    for (let i = 1; i <= 205; i++) await store.apply(add(i));
    const snapshot = JSON.parse(await readFile(join(dir, 'snapshot.json'), 'utf8')) as { state: { seq: number } };
    expect(snapshot.state.seq).toBe(200);
    const log = (await readFile(join(dir, 'ops.ndjson'), 'utf8')).trim().split('\n');
    expect(log.length).toBeLessThan(80);
    expect(JSON.parse(log.at(-1)!)).toMatchObject({ seq: 205 });
    const reopened = await LabelStore.open(dir);
    expect(reopened.state).toEqual(store.state);
  });

  it('saveVersion() records labelSetVersion(state) in versions.ndjson; markReviewed persists', async () => {
    const dir = join(await tempDir(), 'taxi');
    const store = await LabelStore.create(dir, meta);
    await store.apply(add(1));
    const saved = await store.saveVersion('first');
    expect(saved).toEqual({ version: labelSetVersion(store.state), seq: 1 });
    await store.markReviewed({ series: 's', start: 0, end: 10 });
    await writeFile(join(dir, 'reviewed.ndjson'), `${await readFile(join(dir, 'reviewed.ndjson'), 'utf8')}{"series":"s","sta`);
    const reopened = await LabelStore.open(dir);
    expect((await reopened.versions()).map((v) => [v.version, v.note])).toEqual([[saved.version, 'first']]);
    expect(reopened.reviewed).toEqual([{ series: 's', start: 0, end: 10 }]);
  });
});
