import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../backend';
import { TABULAR_EXAMPLE } from '../pipeline/pipeline.testkit';
import { workspaceDatabase } from './data-service';
import { pipelineHandlers } from './pipeline-service';

let dir: string;
let backend: Backend;
const context = { signal: new AbortController().signal, progress: () => undefined };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vajra-describe-sql-'));
  backend = new Backend({ version: 'test', shape: 'browser', configDir: join(dir, 'config'), examplesDir: join(dir, 'examples'), userWorkspacesDir: join(dir, 'home') });
  await cp(TABULAR_EXAMPLE, join(dir, 'ws'), { recursive: true });
  await backend.openWorkspace(join(dir, 'ws'));
});
afterAll(async () => {
  await backend.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe("pipelineHandlers(backend)['pipeline.describeSql']", () => {
  it('lists a Source query\'s columns over the workspace datasets without a run; invalid SQL gives DuckDB\'s error', async () => {
    const h = pipelineHandlers(backend);
    const { columns } = await h['pipeline.describeSql']({ sql: 'SELECT age, workclass, hours_per_week * 2 AS h2 FROM adult WHERE false' }, context);
    expect(columns).toEqual([{ name: 'age', type: 'number' }, { name: 'workclass', type: 'string' }, { name: 'h2', type: 'number' }]);
    expect((await h['pipeline.status']({ path: 'adult-income.pipeline.json' }, context)).statuses).toEqual([]);
    await expect(h['pipeline.describeSql']({ sql: 'SELECT agee FROM adult' }, context)).rejects.toThrow(/^DuckDB cannot run this query: Binder Error: Referenced column "agee" not found/);
  });

  it('describes a query afresh once the datasets change (data.catalogChanged)', async () => {
    const h = pipelineHandlers(backend);
    const sql = 'SELECT * FROM people';
    const { engine } = await workspaceDatabase(backend);
    await engine.exec('CREATE OR REPLACE TABLE people AS SELECT 1 AS id');
    expect((await h['pipeline.describeSql']({ sql }, context)).columns).toEqual([{ name: 'id', type: 'number' }]);
    await engine.exec("CREATE OR REPLACE TABLE people AS SELECT 1 AS id, 'ann' AS name");
    expect((await h['pipeline.describeSql']({ sql }, context)).columns).toHaveLength(1);
    backend.events.emit('data.catalogChanged', { names: ['people'] });
    expect((await h['pipeline.describeSql']({ sql }, context)).columns).toEqual([{ name: 'id', type: 'number' }, { name: 'name', type: 'string' }]);
  });
});
