// Issue 3: Vajra's query path end to end vs the bare native engine and vs duckdb-wasm.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeIpc, tableToIpc } from '../app/data/ipc';
import { NativeDatabase } from '../main/backend/data/native-engine';
import { timeIt, type BenchRow } from './types';
import { openWasmEngine } from '../app/data/wasm-node.testkit';

const ROWS = 10_000_000;
const GENERATE = `CREATE TABLE t AS SELECT range AS i, (hash(range) % 1000)::INTEGER AS g, (hash(range * 7) % 100000) / 100000.0 AS x FROM range(${ROWS})`;
const GROUP_BY = 'SELECT g, count(*) AS n, avg(x) AS mean FROM t GROUP BY g';
const ORDER_LIMIT = 'SELECT * FROM t ORDER BY x DESC, i LIMIT 100';

export async function benchData(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'vajra-bench-data-'));
  const parquet = join(dir, 't.parquet');
  const csv = join(dir, 't.csv');
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const bare = await instance.connect();
  await bare.run(GENERATE);
  await bare.run(`COPY t TO '${parquet}' (FORMAT parquet)`);
  await bare.run(`COPY t TO '${csv}' (FORMAT csv, HEADER)`);

  const db = await NativeDatabase.open();
  const engine = await db.connect();
  await engine.exec(GENERATE);
  const vajraPath = async (sql: string) => decodeIpc(tableToIpc(await engine.query(sql))).numRows;

  const wasm = await openWasmEngine();
  await wasm.exec(GENERATE);

  const rows: BenchRow[] = [];
  const cases: [string, string, boolean][] = [
    ['10M rows GROUP BY 1,000 groups', GROUP_BY, true],
    ['10M rows ORDER BY … LIMIT 100', ORDER_LIMIT, true],
    ['aggregate over Parquet file', `SELECT g, sum(x) FROM read_parquet('${parquet}') GROUP BY g`, false],
    ['aggregate over CSV file', `SELECT g, sum(x) FROM read_csv('${csv}') GROUP BY g`, true],
  ];
  for (const [name, sql, withWasm] of cases) {
    const bareMs = await timeIt(() => bare.runAndReadAll(sql), 5);
    const vajraMs = await timeIt(() => vajraPath(sql), 5);
    rows.push({ suite: 'data', case: `${name}: Vajra path (engine → Arrow IPC → decode)`, vajra: vajraMs, anchor: { name: 'native DuckDB (node-api)', value: bareMs }, unit: 'ms', target: '≤ 1.2× native', maxRatio: 1.2 });
    if (withWasm && !sql.includes('read_parquet')) {
      const wasmSql = sql.includes(csv) ? sql : sql;
      const wasmMs = await timeIt(() => wasm.query(wasmSql), 3);
      rows.push({ suite: 'data', case: `${name}: Vajra path vs duckdb-wasm`, vajra: vajraMs, anchor: { name: 'duckdb-wasm (blocking, Node)', value: wasmMs }, unit: 'ms' });
    }
  }
  await wasm.close();
  await engine.close();
  db.close();
  bare.closeSync();
  instance.closeSync();
  await rm(dir, { recursive: true, force: true });
  return rows;
}
