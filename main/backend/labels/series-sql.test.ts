import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../app/data/engine';
import { samplesFromRanges } from '../../../app/labels/agreement';
import { parseNabTimestamp } from '../../../app/labels/nab';
import { rollingZScoreSuggestions } from '../../../app/labels/suggest';
import { NativeDatabase } from '../data/native-engine';
import { detectColumns, perSampleTableSql, resolveSeries, zscoreSuggestions } from './series-sql';

const root = join(import.meta.dirname, '../../../examples/timeseries');
const file = 'data/nyc_taxi.csv';
let db: NativeDatabase;
let engine: Engine;
const rows = readFileSync(join(root, file), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
const x = rows.map((r) => parseNabTimestamp(r[0]!));
const v = rows.map((r) => Number(r[1]));

beforeAll(async () => {
  db = await NativeDatabase.open();
  engine = await db.connect();
});
afterAll(async () => {
  await engine.close();
  db.close();
});

const resolvePath = (p: string) => join(root, p);

describe('series SQL', () => {
  it('detectColumns(nyc_taxi.csv) picks the timestamp as time and value as the channel', async () => {
    const series = await resolveSeries(engine, { file, timeColumn: 'timestamp', valueColumns: ['value'] }, resolvePath);
    expect(series.timeKind).toBe('timestamp');
    expect(await detectColumns(engine, series.relation)).toEqual({ timeColumn: 'timestamp', valueColumns: ['value'] });
  });

  it('zscoreSuggestions(nyc_taxi) in DuckDB proposes the same ranges as rollingZScoreSuggestions in TypeScript', async () => {
    const series = await resolveSeries(engine, { file, timeColumn: 'timestamp', valueColumns: ['value'] }, resolvePath);
    const options = { series: file, window: 24, threshold: 2.5, maxGap: 2, label: 'anomaly', sourceName: 'rolling-zscore' };
    const sql = await zscoreSuggestions(engine, series, { ...options, channel: 'value' });
    const ts = rollingZScoreSuggestions(x, v, options);
    expect(sql.length).toBeGreaterThan(5);
    expect(sql.map((s) => s.id)).toEqual(ts.map((s) => s.id));
    expect(sql.map((s) => s.proposal)).toEqual(ts.map((s) => s.proposal));
    sql.forEach((s, i) => expect(s.score).toBeCloseTo(ts[i]!.score, 6));
  });

  it('perSampleTableSql(series, ranges) labels each row like samplesFromRanges, later ranges winning', async () => {
    const series = await resolveSeries(engine, { file, timeColumn: 'timestamp', valueColumns: ['value'] }, resolvePath);
    const ranges = [
      { start: x[100]!, end: x[400]!, label: 'anomaly' },
      { start: x[300]!, end: x[350]!, label: 'maintenance' },
      { start: x[9000]!, end: x[9000]!, label: 'anomaly' },
    ];
    await engine.exec(perSampleTableSql(series, ranges, 'taxi_labels'));
    const table = await engine.query('SELECT label FROM taxi_labels');
    const got = table.getChild('label')!.toArray() as string[];
    expect(got).toEqual(samplesFromRanges(x, ranges));
    const cols = (await engine.query('DESCRIBE taxi_labels')).toArray().map((r) => String(r.toJSON()['column_name']));
    expect(cols).toEqual(['timestamp', 'value', 'label']);
  });
});
