import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../backend';
import { tableLabelSetVersions } from '../text-labels/lineage';
import { workspaceDatabase } from './data-service';
import { pipelineHandlers } from './pipeline-service';
import { runsResource } from './runs-service';
import { textLabelsHandlers } from './text-labels-service';

let dir: string;
let root: string;
let backend: Backend;
let h: ReturnType<typeof textLabelsHandlers>;
const context = () => ({ signal: new AbortController().signal, progress: () => undefined });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vajra-text-labels-'));
  root = join(dir, 'ws');
  cpSync(join(import.meta.dirname, '../../../examples/text'), root, { recursive: true });
  backend = new Backend({ version: 'test', shape: 'browser', configDir: join(dir, 'config'), examplesDir: join(dir, 'examples'), userWorkspacesDir: join(dir, 'home') });
  await backend.openWorkspace(root);
  h = textLabelsHandlers(backend);
});
afterAll(async () => {
  await backend.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('textLabelsHandlers(backend) on the text example', () => {
  it('textLabels.apply labels durably; retrain fits in the worker and reorders the queue by uncertainty', async () => {
    const opened = await h['textLabels.open']({ name: 'spam' }, context());
    expect(opened.rows).toBe(1586);
    expect(opened.model).toMatchObject({ trainedOn: 0, curve: [] });
    const before = await h['textLabels.queue']({ name: 'spam', strategy: 'leastConfident', limit: 10 }, context());
    expect(before.entries.map((e) => e.row)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const all = (await h['textLabels.docs']({ name: 'spam', rows: Array.from({ length: 60 }, (_, i) => i) }, context())).docs;
    const docs = [...all.filter((d) => d.gold === 'HAM').slice(0, 3), ...all.filter((d) => d.gold === 'SPAM').slice(0, 3)];
    const ops = docs.map((d, i) => ({ op: 'add' as const, label: { kind: 'doc' as const, id: `l${i}`, doc: d.doc, labels: [d.gold!] } }));
    const applied = await h['textLabels.apply']({ name: 'spam', ops, baseSeq: 0 }, context());
    expect(applied.seq).toBe(6);
    expect(readFileSync(join(root, 'labels/spam/ops.ndjson'), 'utf8').trim().split('\n')).toHaveLength(6);
    const info = await h['textLabels.retrain']({ name: 'spam' }, context());
    expect(info.error).toBeUndefined();
    expect(info.trainedOn).toBe(6);
    expect(info.curve[0]).toMatchObject({ labels: 6, on: 'gold' });
    const after = await h['textLabels.queue']({ name: 'spam', strategy: 'entropy', limit: 10 }, context());
    expect(after.trainedOn).toBe(6);
    expect(after.entries.map((e) => e.row)).not.toEqual(before.entries.map((e) => e.row));
    expect(after.entries.every((e, i) => i === 0 || e.score <= after.entries[i - 1]!.score)).toBe(true);
    expect(after.entries.some((e) => docs.some((d) => d.row === e.row))).toBe(false);
    const withPred = (await h['textLabels.docs']({ name: 'spam', rows: [10] }, context())).docs[0]!;
    expect(withPred.predictions[0]).toMatchObject({ source: 'model' });
  }, 60_000);

  it('textLabels.agreement(a, b) gives the document kappa of two annotators of the same table (hand-computed 2/3)', async () => {
    const a = (await h['textLabels.open']({ name: 'spam' }, context())).labels.filter((l) => l.kind === 'doc');
    expect(a.map((l) => l.kind === 'doc' && l.labels[0])).toEqual(['HAM', 'HAM', 'HAM', 'SPAM', 'SPAM', 'SPAM']);
    const meta = (await h['textLabels.open']({ name: 'spam' }, context())).meta;
    await h['textLabels.create']({ name: 'spam-b', source: meta.source, textColumn: meta.textColumn, idColumn: meta.idColumn, classes: meta.classes }, context());
    // Annotator B calls the first HAM document SPAM: p_o = 5/6, p_e = ½·⅓ + ½·⅔ = ½ → κ = (5/6 − ½)/(½) = 2/3.
    const ops = a.map((l, i) => ({ op: 'add' as const, label: { ...l, id: `b${i}`, labels: i === 0 ? ['SPAM'] : l.kind === 'doc' ? l.labels : [] } }));
    await h['textLabels.apply']({ name: 'spam-b', ops }, context());
    const r = await h['textLabels.agreement']({ a: 'spam', b: 'spam-b' }, context());
    expect(r.documents).toBe(6);
    expect(r.kappa).toBeCloseTo(2 / 3, 12);
    expect(r.exact).toMatchObject({ tp: 0, fp: 0, fn: 0, f1: 1 });
  });

  it('textLabels.saveLfs + analyze + labelModel: coverage from DuckDB, gold accuracy, a training table without abstains', async () => {
    const { lfs } = await h['textLabels.lfs']({ name: 'spam' }, context());
    expect(lfs).toHaveLength(7);
    await h['textLabels.saveLfs']({ name: 'spam', lfs: [...lfs, { name: 'sql_channel', kind: 'sql', where: "CONTENT ILIKE '%channel%'", label: 'SPAM' }] }, context());
    expect(readFileSync(join(root, 'spam.lfs.json'), 'utf8')).toContain('sql_channel');
    const a = await h['textLabels.analyze']({ name: 'spam' }, context());
    expect(a.rows).toBe(1586);
    const channel = a.lfs.find((l) => l.name === 'sql_channel')!;
    expect(channel.coverage).toBeGreaterThan(0.05);
    expect(channel.empiricalAccuracy).toBeGreaterThan(0.9);
    expect(a.conflictMatrix).toHaveLength(64);
    const lm = await h['textLabels.labelModel']({ name: 'spam' }, context());
    expect(lm.kept).toBeLessThan(1586);
    expect(lm.labelModelAccuracy).toBeGreaterThan(0.8);
    expect(lm.analysis.lfs[0]!.learnedAccuracy).toBeGreaterThan(0.5);
    const { engine } = await workspaceDatabase(backend);
    const t = await engine.query(`SELECT count(*)::INT AS n, count(label)::INT AS l, min(confidence) AS c FROM ${lm.table}`);
    expect(t.get(0)!.toJSON()).toMatchObject({ n: lm.kept, l: lm.kept });
    const docs = (await h['textLabels.docs']({ name: 'spam', rows: [20] }, context())).docs[0]!;
    expect(docs.predictions.map((p) => p.source)).toContain('model');
    // Lineage: the table names the set version it was written at, saved in the set's versions.
    const versions = await h['textLabels.versions']({ name: 'spam' }, context());
    expect(lm.labelSetVersion).toBe(versions.current);
    expect(versions.items.at(-1)).toMatchObject({ version: lm.labelSetVersion, note: `label model table ${lm.table}` });
    expect(await tableLabelSetVersions(engine, [lm.table, 'data/Youtube01-Psy.csv', 'no_such_table'])).toEqual([`spam@${lm.labelSetVersion}`]);
    const again = await h['textLabels.labelModel']({ name: 'spam' }, context());
    expect(again.labelSetVersion).toBe(lm.labelSetVersion);
    expect((await h['textLabels.versions']({ name: 'spam' }, context())).items).toHaveLength(versions.items.length);
  }, 60_000);

  it('the example end model trains on the label model table; its run cites the label set version', async () => {
    const lm = await h['textLabels.labelModel']({ name: 'spam' }, context());
    const run = await pipelineHandlers(backend)['pipeline.run']({ path: 'spam-end-model.pipeline.json', target: { mode: 'all' }, set: {} }, context());
    expect(run.statuses.find((s) => s.nodeId === run.failedNode) ?? null).toBeNull();
    expect(run.metrics['accuracy']).toBeGreaterThan(0.85);
    const { store } = await runsResource(backend);
    const record = await store.getRun(run.runId as Parameters<typeof store.getRun>[0]);
    expect(record.lineage.labelSetVersionIds).toEqual([`spam@${lm.labelSetVersion}`]);
  }, 120_000);

  it('textLabels.saveVersion(name, note) → textLabels.versions: the saved id is the current one until an edit changes it', async () => {
    const saved = await h['textLabels.saveVersion']({ name: 'spam-b', note: 'annotator B, round 1' }, context());
    const listed = await h['textLabels.versions']({ name: 'spam-b' }, context());
    expect(listed.current).toBe(saved.version);
    expect(listed.items.at(-1)).toMatchObject({ version: saved.version, seq: saved.seq, note: 'annotator B, round 1' });
    expect(readFileSync(join(root, 'labels/spam-b/versions.ndjson'), 'utf8')).toContain(saved.version);
    const { labels } = await h['textLabels.open']({ name: 'spam-b' }, context());
    const { seq } = await h['textLabels.apply']({ name: 'spam-b', ops: [{ op: 'delete', id: labels[0]!.id }] }, context());
    const after = await h['textLabels.versions']({ name: 'spam-b' }, context());
    expect(after.current).not.toBe(saved.version);
    expect(after.items).toHaveLength(listed.items.length);
    expect((await h['textLabels.saveVersion']({ name: 'spam-b' }, context())).seq).toBe(seq);
  });

  it('a CoNLL set opens sentences as documents with the file’s entity spans; spans are stored', async () => {
    const opened = await h['textLabels.open']({ name: 'wikigold' }, context());
    expect(opened.rows).toBeGreaterThan(1500);
    expect(opened.model).toBeNull();
    const doc = (await h['textLabels.docs']({ name: 'wikigold', rows: [0] }, context())).docs[0]!;
    expect(doc.fileSpans!.length).toBeGreaterThan(0);
    const s = doc.fileSpans![0]!;
    await h['textLabels.apply']({ name: 'wikigold', ops: [{ op: 'add', label: { kind: 'span', id: 'x', doc: doc.doc, start: s.start, end: s.end, label: s.label } }] }, context());
    expect((await h['textLabels.open']({ name: 'wikigold' }, context())).labels).toHaveLength(1);
  });
});
