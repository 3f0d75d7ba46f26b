import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPipelineOp } from '../../../app/pipeline/ops';
import { FAST_ADULT, openTestHost, type TestHost } from './pipeline.testkit';
import { trainPipeline } from './runner';

let host: TestHost;
beforeAll(async () => { host = await openTestHost(); });
afterAll(async () => { await host.close(); });

describe('trainPipeline(adult + Validate node)', () => {
  it('records the validation result, the suite copy and pass/fail metrics in the run', async () => {
    const suite = { format: 'vajra.expectations', version: 1, name: 'adult', expectations: [
      { kind: 'row_count', min: 1000, max: 100000, severity: 'error' },
      { kind: 'not_null', column: 'age', severity: 'error' },
      { kind: 'range', column: 'hours_per_week', min: 1, max: 99, severity: 'warn' },
    ] };
    await writeFile(join(host.root, 'adult.expectations.json'), `${JSON.stringify(suite, null, 2)}\n`);
    let doc = await host.pipeline('adult-income.pipeline.json');
    const split = doc.nodes.find((n) => n.kind === 'split')!;
    const edge = doc.edges.find((e) => e.to.node === split.id)!;
    doc = applyPipelineOp(doc, { type: 'addNode', node: { id: 'check', kind: 'validate', params: { suite: 'adult.expectations.json' }, position: { x: 0, y: 0 } } });
    doc = applyPipelineOp(doc, { type: 'disconnect', edgeId: edge.id });
    doc = applyPipelineOp(doc, { type: 'connect', edge: { id: 'e-check-in', from: edge.from, to: { node: 'check', port: 'data' } } });
    doc = applyPipelineOp(doc, { type: 'connect', edge: { id: 'e-check-out', from: { node: 'check', port: 'data' }, to: edge.to } });
    const result = await trainPipeline(host, { doc, path: 'adult-income.pipeline.json', overrides: FAST_ADULT, store: host.store });
    expect(result.execution.failed).toBeUndefined();
    const run = await host.store.getRun(result.runId!);
    const paths = run.artifacts.map((a) => a.path);
    expect(paths).toContain('validation/check/result.json');
    expect(paths).toContain('validation/check/adult.expectations.json');
    const metrics = await host.store.readMetrics(result.runId!);
    expect(metrics.some((p) => p.key.startsWith('validation.check.') && p.key.endsWith('passed'))).toBe(true);
  });
});
