import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TextSetMeta } from '../../../app/protocol/methods/text-labels';
import { bundleFixture, lastAckedSeq, runUntilKilled } from '../fs/kill-loop.testkit';
import { TextLabelStore } from './text-label-store';
import { textWriterOp } from './text-writer.testkit';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'vajra-text-labels-'));
  dirs.push(dir);
  return dir;
}

const meta: TextSetMeta = {
  format: 1,
  kind: 'text',
  id: 'ts-test',
  name: 'spam',
  source: { file: 'data/comments.csv' },
  textColumn: 'text',
  classes: [{ name: 'HAM', color: '#2f9e44', key: 1 }, { name: 'SPAM', color: '#e03131', key: 2 }],
  docMode: 'single',
  spanClasses: [{ name: 'PER', color: '#e8590c', key: 3 }],
  tokenSnap: true,
  allowOverlap: false,
  retrainEvery: 5,
  model: 'logistic',
};

let writerScript = '';
beforeAll(async () => {
  writerScript = await bundleFixture(join(import.meta.dirname, 'text-label-writer.fixture.ts'), await tempDir());
});

/** Every label the writer logs up to `seq` is in the store, with the kind and content its seq dictates. */
function expectLabelsUpTo(store: TextLabelStore, seq: number, round: number): void {
  for (let k = 1; k <= seq; k++) {
    const op = textWriterOp(k);
    expect(store.state.labels[`l${k}`], `label l${k} of round ${round}`).toEqual(op.op === 'add' ? op.label : undefined);
  }
}

describe('TextLabelStore', () => {
  it('TextLabelStore.open(dir) finds every acknowledged span and document class after SIGKILLs mid-append and mid-compaction', { timeout: 60_000 }, async () => {
    const dir = join(await tempDir(), 'spam');
    await TextLabelStore.create(dir, meta);
    let acked = 0;
    for (let round = 0; round < 12; round++) {
      const last = lastAckedSeq(await runUntilKilled(writerScript, [dir], 5 + ((round * 13) % 40)));
      expect(last).toBeGreaterThan(acked);
      acked = last;
      const store = await TextLabelStore.open(dir);
      expect(store.state.seq).toBeGreaterThanOrEqual(acked);
      expectLabelsUpTo(store, store.state.seq, round);
      expect(store.meta).toEqual(meta);
    }
    const kinds = new Set(Object.values((await TextLabelStore.open(dir)).state.labels).map((l) => l.kind));
    expect([...kinds].sort()).toEqual(['doc', 'span']);
    expect(acked).toBeGreaterThan(50);
  });

  it('TextLabelStore.open(dir) cuts a torn last line off the log and appends cleanly after it', async () => {
    const dir = join(await tempDir(), 'spam');
    const store = await TextLabelStore.create(dir, meta);
    await store.apply([textWriterOp(1), textWriterOp(2)]);
    await appendFile(join(dir, 'ops.ndjson'), '{"seq":3,"op":{"op":"add","label":{"kind":"sp');
    const reopened = await TextLabelStore.open(dir);
    expect(reopened.state.seq).toBe(2);
    expect((await readFile(join(dir, 'ops.ndjson'), 'utf8')).endsWith('}\n')).toBe(true);
    await reopened.apply([textWriterOp(3)]);
    expectLabelsUpTo(await TextLabelStore.open(dir), 3, 0);
  });

  it('apply(ops) writes nothing when one op of the batch does not fit', async () => {
    const dir = join(await tempDir(), 'spam');
    const store = await TextLabelStore.create(dir, meta);
    await store.apply([textWriterOp(1)]);
    await expect(store.apply([textWriterOp(2), textWriterOp(1)])).rejects.toThrow(/l1 already exists/);
    expect(store.state.seq).toBe(1);
    expect((await TextLabelStore.open(dir)).state.seq).toBe(1);
  });

  it('saveVersion(note) gives the same id for the same labels and a new one after an edit; versions() survive reopen', async () => {
    const dir = join(await tempDir(), 'spam');
    const store = await TextLabelStore.create(dir, meta);
    await store.apply([textWriterOp(1), textWriterOp(2)]);
    const first = await store.saveVersion('two labels');
    expect(first).toEqual({ version: store.version, seq: 2 });
    expect(first.version).toMatch(/^sha256:[0-9a-f]{64}$/);
    await store.apply([textWriterOp(3)]);
    const edited = await store.saveVersion();
    expect(edited.version).not.toBe(first.version);
    // Deleting the added span restores the content: the id depends on the labels, not on the history.
    await store.apply([{ op: 'delete', id: 'l3' }]);
    expect((await store.saveVersion('back')).version).toBe(first.version);
    await store.close();
    const reopened = await TextLabelStore.open(dir);
    expect(reopened.version).toBe(first.version);
    const saved = await reopened.versions();
    expect(saved.map((v) => [v.version, v.seq, v.note])).toEqual([[first.version, 2, 'two labels'], [edited.version, 3, undefined], [first.version, 4, 'back']]);
    expect(saved.every((v) => v.savedAt > 1.7e12)).toBe(true);
  });
});
