import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sha256Hex, toBytes } from './bytes';
import { pythonFloat } from './mlflow-entities';
import { exportToMlflow, importFromMlflow, type VirtualFiles } from './mlflow-file';
import { runRecordSchema, type MetricPoint, type RunBundle } from './run-model';

function bundle(id: string, experiment: string, extra: Partial<RunBundle['record']> = {}): RunBundle {
  const record = runRecordSchema.parse({
    format: 1, id, experiment, name: `run ${id}`, status: 'finished', startTime: 1_700_000_000_000, endTime: 1_700_000_060_000,
    params: { 'model.depth': 6, 'optim.lr': 0.05, kind: 'gbdt', early: true, note: '6' }, tags: { team: 'vision', 'sweep/id': 's1' },
    artifacts: [{ path: 'model/model.onnx', size: 4, sha256: sha256Hex(Uint8Array.from([1, 2, 3, 4])), kind: 'model' }],
    repro: { datasets: [{ name: 'train.csv', fingerprint: 'abc123' }], seed: 42, codeSnapshots: [{ path: 'code/pipeline.json', kind: 'pipeline' }], versions: { vajra: '0.1.0' }, gitCommit: 'deadbeef' },
    lineage: { parentRunId: 'parent01', labelSetVersionIds: ['ls-1'] }, ...extra,
  });
  const metrics: MetricPoint[] = [
    { key: 'loss', value: 0.9, step: 0, timestamp: 1_700_000_001_000 }, { key: 'loss', value: 0.25, step: 1, timestamp: 1_700_000_002_000 },
    { key: 'val/auc', value: 1, step: 1, timestamp: 1_700_000_002_000 }, { key: 'tiny', value: 1.5e-7, step: 0, timestamp: 1_700_000_003_000 },
    { key: 'loss', value: Number.NaN, step: 2, timestamp: 1_700_000_004_000 },
  ];
  return { record, metrics, artifacts: new Map([['model/model.onnx', Uint8Array.from([1, 2, 3, 4])]]) };
}

/** One normalised text for all files: sorted paths, text as is, binaries by size and hash. */
function normalise(files: VirtualFiles): string {
  return [...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, data]) => {
    const body = typeof data === 'string' ? data : `<${data.length} bytes sha256 ${sha256Hex(data)}>\n`;
    return `=== ${path}\n${body}${body.endsWith('\n') ? '' : '\n'}`;
  }).join('');
}

function expectGolden(name: string, actual: string): void {
  const golden = new URL(`./__golden__/${name}.txt`, import.meta.url);
  const changed = new URL(`./__golden__/${name}.changed.txt`, import.meta.url);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, actual);
  const expected = existsSync(golden) ? readFileSync(golden, 'utf8') : '';
  if (expected !== actual) {
    writeFileSync(changed, actual);
    expect.fail(`${name} differs from its golden file; see ${changed.pathname} (UPDATE_GOLDEN=1 to accept)`);
  }
  rmSync(changed, { force: true });
}

const sortPoints = (points: MetricPoint[]) => [...points].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.step - b.step));

describe('MLflow file-store codec', () => {
  it('exportToMlflow(runs) writes the FileStore layout (golden)', () => {
    const files = exportToMlflow([bundle('run0001', 'churn'), bundle('run0002', 'Default', { status: 'killed', params: {} })], { rootUri: 'file:///data/mlruns' });
    expectGolden('mlflow-export', normalise(files));
  });

  it('importFromMlflow(exportToMlflow(runs)) gives back records, metrics and artifacts losslessly', () => {
    const original = [bundle('run0001', 'churn'), bundle('run0002', 'churn', { status: 'failed' })];
    const imported = importFromMlflow(exportToMlflow(original, { rootUri: 'file:///x' }));
    expect(imported.skipped).toEqual([]);
    expect(imported.bundles.map((b) => b.record)).toEqual(original.map((b) => b.record));
    imported.bundles.forEach((b, i) => {
      expect(sortPoints(b.metrics)).toEqual(sortPoints(original[i]!.metrics));
      expect([...b.artifacts!].map(([p, d]) => [p, [...toBytes(d)]])).toEqual([['model/model.onnx', [1, 2, 3, 4]]]);
    });
  });

  it('importFromMlflow(files) reads a run written by MLflow itself (int status, 2-field metric lines, nan, deleted runs)', () => {
    const files: VirtualFiles = new Map<string, string | Uint8Array>([
      ['mlruns/0/meta.yaml', "artifact_location: file:///home/u/mlruns/0\ncreation_time: 1672364273202\nexperiment_id: '0'\nlast_update_time: 1672364273202\nlifecycle_stage: active\nname: Default\n"],
      ['mlruns/0/73ed5776f5e04e23be739d46812cb6bd/meta.yaml', "artifact_uri: file:///home/u/mlruns/0/73ed5776f5e04e23be739d46812cb6bd/artifacts\nend_time: 1672364273335\nentry_point_name: ''\nexperiment_id: '0'\nlifecycle_stage: active\nrun_id: 73ed5776f5e04e23be739d46812cb6bd\nrun_name: beautiful-dog-902\nrun_uuid: 73ed5776f5e04e23be739d46812cb6bd\nsource_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: 1672364273319\nstatus: 4\ntags: []\nuser_id: wavet\n"],
      ['mlruns/0/73ed5776f5e04e23be739d46812cb6bd/params/alpha', '0.5'],
      ['mlruns/0/73ed5776f5e04e23be739d46812cb6bd/metrics/rmse', '1672364273330 0.7931 0\n1672364273331 nan 1\n1672364273332 0.5\n'],
      ['mlruns/0/73ed5776f5e04e23be739d46812cb6bd/tags/mlflow.user', 'wavet'],
      ['mlruns/0/73ed5776f5e04e23be739d46812cb6bd/tags/mlflow.runName', 'beautiful-dog-902'],
      ['mlruns/0/73ed5776f5e04e23be739d46812cb6bd/artifacts/model/MLmodel', 'flavors: {}\n'],
      ['mlruns/0/aaaa/meta.yaml', "experiment_id: '0'\nlifecycle_stage: deleted\nrun_id: aaaa\nstatus: 3\nstart_time: 1\n"],
    ]);
    const { bundles, skipped, experiments } = importFromMlflow(files);
    expect(experiments).toEqual([{ id: '0', name: 'Default', artifactLocation: 'file:///home/u/mlruns/0', lifecycleStage: 'active' }]);
    expect(skipped).toEqual([{ path: 'mlruns/0/aaaa/meta.yaml', reason: 'deleted run' }]);
    const [run] = bundles;
    expect(run!.record).toMatchObject({ id: '73ed5776f5e04e23be739d46812cb6bd', experiment: 'Default', name: 'beautiful-dog-902', status: 'failed', params: { alpha: '0.5' }, tags: { 'mlflow.user': 'wavet' }, endTime: 1672364273335 });
    expect(run!.record.artifacts).toEqual([{ path: 'model/MLmodel', size: 12, sha256: sha256Hex('flavors: {}\n'), kind: 'other' }]);
    expect(run!.metrics.map((m) => [m.step, m.value])).toEqual([[0, 0.7931], [1, Number.NaN], [0, 0.5]]);
  });

  it('pythonFloat(x) writes what Python repr writes', () => {
    // Reference strings are Python 3 repr() of the same doubles.
    const cases: [number, string][] = [[1, '1.0'], [0.1, '0.1'], [1e-5, '1e-05'], [1.5e-7, '1.5e-07'], [0.0001, '0.0001'], [123456789012345680, '1.2345678901234568e+17'], [1e16, '1e+16'], [9999999999999998, '9999999999999998.0'], [-2.5, '-2.5'], [Number.NaN, 'nan'], [-Infinity, '-inf'], [0, '0.0']];
    for (const [x, text] of cases) expect(pythonFloat(x)).toBe(text);
  });
});
