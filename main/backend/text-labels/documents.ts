import { readFile } from 'node:fs/promises';
import { UserInputError } from '../../../app/base/errors';
import type { Engine } from '../../../app/data/engine';
import { quoteIdent } from '../../../app/data/engine';
import { isDocStart, parseConll, sentenceToText } from '../../../app/labels/conll';
import { relationSql } from '../../../app/labels/text/lf-sql';
import type { TextSetMeta } from '../../../app/protocol/methods/text-labels';

/** The documents of a text set, in row order, loaded once per session. */
export interface Documents {
  readonly texts: string[];
  /** Document ids: the id column's value, else `row:<n>` (CoNLL: `s:<n>`, the sentence number). */
  readonly ids: string[];
  /** Raw gold values (the gold column) when the set has one. */
  readonly gold?: unknown[];
  /** Spans given by the file itself (CoNLL tags), per row. */
  readonly fileSpans?: Array<Array<{ start: number; end: number; label: string }>>;
  /** The DuckDB relation of the table (null for CoNLL files, which LFs do not run over). */
  readonly relation: string | null;
}

/** True when the set's documents come from a CoNLL token/tag file. */
export function isConll(meta: TextSetMeta): boolean {
  return meta.source.file !== undefined && /\.(conll|bio|iob)$/i.test(meta.source.file);
}

/** The sentences of a CoNLL file as documents (ids `s:<n>`), their tags as file spans. */
export async function conllDocuments(path: string): Promise<Documents> {
  const doc = parseConll(await readFile(path, 'utf8'));
  const texts: string[] = [];
  const ids: string[] = [];
  const fileSpans: Documents['fileSpans'] & object = [];
  doc.sentences.forEach((s, i) => {
    if (isDocStart(s)) return;
    const { text, spans } = sentenceToText(s);
    texts.push(text);
    ids.push(`s:${i}`);
    fileSpans.push(spans);
  });
  return { texts, ids, fileSpans, relation: null };
}

/** Loads every document's text (and id, gold) of the set; `resolve` maps a workspace path to disk. */
export async function loadDocuments(engine: Engine, meta: TextSetMeta, resolve: (path: string) => string): Promise<Documents> {
  if (isConll(meta)) return conllDocuments(resolve(meta.source.file!));
  const relation = relationSql(meta.source);
  const cols = [`coalesce(CAST(${quoteIdent(meta.textColumn)} AS VARCHAR), '') AS t`];
  if (meta.idColumn) cols.push(`CAST(${quoteIdent(meta.idColumn)} AS VARCHAR) AS id`);
  if (meta.goldColumn) cols.push(`${quoteIdent(meta.goldColumn)} AS gold`);
  const table = await engine.query(`SELECT ${cols.join(', ')} FROM (SELECT *, row_number() OVER () AS __r FROM ${relation}) ORDER BY __r`).catch((error: unknown) => {
    throw new UserInputError(`Cannot read the documents of "${meta.name}": ${error instanceof Error ? error.message : String(error)}`);
  });
  const n = table.numRows;
  const t = table.getChild('t')!;
  const id = meta.idColumn ? table.getChild('id') : null;
  const g = meta.goldColumn ? table.getChild('gold') : null;
  const texts = Array.from({ length: n }, (_, i) => String(t.get(i) ?? ''));
  const ids = Array.from({ length: n }, (_, i) => (id ? String(id.get(i) ?? `row:${i}`) : `row:${i}`));
  const seen = new Set<string>();
  ids.forEach((v, i) => {
    // Duplicate ids would merge two documents' labels: fall back to row numbers for those rows.
    if (seen.has(v)) ids[i] = `row:${i}`;
    seen.add(ids[i]!);
  });
  return {
    texts,
    ids,
    ...(g ? { gold: Array.from({ length: n }, (_, i) => { const v: unknown = g.get(i); return typeof v === 'bigint' ? Number(v) : v; }) } : {}),
    relation,
  };
}

/**
 * Whether two sets label the same documents: the same table or file, or two CoNLL files with the
 * same tokens (imports keep a token-only copy, so two imports of one corpus compare equal).
 */
export async function sameDocuments(a: TextSetMeta, b: TextSetMeta, resolve: (path: string) => string): Promise<boolean> {
  if (a.source.file === b.source.file && a.source.table === b.source.table) return true;
  if (!isConll(a) || !isConll(b)) return false;
  const [ta, tb] = await Promise.all([readFile(resolve(a.source.file!), 'utf8'), readFile(resolve(b.source.file!), 'utf8')]);
  const tokens = (t: string) => t.split('\n').map((l) => l.split(/[\t ]/)[0]).join('\n');
  return tokens(ta) === tokens(tb);
}
