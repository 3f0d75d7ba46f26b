import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labelSetVersion } from '../../../app/labels/log';
import type { TextSetMeta } from '../../../app/protocol/methods/text-labels';
import { TextLabelStore } from '../text-labels/text-label-store';
import { LabelStore } from './label-store';
import { readVersions, recordVersion, VERSIONS_FILE } from './versions-file';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'vajra-versions-'));
  dirs.push(dir);
  return dir;
}

const textMeta: TextSetMeta = {
  format: 1, kind: 'text', id: 'ts-v', name: 'reviews', source: { file: 'data/reviews.csv' }, textColumn: 'text',
  classes: [{ name: 'POS', color: '#2f9e44', key: 1 }, { name: 'NEG', color: '#e03131', key: 2 }],
  docMode: 'single', spanClasses: [], tokenSnap: true, allowOverlap: false, retrainEvery: 5, model: 'logistic',
};

describe('versions-file', () => {
  it('recordVersion(dir, state, note, now) appends one line that readVersions(dir) returns; a torn last line is skipped', async () => {
    const dir = await tempDir();
    const store = await TextLabelStore.create(join(dir, 'reviews'), textMeta);
    await store.apply([{ op: 'add', label: { kind: 'doc', id: 'a', doc: 'row:0', labels: ['POS'] } }]);
    const saved = await recordVersion(store.dir, store.state, 'gold v1', () => 1_800_000_000_000);
    expect(saved).toEqual({ version: labelSetVersion(store.state), seq: 1 });
    await appendFile(join(store.dir, VERSIONS_FILE), '{"version":"sha256:ab","se');
    expect(await readVersions(store.dir)).toEqual([{ version: saved.version, seq: 1, savedAt: 1_800_000_000_000, note: 'gold v1' }]);
    expect(await readVersions(join(dir, 'missing'))).toEqual([]);
  });

  it('LabelStore and TextLabelStore both save through versions.ndjson in the same format', async () => {
    const dir = await tempDir();
    const series = await LabelStore.create(join(dir, 'taxi'), {
      format: 1, id: 'ls-v', name: 'taxi', classes: [{ name: 'anomaly', color: '#e5534b', key: 1 }],
      target: { file: 'data/nyc_taxi.csv', timeColumn: 'timestamp', valueColumns: ['value'] }, series: 'data/nyc_taxi.csv',
    });
    const text = await TextLabelStore.create(join(dir, 'reviews'), textMeta);
    await series.apply({ op: 'add', label: { kind: 'range', id: 'r1', series: 's', start: 1, end: 2, label: 'anomaly' } });
    await text.apply([{ op: 'add', label: { kind: 'doc', id: 'a', doc: 'row:0', labels: ['NEG'] } }]);
    const s = await series.saveVersion('series');
    const t = await text.saveVersion('text');
    expect(s.version).toBe(labelSetVersion(series.state));
    expect(t.version).toBe(labelSetVersion(text.state));
    expect((await readVersions(series.dir)).map((v) => [v.version, v.seq, v.note])).toEqual([[s.version, 1, 'series']]);
    expect((await readVersions(text.dir)).map((v) => [v.version, v.seq, v.note])).toEqual([[t.version, 1, 'text']]);
    expect(await series.versions()).toEqual(await readVersions(series.dir));
    expect(await text.versions()).toEqual(await readVersions(text.dir));
  });
});
