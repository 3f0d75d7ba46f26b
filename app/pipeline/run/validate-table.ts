import { throwIfAborted } from '../../base/errors';
import type { CancelSignal } from '../../base/signal';
import { quoteIdent, quoteLiteral, type Engine } from '../../data/engine';
import type { ColumnTable } from '../steps/types';

/** Rows per INSERT statement: keeps each statement a few hundred KB. */
const CHUNK_ROWS = 2000;

function cellSql(column: ColumnTable['columns'][number], row: number): string {
  if (column.type === 'number') {
    const v = column.values[row]!;
    return Number.isFinite(v) ? String(v) : 'NULL';
  }
  return quoteLiteral(column.values[row] ?? '');
}

/**
 * Copies an in-memory table into a temporary DuckDB table `name` (DOUBLE for number columns,
 * VARCHAR for text; NaN becomes NULL), so that SQL expectations run on tables derived inside
 * the pipeline. The caller drops it.
 */
export async function materializeTable(engine: Engine, name: string, table: ColumnTable, signal?: CancelSignal): Promise<void> {
  const columns = table.columns.map((c) => `${quoteIdent(c.name)} ${c.type === 'number' ? 'DOUBLE' : 'VARCHAR'}`).join(', ');
  await engine.exec(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(name)} (${columns})`);
  for (let start = 0; start < table.rows; start += CHUNK_ROWS) {
    throwIfAborted(signal);
    const rows: string[] = [];
    for (let r = start; r < Math.min(table.rows, start + CHUNK_ROWS); r++) rows.push(`(${table.columns.map((c) => cellSql(c, r)).join(',')})`);
    await engine.exec(`INSERT INTO ${quoteIdent(name)} VALUES ${rows.join(',')}`);
  }
}
