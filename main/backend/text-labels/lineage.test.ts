import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../app/data/engine';
import { NativeDatabase } from '../data/native-engine';
import { markTableLabelSet, tableLabelSetVersions } from './lineage';

let db: NativeDatabase;
let engine: Engine;
beforeAll(async () => {
  db = await NativeDatabase.open();
  engine = await db.connect();
  await engine.exec(`CREATE TABLE labelled AS SELECT 'x' AS text, 'SPAM' AS label; CREATE TABLE "it's" AS SELECT 1 AS a; CREATE TABLE plain AS SELECT 1 AS a; COMMENT ON TABLE plain IS 'vajra-key:cache'`);
});
afterAll(async () => {
  await engine.close();
  db.close();
});

describe('text set lineage', () => {
  it('markTableLabelSet(engine, table, set, version) → tableLabelSetVersions(engine, datasets) cites it once; other tables and files cite nothing', async () => {
    await markTableLabelSet(engine, 'labelled', 'spam', 'sha256:aa');
    await markTableLabelSet(engine, "it's", 'o\'neil', 'sha256:bb');
    expect(await tableLabelSetVersions(engine, ['plain', 'data/spam.csv', 'labelled', "it's", 'labelled'])).toEqual(['spam@sha256:aa', "o'neil@sha256:bb"]);
    expect(await tableLabelSetVersions(engine, ['plain'])).toEqual([]);
    expect(await tableLabelSetVersions(engine, [])).toEqual([]);
  });

  it('a table rewritten (CREATE OR REPLACE) loses the mark until it is marked again', async () => {
    await engine.exec(`CREATE OR REPLACE TABLE labelled AS SELECT 'y' AS text, 'HAM' AS label`);
    expect(await tableLabelSetVersions(engine, ['labelled'])).toEqual([]);
    await markTableLabelSet(engine, 'labelled', 'spam', 'sha256:cc');
    expect(await tableLabelSetVersions(engine, ['labelled'])).toEqual(['spam@sha256:cc']);
  });
});
