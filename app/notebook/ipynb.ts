import { parse as parseYaml, stringify } from 'yaml';
import { z } from 'zod';
import { assertNever } from '../base/assert';
import { UserInputError } from '../base/errors';
import { deriveCellIds, type UnidentifiedCell } from './cell-ids';
import { languagePattern } from './validate';
import { cellNamePattern, type NotebookDoc, type NotebookCell } from './types';

const source = z.union([z.string(), z.array(z.string())]).transform((s) => (Array.isArray(s) ? s.join('') : s));
const vajraCell = z.object({
  kind: z.enum(['markdown', 'sql', 'js', 'chart', 'input', 'foreign']),
  name: z.string().regex(cellNamePattern).optional(),
  language: z.string().regex(languagePattern).optional(),
  options: z.record(z.string(), z.union([z.string(), z.literal(true)])).optional(),
});
const ipynbSchema = z.object({
  nbformat: z.literal(4),
  nbformat_minor: z.number().int().optional(),
  metadata: z.object({
    kernelspec: z.object({ name: z.string().optional(), display_name: z.string().optional(), language: z.string().optional() }).loose().optional(),
    language_info: z.object({ name: z.string().optional() }).loose().optional(),
    title: z.string().optional(),
    vajra: z.object({ frontMatter: z.string().optional() }).optional(),
  }).loose().optional(),
  cells: z.array(z.object({
    cell_type: z.enum(['markdown', 'code', 'raw']),
    source,
    metadata: z.object({ vajra: vajraCell.optional() }).loose().optional(),
  }).loose()),
});

/** Drops the source's leading and trailing blank lines (a Markdown cell never has them). */
function trimBlankLines(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/^(?:[ \t]*\n)+/, '').replace(/(?:\n[ \t]*)+$/, '').replace(/^[ \t]+$/, '');
}

function kernelLanguage(metadata: z.infer<typeof ipynbSchema>['metadata']): string {
  const raw = (metadata?.kernelspec?.language ?? metadata?.language_info?.name ?? 'python').toLowerCase();
  return languagePattern.test(raw) ? raw : 'text';
}

function codeCell(text: string, language: string): UnidentifiedCell {
  const body = text.replace(/\r\n?/g, '\n');
  const newline = body.indexOf('\n');
  const first = (newline < 0 ? body : body.slice(0, newline)).trim();
  const rest = newline < 0 ? '' : body.slice(newline + 1);
  if (/^%%sql\b/.test(first)) {
    const name = /^%%sql\s+([A-Za-z_][A-Za-z0-9_]*)\s*<</.exec(first)?.[1];
    return { kind: 'sql', name, options: {}, source: rest };
  }
  if (first === '%%javascript' || first === '%%js') return { kind: 'js', options: {}, source: rest };
  return { kind: 'foreign', language, options: {}, source: body };
}

/**
 * Reads a Jupyter notebook (nbformat 4, JSON text). Markdown cells stay Markdown; code cells of
 * the kernel's language become read-only foreign cells, except `%%sql` (jupysql; `%%sql name <<`
 * keeps the name) which becomes SQL and `%%javascript` which becomes JS; raw cells become foreign
 * `raw`. Outputs are dropped. Cells exported by Vajra (`metadata.vajra`) come back as they were.
 * The kernelspec goes to the front matter under `jupyter:` (as Jupytext does).
 */
export function importIpynb(json: string, options: { title?: string } = {}): NotebookDoc {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new UserInputError(`not a Jupyter notebook: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = ipynbSchema.safeParse(raw);
  if (!parsed.success) throw new UserInputError(`not an nbformat 4 notebook: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  const nb = parsed.data;
  const language = kernelLanguage(nb.metadata);
  const cells = nb.cells.map((cell): UnidentifiedCell => {
    const saved = cell.metadata?.vajra;
    if (saved) return { kind: saved.kind, name: saved.name, language: saved.language, options: saved.options ?? {}, source: saved.kind === 'markdown' ? trimBlankLines(cell.source) : stripMagic(cell.source, saved.kind) };
    if (cell.cell_type === 'markdown') return { kind: 'markdown', options: {}, source: trimBlankLines(cell.source) };
    if (cell.cell_type === 'raw') return { kind: 'foreign', language: 'raw', options: {}, source: cell.source.replace(/\r\n?/g, '\n') };
    return codeCell(cell.source, language);
  });
  const frontMatter = nb.metadata?.vajra ? nb.metadata.vajra.frontMatter : importedFrontMatter(rawKernelspec(raw), nb.metadata?.title, options.title);
  return frontMatter === undefined ? { cells: deriveCellIds(cells) } : { frontMatter, cells: deriveCellIds(cells) };
}

function stripMagic(text: string, kind: string): string {
  const body = text.replace(/\r\n?/g, '\n');
  if ((kind === 'sql' && /^%%sql\b/.test(body)) || (kind === 'js' && /^%%(javascript|js)\b/.test(body))) {
    const newline = body.indexOf('\n');
    return newline < 0 ? '' : body.slice(newline + 1);
  }
  return body;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The kernelspec as written (schema parsing would reorder its keys). */
function rawKernelspec(raw: unknown): Record<string, unknown> | undefined {
  const metadata = isRecord(raw) ? raw['metadata'] : undefined;
  const spec = isRecord(metadata) ? metadata['kernelspec'] : undefined;
  return isRecord(spec) ? spec : undefined;
}

function importedFrontMatter(kernelspec: Record<string, unknown> | undefined, savedTitle: string | undefined, title: string | undefined): string | undefined {
  const front: Record<string, unknown> = {};
  const heading = title ?? savedTitle;
  if (heading !== undefined) front['title'] = heading;
  if (kernelspec) front['jupyter'] = { kernelspec };
  return Object.keys(front).length === 0 ? undefined : stringify(front).replace(/\n$/, '');
}

/** Splits text into Jupyter's source form: lines keeping their `\n`, the last without one. */
function sourceLines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

function jupyterId(id: string, used: Set<string>): string {
  const base = id.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 56) || 'cell';
  let candidate = base;
  for (let n = 2; used.has(candidate); n++) candidate = `${base}-${n}`;
  used.add(candidate);
  return candidate;
}

function kernelspecOf(frontMatter: string | undefined): Record<string, unknown> {
  const fallback = { name: 'python3', display_name: 'Python 3', language: 'python' };
  if (frontMatter === undefined) return fallback;
  try {
    const meta: unknown = parseYaml(frontMatter);
    const spec = z.object({ jupyter: z.object({ kernelspec: z.record(z.string(), z.unknown()) }) }).safeParse(meta);
    return spec.success ? spec.data.jupyter.kernelspec : fallback;
  } catch {
    return fallback;
  }
}

function exportCell(cell: NotebookCell, id: string): Record<string, unknown> {
  const vajra = { kind: cell.kind, ...(cell.name !== undefined ? { name: cell.name } : {}), ...(cell.language !== undefined ? { language: cell.language } : {}), ...(Object.keys(cell.options).length > 0 ? { options: cell.options } : {}) };
  switch (cell.kind) {
    case 'markdown':
      return { cell_type: 'markdown', id, metadata: {}, source: sourceLines(cell.source) };
    case 'sql':
      return { cell_type: 'code', execution_count: null, id, metadata: { vajra }, outputs: [], source: sourceLines(`%%sql${cell.name !== undefined ? ` ${cell.name} <<` : ''}\n${cell.source}`) };
    case 'js':
      return { cell_type: 'code', execution_count: null, id, metadata: { vajra }, outputs: [], source: sourceLines(`%%javascript\n${cell.source}`) };
    case 'foreign':
      if (cell.language === 'raw') return { cell_type: 'raw', id, metadata: { vajra }, source: sourceLines(cell.source) };
      return { cell_type: 'code', execution_count: null, id, metadata: { vajra }, outputs: [], source: sourceLines(cell.source) };
    case 'chart':
    case 'input':
      return { cell_type: 'raw', id, metadata: { vajra }, source: sourceLines(cell.source) };
    default:
      return assertNever(cell.kind, 'cell kind');
  }
}

/**
 * Writes nbformat 4.5 JSON (1-space indent, as Jupyter does) with a valid unique `id` per cell
 * (from the Vajra id) and no outputs. SQL cells become `%%sql name <<` code cells, JS cells
 * `%%javascript`, foreign cells plain code, charts and inputs raw cells. `metadata.vajra` on each
 * cell and on the notebook keeps what Jupyter cannot say, so `importIpynb` gives the doc back.
 */
export function exportIpynb(doc: NotebookDoc): string {
  const kernelspec = kernelspecOf(doc.frontMatter);
  const used = new Set<string>();
  const notebook = {
    cells: doc.cells.map((cell) => exportCell(cell, jupyterId(cell.id, used))),
    metadata: {
      kernelspec,
      language_info: { name: typeof kernelspec['language'] === 'string' ? kernelspec['language'] : 'python' },
      vajra: doc.frontMatter === undefined ? {} : { frontMatter: doc.frontMatter },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(notebook, null, 1)}\n`;
}
