import { randomUUID } from 'node:crypto';
import { UserInputError } from '../../../app/base/errors';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { quoteLiteral } from '../../../app/data/engine';
import type { LabelSetMeta } from '../../../app/protocol/methods/labels';
import { LabelSetName } from '../../../app/protocol/methods/labels';
import { NativeDatabase } from '../../backend/data/native-engine';
import { asRanges, exportText, importOps, seriesLabels, type ImportFormat } from '../../backend/labels/label-io';
import { LabelStore } from '../../backend/labels/label-store';
import { detectColumns, relationOf } from '../../backend/labels/series-sql';
import { DEFAULT_CLASSES } from '../../backend/services/labels-service';
import { TextLabelStore } from '../../backend/text-labels/text-label-store';
import { Exit, UsageError, type CliContext, type Command, type ParsedValues } from '../command';
import { agreement } from './labels-agreement';
import { TEXT_EXPORT_FORMATS, exportTextSet, importConllSet, importIntoTextSet, importLabelStudioSet, setKind } from './labels-text';

const USAGE = [
  'vajra labels list [--json]',
  'vajra labels export SET --format csv|parquet|labelstudio|jsonl|nab|conll --out FILE',
  'vajra labels import FILE --set NAME --format conll|jsonl|labelstudio|nab|csv [--key KEY] [--series DATAFILE]',
  'vajra labels agreement SET_A SET_B [--json]',
].join('\n       ');

function workspaceRoot(values: ParsedValues, context: CliContext): string {
  const root = resolve(context.cwd, typeof values.workspace === 'string' ? values.workspace : '.');
  if (!existsSync(join(root, 'vajra.json'))) throw new UsageError(`${root} is not a Vajra workspace (no vajra.json); pass --workspace DIR.`);
  return root;
}

async function setNames(root: string): Promise<string[]> {
  const entries = await readdir(join(root, 'labels'), { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && setKind(join(root, 'labels', e.name)) !== undefined).map((e) => e.name).sort();
}

async function list(root: string, values: ParsedValues, context: CliContext): Promise<number> {
  const rows = [];
  for (const name of await setNames(root)) {
    const dir = join(root, 'labels', name);
    if (setKind(dir) === 'text') {
      const store = await TextLabelStore.open(dir);
      rows.push({ name, kind: 'text', source: store.meta.source.file ?? store.meta.source.table ?? '', labels: Object.keys(store.state.labels).length, seq: store.state.seq });
      continue;
    }
    const store = await LabelStore.open(dir);
    rows.push({ name, kind: 'series', series: store.meta.series, labels: seriesLabels(store.state).length, suggestions: Object.keys(store.state.suggestions).length, seq: store.state.seq });
  }
  if (values.json) context.stdout(`${JSON.stringify(rows, null, 2)}\n`);
  else if (rows.length === 0) context.stdout(`No label sets in ${root}.\n`);
  else context.stdout(rows.map((r) => `${r.name}\t${r.kind}\t${'series' in r ? r.series : r.source}\t${r.labels} labels${'suggestions' in r ? `\t${r.suggestions} suggestions` : ''}`).join('\n') + '\n');
  return Exit.ok;
}

async function writeParquet(store: LabelStore, out: string): Promise<void> {
  const db = await NativeDatabase.open();
  const engine = await db.connect();
  try {
    await engine.exec('CREATE TABLE r(id VARCHAR, series VARCHAR, start DOUBLE, "end" DOUBLE, label VARCHAR, note VARCHAR)');
    const ranges = asRanges(store.state);
    for (let i = 0; i < ranges.length; i += 500) {
      const rows = ranges.slice(i, i + 500).map((r) => `(${[r.id, r.series].map(quoteLiteral).join(', ')}, ${r.start}, ${r.end}, ${quoteLiteral(r.label)}, ${r.note === undefined ? 'NULL' : quoteLiteral(r.note)})`);
      await engine.exec(`INSERT INTO r VALUES ${rows.join(', ')}`);
    }
    await engine.exec(`COPY r TO ${quoteLiteral(out)} (FORMAT parquet)`);
  } finally {
    await engine.close();
    db.close();
  }
}

async function exportSet(root: string, values: ParsedValues, positionals: string[], context: CliContext): Promise<number> {
  const [name] = positionals;
  if (!name || positionals.length !== 1) throw new UsageError('labels export takes one SET');
  if (typeof values.out !== 'string') throw new UsageError('--out FILE is required');
  const format = String(values.format ?? 'csv');
  const dir = join(root, 'labels', name);
  const kind = setKind(dir);
  if (kind === undefined) throw new UsageError(`No label set "${name}" in ${root}.`);
  const out = resolve(context.cwd, values.out);
  if (kind === 'text') {
    const textFormat = TEXT_EXPORT_FORMATS.find((f) => f === format);
    if (!textFormat) throw new UsageError(`a text set exports as ${TEXT_EXPORT_FORMATS.join(', ')}, not ${format}`);
    const n = await exportTextSet(root, name, textFormat, out);
    context.stdout(`Wrote ${n} labels of ${name} to ${out}\n`);
    return Exit.ok;
  }
  if (!['csv', 'parquet', 'labelstudio', 'jsonl', 'nab'].includes(format)) throw new UsageError(`a time-series set exports as csv, parquet, labelstudio, jsonl or nab, not ${format}`);
  const store = await LabelStore.open(dir);
  if (format === 'parquet') await writeParquet(store, out);
  else await writeFile(out, exportText(store.state, store.meta, format === 'csv' || format === 'labelstudio' || format === 'jsonl' ? format : 'nab', typeof values.key === 'string' ? values.key : undefined));
  context.stdout(`Wrote ${seriesLabels(store.state).length} labels of ${name} to ${out}\n`);
  return Exit.ok;
}

async function createSet(root: string, name: string, file: string): Promise<LabelStore> {
  const db = await NativeDatabase.open(':memory:', { file_search_path: root });
  const engine = await db.connect();
  try {
    const columns = await detectColumns(engine, relationOf({ file, timeColumn: 't', valueColumns: ['v'] }, (p) => join(root, p)));
    const meta: LabelSetMeta = { format: 1, id: randomUUID(), name, classes: DEFAULT_CLASSES, target: { file, ...columns }, series: file };
    return await LabelStore.create(join(root, 'labels', name), meta);
  } finally {
    await engine.close();
    db.close();
  }
}

async function importText(root: string, name: string, format: string, text: string, context: CliContext): Promise<number> {
  if (format === 'conll') {
    const r = await importConllSet(root, name, text);
    context.stdout(`Created text set ${name}: ${r.documents} sentences, ${r.labels} spans (${r.scheme}).\n`);
    return Exit.ok;
  }
  const textFormat = format === 'jsonl' || format === 'labelstudio' || format === 'csv' ? format : undefined;
  if (!textFormat) throw new UsageError(`a text set imports conll, jsonl, labelstudio or csv, not ${format}`);
  if (setKind(join(root, 'labels', name)) === undefined && textFormat === 'labelstudio') {
    const r = await importLabelStudioSet(root, name, text);
    context.stdout(`Created text set ${name}: ${r.documents} documents, ${r.labels} labels.\n`);
    return Exit.ok;
  }
  if (setKind(join(root, 'labels', name)) !== 'text') throw new UsageError(`No text set "${name}": create it in the text panel first, or import a CoNLL or Label Studio file.`);
  const r = await importIntoTextSet(root, name, textFormat, text);
  context.stdout(`Imported ${r.added} labels into ${name} (${r.skipped} already there; now ${r.total}).\n`);
  return Exit.ok;
}

async function importSeries(root: string, name: string, format: string, text: string, values: ParsedValues, context: CliContext): Promise<number> {
  if (!['labelstudio', 'nab', 'csv'].includes(format)) throw new UsageError('a time-series set imports labelstudio, nab or csv');
  const dir = join(root, 'labels', name);
  let store: LabelStore;
  if (existsSync(join(dir, 'labelset.json'))) store = await LabelStore.open(dir);
  else if (typeof values.series === 'string') store = await createSet(root, name, values.series);
  else throw new UsageError(`No label set "${name}"; pass --series DATAFILE (workspace path) to create it.`);
  const ops = importOps(store.state, store.meta, format as ImportFormat, text, typeof values.key === 'string' ? values.key : undefined);
  for (const op of ops) await store.apply(op);
  await store.close();
  context.stdout(`Imported ${ops.length} edits into ${name} (now ${seriesLabels(store.state).length} labels).\n`);
  return Exit.ok;
}

async function importSet(root: string, values: ParsedValues, positionals: string[], context: CliContext): Promise<number> {
  const [file] = positionals;
  if (!file || positionals.length !== 1) throw new UsageError('labels import takes one FILE');
  const name = LabelSetName.safeParse(values.set);
  if (!name.success) throw new UsageError('--set NAME is required (letters, digits, space, _ . -)');
  const format = String(values.format ?? '');
  if (!['conll', 'jsonl', 'labelstudio', 'nab', 'csv'].includes(format)) throw new UsageError('--format must be conll, jsonl, labelstudio, nab or csv');
  const text = await readFile(resolve(context.cwd, file), 'utf8');
  const existing = setKind(join(root, 'labels', name.data));
  // An existing set decides; a new one is a series set only with --series (CoNLL and JSONL describe text).
  const isText = existing === 'text' || (existing === undefined && (format === 'conll' || format === 'jsonl' || typeof values.series !== 'string'));
  try {
    return isText ? await importText(root, name.data, format, text, context) : await importSeries(root, name.data, format, text, values, context);
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
    context.stderr(`vajra labels: ${file}: ${error.message}\n`);
    return Exit.failed;
  }
}

export const labelsCommand: Command = {
  name: 'labels',
  summary: 'List, export, import and compare label sets, time-series and text (labels/<name>/ in the workspace).',
  usage: USAGE,
  help: [
    '--workspace DIR   the workspace (default: the current folder)',
    '--format F        time-series sets: export csv (ranges: id,series,start,end,label,note), parquet (same',
    '                  columns), labelstudio, jsonl, nab (window JSON); import labelstudio, nab, csv.',
    '                  text sets: export conll (tags in the scheme the set was imported with), jsonl,',
    '                  labelstudio, csv/parquet (kind,id,doc,start,end,label,note); import jsonl, labelstudio,',
    '                  csv into an existing set; conll (a sentence is a document) or labelstudio (a task is',
    '                  a document) into a new set',
    '--out FILE        where export writes',
    '--set NAME        the label set import writes into',
    '--key KEY         NAB: the entry of the windows file (default: matched by file name)',
    '--series FILE     import: create the set for this data file when it does not exist',
    '--json            list / agreement as JSON',
    'Exit codes: 0 ok, 1 a malformed file (the message names the line; nothing is written), 2 usage, 3 error.',
  ].join('\n'),
  options: {
    workspace: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    set: { type: 'string' },
    key: { type: 'string' },
    series: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  allowPositionals: true,
  async run(values, positionals, context) {
    const [sub, ...rest] = positionals;
    const root = workspaceRoot(values, context);
    if (sub === 'list') return list(root, values, context);
    if (sub === 'export') return exportSet(root, values, rest, context);
    if (sub === 'import') return importSet(root, values, rest, context);
    if (sub === 'agreement') return agreement(root, values, rest, context);
    throw new UsageError(sub === undefined ? 'give a subcommand: list, export, import or agreement' : `unknown subcommand "${sub}"`);
  },
};

