import { quoteIdent, quoteLiteral, type Engine } from '../../../app/data/engine';

/** Prefix of a table comment naming the label set version a table was written from. */
const PREFIX = 'vajra-labelset:';

/**
 * Records on `table` (a DuckDB table comment) that it was written from label set `name` at
 * content id `version`, so a run that trains on the table can cite the set. A comment, not a
 * column: a column would become a feature of every pipeline that reads the table with `*`.
 */
export async function markTableLabelSet(engine: Engine, table: string, name: string, version: string): Promise<void> {
  await engine.exec(`COMMENT ON TABLE ${quoteIdent(table)} IS ${quoteLiteral(`${PREFIX}${name}@${version}`)}`);
}

/**
 * The label set versions (`<set>@sha256:…`) recorded on those of `datasets` that are tables
 * written from a label set, in dataset order without repeats; files and unmarked tables add none.
 * For a run's `lineage.labelSetVersionIds`.
 */
export async function tableLabelSetVersions(engine: Engine, datasets: readonly string[]): Promise<string[]> {
  if (datasets.length === 0) return [];
  const names = datasets.map(quoteLiteral).join(', ');
  const rows = await engine.query(`SELECT table_name, comment FROM duckdb_tables() WHERE table_name IN (${names}) AND starts_with(comment, ${quoteLiteral(PREFIX)})`);
  const byTable = new Map<string, string>();
  for (const row of rows.toArray()) {
    const { table_name: table, comment } = row.toJSON();
    if (typeof table === 'string' && typeof comment === 'string') byTable.set(table, comment.slice(PREFIX.length));
  }
  const out: string[] = [];
  for (const d of datasets) {
    const id = byTable.get(d);
    if (id !== undefined && !out.includes(id)) out.push(id);
  }
  return out;
}
