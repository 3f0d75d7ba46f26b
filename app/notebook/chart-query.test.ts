import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChartSpec, type ChartSpec } from './cell-specs';
import { chartPlotCode, chartQuery } from './chart-query';

let connection: Awaited<ReturnType<DuckDBInstance['connect']>>;
let instance: DuckDBInstance;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await connection.run(`CREATE TABLE adult AS SELECT * FROM read_csv('${new URL('../../examples/tabular/data/adult.csv', import.meta.url).pathname}')`);
});

afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

const spec = (yaml: string): ChartSpec => {
  const parsed = parseChartSpec(yaml);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
};

async function rows(s: ChartSpec): Promise<Array<Record<string, unknown>>> {
  const reader = await connection.runAndReadAll(chartQuery(s, 'adult'));
  return reader.getRowObjectsJS();
}

describe('chartQuery over DuckDB (UCI Adult, 32,561 rows)', () => {
  it('chartQuery(bar, count) aggregates in SQL: one row per category, counts sum to the table', async () => {
    const out = await rows(spec('mark: bar\ntable: adult\nx: income'));
    expect(out).toEqual([{ income: '<=50K', count: 24720 }, { income: '>50K', count: 7841 }]);
  });

  it('chartQuery(bar, mean by color) groups by x and color', async () => {
    const out = await rows(spec('mark: bar\ntable: adult\nx: income\ny: age\ncolor: sex\naggregate: mean'));
    expect(out).toHaveLength(4);
    expect(Object.keys(out[0]!)).toEqual(['income', 'sex', 'mean(age)']);
  });

  it('chartQuery(histogram) bins x into 30 bins covering min..max whose counts sum to all non-null rows', async () => {
    const out = await rows(spec('mark: histogram\ntable: adult\nx: age'));
    expect(out).toHaveLength(30);
    expect(out[0]!['x1']).toBe(17);
    expect(out.at(-1)!['x2']).toBeCloseTo(90, 9);
    expect(out.reduce((a, r) => a + Number(r['count']), 0)).toBe(32561);
  });

  it('chartQuery(boxplot) gives quartiles per group within the whiskers', async () => {
    const out = await rows(spec('mark: boxplot\ntable: adult\nx: income\ny: hours_per_week'));
    expect(out.map((r) => r['income'])).toEqual(['<=50K', '>50K']);
    for (const r of out) expect(Number(r['lo'])).toBeLessThanOrEqual(Number(r['q1']));
    expect(out[1]!['median']).toBe(40);
  });

  it('chartQuery(dot) samples at most 10,000 rows reproducibly; rect counts x × y cells', async () => {
    const dots = spec('mark: dot\ntable: adult\nx: age\ny: hours_per_week\ncolor: income');
    const a = await rows(dots);
    expect(a).toHaveLength(10000);
    expect(await rows(dots)).toEqual(a);
    const cells = await rows(spec('mark: rect\ntable: adult\nx: race\ny: income'));
    expect(cells.reduce((s, r) => s + Number(r['count']), 0)).toBe(32561);
  });

  it('chartPlotCode(spec) names the columns chartQuery returns', () => {
    expect(chartPlotCode(spec('mark: bar\ntable: adult\nx: income\ny: age\naggregate: mean'))).toContain('Plot.barY(data, {x: "income", y: "mean(age)", fill: "#4f7fe0", tip: true})');
    expect(chartPlotCode(spec('mark: histogram\ntable: adult\nx: age'))).toContain('Plot.rectY(data, {x1: "x1", x2: "x2", y: "count", fill: "#4f7fe0", inset: 0.5, tip: true})');
  });
});
