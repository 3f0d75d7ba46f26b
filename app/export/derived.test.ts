import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileFeatures, type InputColumn } from '../pipeline/compile';
import { derivedColumnsSql, windowColumns } from '../pipeline/steps/window-sql';
import { utf8Decode } from '../tracking/bytes';
import { buildBundle } from './bundle';
import { derivedServing } from './derived';
import type { BundleInput, ServingInput, ServingSpec } from './types';

const SOURCE = [{ name: 't', type: 'number' }, { name: 'shop', type: 'string' }, { name: 'my "y"', type: 'number' }, { name: 'label', type: 'string' }] as const;

/**
 * Derived columns as the pipeline runner records them: lags of a quoted number and of a text
 * target, a rolling mean (stage 0), and a rolling max of a lag (stage 1).
 */
function derivedColumns(): InputColumn[] {
  const part = { orderBy: 't', partitionBy: 'shop' };
  const stage0 = [
    ...windowColumns({ kind: 'lag', column: 'my "y"', lags: [1, 2], ...part }, SOURCE),
    ...windowColumns({ kind: 'lag', column: 'label', lags: [1], ...part }, SOURCE),
    ...windowColumns({ kind: 'rolling', column: 'my "y"', window: 3, fn: 'mean', ...part }, SOURCE),
  ];
  const stage1 = windowColumns({ kind: 'rolling', column: 'my "y"_lag1', window: 2, fn: 'max', orderBy: 't', partitionBy: '' }, [...SOURCE, ...stage0]);
  return [...stage0.map((d) => ({ name: d.name, type: d.type, derived: { sql: d.sql, stage: 0 } })), ...stage1.map((d) => ({ name: d.name, type: d.type, derived: { sql: d.sql, stage: 1 } }))];
}

/** Graph inputs: t and shop (raw), then the derived ones; the targets `my "y"` and label are not inputs. */
function graphInputs(): ServingInput[] {
  const columns: InputColumn[] = [{ name: 't', type: 'number' }, { name: 'shop', type: 'string' }, ...derivedColumns()];
  return columns.map((c) => ({ name: c.name, type: c.type === 'number' ? 'double' : 'string', tensorType: c.type === 'number' ? 'float32' : 'string', shape: [-1, 1], optional: false }));
}

function sql(): string {
  return derivedColumnsSql(derivedColumns().map((c) => ({ name: c.name, ...c.derived! })))!;
}

describe('derivedServing(sql, graphInputs)', () => {
  it('derivedServing(sql, graphInputs) finds the derived inputs, the raw columns to send (a lagged text target as text) and the window keys', () => {
    const d = derivedServing(sql(), graphInputs());
    expect(d.columns).toEqual(['my "y"_lag1', 'my "y"_lag2', 'label_lag1', 'my "y"_rollmean3', 'my "y"_lag1_rollmax2']);
    expect(d.inputs.map((i) => `${i.name}:${i.tensorType}:${i.optional}`)).toEqual(['t:float64:false', 'shop:string:false', 'my "y":float64:true', 'label:string:true']);
    expect([...d.sources].sort()).toEqual(['label', 'my "y"', 'shop', 't']);
    expect(d.order).toEqual(['shop', 't']);
  });

  it('derivedServing(sql, graphInputs) refuses SQL that derives none of the graph inputs', () => {
    expect(() => derivedServing(sql(), graphInputs().slice(0, 2))).toThrow(/none of its inputs come from it/);
  });
});

describe('buildBundle(input) for a model with lag/rolling inputs', () => {
  function bundleInput(): BundleInput {
    const derived = derivedColumns();
    const numeric = derived.filter((c) => c.type === 'number').map((c) => c.name);
    const columns: InputColumn[] = [{ name: 't', type: 'number' }, { name: 'shop', type: 'string' }, ...derived];
    return {
      runId: 'run-lag',
      modelBytes: compileFeatures({ pipelineId: 'lag', columns, steps: [{ kind: 'selectColumns', keep: numeric }] }),
      signature: {
        inputs: columns.map((c) => ({ name: c.name, type: c.type === 'number' ? 'double' : 'string' })),
        outputs: [{ name: 'features', type: 'float', shape: [-1, numeric.length] }],
      },
      inputExample: [{ t: 1, shop: 'a', 'my "y"': 2.5, label: 'up' }, { t: 2, shop: 'a', 'my "y"': null, label: null }],
      dataFingerprints: [],
      versions: { vajra: '0.1.0' },
      createdAtMs: 0,
    };
  }

  it('buildBundle(input) records the SQL in serving.json, makes the derived inputs optional, and describes only the raw columns to callers', () => {
    const files = buildBundle(bundleInput());
    const text = (path: string) => utf8Decode(files.get(path)!);
    const spec = JSON.parse(text('serving.json')) as ServingSpec;
    expect(spec.derived!.sql).toBe(sql());
    expect(spec.inputs.filter((i) => i.optional).map((i) => i.name)).toEqual(spec.derived!.columns);
    const raw = ['t', 'shop', 'my "y"', 'label'];
    const mlmodel = parse(text('MLmodel')) as { signature: { inputs: string } };
    expect(JSON.parse(mlmodel.signature.inputs)).toEqual([
      { type: 'double', name: 't', required: true }, { type: 'string', name: 'shop', required: true },
      { type: 'double', name: 'my "y"', required: false }, { type: 'string', name: 'label', required: false },
    ]);
    expect(JSON.parse(text('input_example.json'))).toEqual({ columns: raw, data: [[1, 'a', 2.5, 'up'], [2, 'a', null, null]] });
    const openapi = parse(text('openapi.yaml')) as { components: { schemas: { Row: { properties: object; required: string[] } } } };
    expect(Object.keys(openapi.components.schemas.Row.properties)).toEqual(raw);
    expect(openapi.components.schemas.Row.required).toEqual(['t', 'shop']);
    const readme = text('README.md');
    expect(readme).toContain('### Lag and rolling inputs');
    expect(readme).toContain('windows over `shop`, `t`');
    expect(readme).not.toMatch(/\| `my "y"_lag1` \|/);
    expect(text('Dockerfile')).not.toContain('--omit=optional');
  });
});
