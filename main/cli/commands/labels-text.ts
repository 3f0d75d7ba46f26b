import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserInputError } from '../../../app/base/errors';
import { quoteLiteral } from '../../../app/data/engine';
import { labelsFromJsonl, labelsToJsonl } from '../../../app/labels/formats';
import { fromLabelStudio, toLabelStudio, vajraDocKey, type LsTask } from '../../../app/labels/label-studio';
import { labelList, type DocLabel, type Label, type SpanLabel } from '../../../app/labels/model';
import { conllFromDocuments, conllFromTextSet, conllToTextSet, labelStudioToTextSet, textLabelsFromCsv, textLabelsToCsv } from '../../../app/labels/text/text-io';
import type { LabelClass } from '../../../app/protocol/methods/labels';
import type { TextSetMeta } from '../../../app/protocol/methods/text-labels';
import { NativeDatabase } from '../../backend/data/native-engine';
import { fsyncDir } from '../../backend/fs/atomic';
import { DATABASE_FILE } from '../../backend/services/data-service';
import { conllDocuments, isConll, loadDocuments, type Documents } from '../../backend/text-labels/documents';
import { TEXT_META_FILE, TextLabelStore } from '../../backend/text-labels/text-label-store';

/** Formats a text set can be exported to / imported from. */
export const TEXT_EXPORT_FORMATS = ['conll', 'jsonl', 'labelstudio', 'csv', 'parquet'] as const;
export const TEXT_IMPORT_FORMATS = ['conll', 'jsonl', 'labelstudio', 'csv'] as const;

/** Which store a set folder holds: text (`textset.json`), time series (`labelset.json`) or none. */
export function setKind(dir: string): 'text' | 'series' | undefined {
  if (existsSync(join(dir, TEXT_META_FILE))) return 'text';
  if (existsSync(join(dir, 'labelset.json'))) return 'series';
  return undefined;
}

/** The documents of a text set, read with a private DuckDB (the workspace's own file read-only for table sources). */
export async function textDocuments(root: string, meta: TextSetMeta): Promise<Documents> {
  const resolvePath = (p: string) => join(root, p);
  if (isConll(meta)) return conllDocuments(resolvePath(meta.source.file!));
  const options = { file_search_path: root };
  const db = meta.source.table !== undefined && existsSync(join(root, DATABASE_FILE)) ? await NativeDatabase.open(join(root, DATABASE_FILE), { ...options, access_mode: 'READ_ONLY' }) : await NativeDatabase.open(':memory:', options);
  const engine = await db.connect();
  try {
    return await loadDocuments(engine, meta, resolvePath);
  } finally {
    await engine.close();
    db.close();
  }
}

const PALETTE = ['#e8590c', '#1971c2', '#2f9e44', '#9c36b5', '#e03131', '#0c8599', '#f08c00', '#5c940d', '#862e9c'];

/** `existing` classes followed by `names` (keys and colours continue after them); a set holds at most 9. */
function spanClassesOf(names: readonly string[], existing: readonly LabelClass[] = []): LabelClass[] {
  const all = [...existing.map((c) => c.name), ...names];
  if (all.length > 9) throw new UserInputError(`${all.length} entity types (${all.join(', ')}); a text set holds at most 9.`);
  return [...existing, ...names.map((name, i) => ({ name, color: PALETTE[existing.length + i]!, key: existing.length + i + 1 }))];
}

/**
 * Writes a new text set: `labels/<name>/` with the meta, `sourceFile` (its documents) and every
 * label through the store's log. Built in a hidden sibling folder and renamed into place, so a
 * failure or a kill leaves no half-made set.
 */
async function createTextSet(root: string, meta: TextSetMeta, sourceFile: { name: string; content: string }, labels: ReadonlyArray<DocLabel | SpanLabel>): Promise<void> {
  if (existsSync(join(root, 'labels', meta.name))) throw new UserInputError(`A label set named "${meta.name}" already exists; this import creates a new set.`);
  await mkdir(join(root, 'labels'), { recursive: true });
  const staging = join(root, 'labels', `.import-${randomUUID()}`);
  try {
    const store = await TextLabelStore.create(staging, meta);
    await writeFile(join(staging, sourceFile.name), sourceFile.content);
    await store.apply(labels.map((label) => ({ op: 'add', label })));
    await store.close();
    await rename(staging, join(root, 'labels', meta.name));
    await fsyncDir(join(root, 'labels'));
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

function newMeta(name: string, source: string, fields: Pick<TextSetMeta, 'classes' | 'docMode' | 'spanClasses'> & Partial<TextSetMeta>): TextSetMeta {
  return { format: 1, kind: 'text', id: randomUUID(), name, source: { file: source }, textColumn: 'text', tokenSnap: true, allowOverlap: false, retrainEvery: 5, model: 'logistic', ...fields };
}

/** Creates text set `name` from a CoNLL file: `source.conll` holds the tokens (tags set to O), the store one span per entity. */
export async function importConllSet(root: string, name: string, text: string): Promise<{ documents: number; labels: number; scheme: string }> {
  const parsed = conllToTextSet(text);
  const meta = newMeta(name, `labels/${name}/source.conll`, { classes: [], docMode: 'none', spanClasses: spanClassesOf(parsed.spanClasses), tagScheme: parsed.scheme });
  await createTextSet(root, meta, { name: 'source.conll', content: parsed.source }, parsed.labels);
  return { documents: parsed.documents, labels: parsed.labels.length, scheme: parsed.scheme };
}

/** Creates text set `name` from a Label Studio export: `documents.jsonl` holds each task's id and text, the store its annotations. */
export async function importLabelStudioSet(root: string, name: string, text: string): Promise<{ documents: number; labels: number }> {
  const tasks = parseJson(text, 'Label Studio');
  if (!Array.isArray(tasks)) throw new UserInputError('Label Studio JSON must be an array of tasks.');
  const parsed = labelStudioToTextSet(tasks as LsTask[]);
  if (parsed.classes.length > 9) throw new UserInputError(`${parsed.classes.length} document classes (${parsed.classes.join(', ')}); a text set holds at most 9.`);
  const classes = parsed.classes.map((c, i) => ({ name: c, color: PALETTE[i]!, key: i + 1 }));
  const docMode = parsed.multi ? 'multi' : classes.length > 0 ? 'single' : 'none';
  const meta = newMeta(name, `labels/${name}/documents.jsonl`, { idColumn: 'id', classes, docMode, spanClasses: spanClassesOf(parsed.spanClasses, []) });
  const content = parsed.docs.map((d) => JSON.stringify(d)).join('\n') + '\n';
  await createTextSet(root, meta, { name: 'documents.jsonl', content }, parsed.labels);
  return { documents: parsed.docs.length, labels: parsed.labels.length };
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserInputError(`Not valid ${what} JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Labels of a file in `format`, keyed to the set's documents (Label Studio tasks without `data.doc` match by text). */
function labelsOfFile(format: 'jsonl' | 'labelstudio' | 'csv', text: string, docs: Documents): Array<DocLabel | SpanLabel> {
  let labels: Label[];
  if (format === 'jsonl') labels = labelsFromJsonl(text);
  else if (format === 'csv') labels = textLabelsFromCsv(text);
  else {
    const tasks = parseJson(text, 'Label Studio');
    if (!Array.isArray(tasks)) throw new UserInputError('Label Studio JSON must be an array of tasks.');
    const byText = new Map(docs.texts.map((t, i) => [t, docs.ids[i]!]));
    labels = fromLabelStudio(tasks as LsTask[], (task, i) => (typeof task.data.doc === 'string' ? vajraDocKey(task, i) : byText.get(String(task.data.text ?? '')) ?? vajraDocKey(task, i))).labels;
  }
  return labels.filter((l): l is DocLabel | SpanLabel => l.kind === 'doc' || l.kind === 'span');
}

/**
 * Adds the labels of a jsonl / labelstudio / csv file to an existing text set. Every label is
 * checked (its document exists, its span fits the text and a known class) before one batch is
 * written; labels whose id the set already has are skipped.
 */
export async function importIntoTextSet(root: string, name: string, format: 'jsonl' | 'labelstudio' | 'csv', text: string): Promise<{ added: number; skipped: number; total: number }> {
  const store = await TextLabelStore.open(join(root, 'labels', name));
  const docs = await textDocuments(root, store.meta);
  const rowOf = new Map(docs.ids.map((id, row) => [id, row]));
  const classes = new Set(store.meta.classes.map((c) => c.name));
  const all = labelsOfFile(format, text, docs);
  const fresh = all.filter((l) => !store.state.labels[l.id]);
  const ids = new Set<string>();
  for (const l of fresh) {
    if (ids.has(l.id)) throw new UserInputError(`Label id ${l.id} appears twice in the file.`);
    ids.add(l.id);
    const row = rowOf.get(l.doc);
    if (row === undefined) throw new UserInputError(`Label ${l.id}: no document "${l.doc}" in "${name}".`);
    if (l.kind === 'span' && l.end > docs.texts[row]!.length) throw new UserInputError(`Label ${l.id}: span ${l.start}–${l.end} runs past the end of document "${l.doc}".`);
    if (l.kind === 'doc' && l.labels.some((c) => !classes.has(c))) throw new UserInputError(`Label ${l.id}: class ${l.labels.join('|')} is not one of the set's classes.`);
  }
  // Span classes the file brings are added to the set (the panel needs a key and colour for each).
  const known = store.meta.spanClasses.map((c) => c.name);
  const added = [...new Set(fresh.flatMap((l) => (l.kind === 'span' && !known.includes(l.label) ? [l.label] : [])))];
  if (added.length > 0) await store.updateMeta({ ...store.meta, spanClasses: spanClassesOf(added, store.meta.spanClasses) });
  if (fresh.length > 0) await store.apply(fresh.map((label) => ({ op: 'add', label })));
  await store.close();
  return { added: fresh.length, skipped: all.length - fresh.length, total: Object.keys(store.state.labels).length };
}

async function writeParquet(labels: readonly Label[], out: string): Promise<void> {
  const db = await NativeDatabase.open();
  const engine = await db.connect();
  try {
    await engine.exec('CREATE TABLE t(kind VARCHAR, id VARCHAR, doc VARCHAR, start INTEGER, "end" INTEGER, label VARCHAR, note VARCHAR)');
    const rows = labels.flatMap((l) => {
      const note = l.note === undefined ? 'NULL' : quoteLiteral(l.note);
      if (l.kind === 'span') return [`('span', ${quoteLiteral(l.id)}, ${quoteLiteral(l.doc)}, ${l.start}, ${l.end}, ${quoteLiteral(l.label)}, ${note})`];
      if (l.kind === 'doc') return [`('doc', ${quoteLiteral(l.id)}, ${quoteLiteral(l.doc)}, NULL, NULL, ${quoteLiteral(l.labels.join('|'))}, ${note})`];
      return [];
    });
    for (let i = 0; i < rows.length; i += 500) await engine.exec(`INSERT INTO t VALUES ${rows.slice(i, i + 500).join(', ')}`);
    await engine.exec(`COPY t TO ${quoteLiteral(out)} (FORMAT parquet)`);
  } finally {
    await engine.close();
    db.close();
  }
}

/** Writes text set `name` to `out` in `format`; returns how many labels were written. */
export async function exportTextSet(root: string, name: string, format: (typeof TEXT_EXPORT_FORMATS)[number], out: string): Promise<number> {
  const store = await TextLabelStore.open(join(root, 'labels', name));
  const labels = labelList(store.state);
  const meta = store.meta;
  if (format === 'parquet') await writeParquet(labels, out);
  else if (format === 'csv') await writeFile(out, textLabelsToCsv(labels));
  else if (format === 'jsonl') await writeFile(out, labelsToJsonl(labels.filter((l) => l.kind === 'doc' || l.kind === 'span')));
  else {
    const docs = await textDocuments(root, meta);
    if (format === 'labelstudio') {
      const texts = Object.fromEntries(docs.ids.map((id, i) => [id, docs.texts[i]!]));
      await writeFile(out, `${JSON.stringify(toLabelStudio(labels, texts), null, 2)}\n`);
    } else if (isConll(meta)) await writeFile(out, conllFromTextSet(await readFile(join(root, meta.source.file!), 'utf8'), labels, meta.tagScheme ?? 'BIO'));
    else await writeFile(out, conllFromDocuments(docs.ids.map((id, i) => ({ id, text: docs.texts[i]! })), labels, meta.tagScheme ?? 'BIO'));
  }
  return labels.length;
}
