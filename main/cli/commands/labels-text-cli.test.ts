import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../backend/backend';
import { textLabelsHandlers } from '../../backend/services/text-labels-service';
import { NativeDatabase } from '../../backend/data/native-engine';
import { TextLabelStore } from '../../backend/text-labels/text-label-store';
import { runCli } from '../main';

const ner = join(import.meta.dirname, '../../../../shared/data/ner');
let dir: string;
let root: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vajra-labels-text-cli-'));
  root = join(dir, 'ws');
  cpSync(join(import.meta.dirname, '../../../examples/text'), root, { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { cwd: root, env: {}, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const setFolders = () => readdirSync(join(root, 'labels')).sort();

describe('vajra labels on text sets', () => {
  for (const [set, file, scheme, sentences] of [['wikigold-io', 'wikigold/wikigold.conll.txt', 'IO', 1696], ['wnut-dev', 'wnut17/emerging.dev.conll', 'BIO', 1009]] as const) {
    it(`labels import ${file} --format conll, then export --format conll gives the file back byte for byte (${scheme})`, async () => {
      const source = join(ner, file);
      const imported = await cli(['labels', 'import', source, '--set', set, '--format', 'conll']);
      expect(imported.stderr).toBe('');
      expect(imported.code).toBe(0);
      expect(imported.stdout).toContain(`${sentences} sentences`);
      expect(imported.stdout).toContain(`(${scheme})`);
      // The labels live in the durable store, not in the copied tokens (their tags are all O).
      expect(readFileSync(join(root, 'labels', set, 'source.conll'), 'utf8')).not.toMatch(/\t[BI]-|\s[BI]-\w+$/m);
      const spans = Number(/(\d+) spans/.exec(imported.stdout)![1]);
      expect(spans).toBeGreaterThan(500);
      expect(Object.keys((await TextLabelStore.open(join(root, 'labels', set))).state.labels)).toHaveLength(spans);
      const out = join(dir, `${set}.conll`);
      expect((await cli(['labels', 'export', set, '--format', 'conll', '--out', out])).code).toBe(0);
      const original = readFileSync(source, 'utf8').split('\n');
      const exported = readFileSync(out, 'utf8').split('\n');
      expect(exported.length).toBe(original.length);
      for (let i = 0; i < original.length; i++) if (exported[i] !== original[i]) expect(`line ${i + 1}: ${exported[i]}`).toBe(`line ${i + 1}: ${original[i]}`);
    });
  }

  it('a CoNLL-imported set opens in the text panel service with its spans on the sentences', async () => {
    const backend = new Backend({ version: 'test', shape: 'browser', configDir: join(dir, 'config'), examplesDir: join(dir, 'examples'), userWorkspacesDir: join(dir, 'home') });
    try {
      await backend.openWorkspace(root);
      const h = textLabelsHandlers(backend);
      const context = { signal: new AbortController().signal, progress: () => undefined };
      const opened = await h['textLabels.open']({ name: 'wnut-dev' }, context);
      expect(opened.rows).toBe(1009);
      expect(opened.meta).toMatchObject({ tagScheme: 'BIO', docMode: 'none' });
      const first = opened.labels.find((l) => l.kind === 'span')!;
      // WNUT has no -DOCSTART- lines, so sentence s:<n> is row n.
      const [doc] = (await h['textLabels.docs']({ name: 'wnut-dev', rows: [Number(first.doc.slice(2))] }, context)).docs;
      expect(doc!.doc).toBe(first.doc);
      expect(first.kind === 'span' && doc!.text.slice(first.start, first.end).length).toBeGreaterThan(0);
      expect(doc!.fileSpans).toEqual([]);
    } finally {
      await backend.dispose();
    }
  });

  it('labels export jsonl / labelstudio / csv / parquet and import them into an unlabelled copy restore the same CoNLL', async () => {
    writeFileSync(join(dir, 'blank.conll'), readFileSync(join(root, 'labels/wnut-dev/source.conll')));
    const reference = join(dir, 'wnut-dev.conll');
    for (const format of ['jsonl', 'labelstudio', 'csv'] as const) {
      const file = join(dir, `wnut-dev.${format}`);
      expect((await cli(['labels', 'export', 'wnut-dev', '--format', format, '--out', file])).code).toBe(0);
      expect((await cli(['labels', 'import', join(dir, 'blank.conll'), '--set', `blank-${format}`, '--format', 'conll'])).stdout).toContain('0 spans');
      const imported = await cli(['labels', 'import', file, '--set', `blank-${format}`, '--format', format]);
      expect(imported.stderr).toBe('');
      expect(imported.stdout).toMatch(/Imported \d+ labels/);
      const again = join(dir, `again-${format}.conll`);
      expect((await cli(['labels', 'export', `blank-${format}`, '--format', 'conll', '--out', again])).code).toBe(0);
      expect(readFileSync(again, 'utf8')).toBe(readFileSync(reference, 'utf8'));
      expect((await cli(['labels', 'import', file, '--set', `blank-${format}`, '--format', format])).stdout).toMatch(/Imported 0 labels/);
    }
    const parquet = join(dir, 'wnut-dev.parquet');
    expect((await cli(['labels', 'export', 'wnut-dev', '--format', 'parquet', '--out', parquet])).code).toBe(0);
    const db = await NativeDatabase.open();
    const engine = await db.connect();
    const t = await engine.query(`SELECT count(*)::INTEGER AS n, count(DISTINCT doc)::INTEGER AS docs FROM read_parquet('${parquet}') WHERE kind = 'span'`);
    const spans = readFileSync(join(dir, 'wnut-dev.jsonl'), 'utf8').trim().split('\n').length;
    expect(t.get(0)!.toJSON()).toMatchObject({ n: spans });
    await engine.close();
    db.close();
  });

  it('labels import FILE --format labelstudio creates a text set from the tasks (documents.jsonl) that opens and exports the same labels', async () => {
    const r = await cli(['labels', 'import', join(dir, 'wnut-dev.labelstudio'), '--set', 'from-ls', '--format', 'labelstudio']);
    expect(r.stderr).toBe('');
    const labelled = (readFileSync(join(dir, 'wnut-dev.jsonl'), 'utf8').match(/\n/g) ?? []).length;
    // Only documents with a label are tasks in a Label Studio export.
    expect(r.stdout).toMatch(new RegExp(`Created text set from-ls: \\d+ documents, ${labelled} labels`));
    expect((await cli(['labels', 'export', 'from-ls', '--format', 'jsonl', '--out', join(dir, 'from-ls.jsonl')])).code).toBe(0);
    expect(readFileSync(join(dir, 'from-ls.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'wnut-dev.jsonl'), 'utf8'));
    const backend = new Backend({ version: 'test', shape: 'browser', configDir: join(dir, 'config'), examplesDir: join(dir, 'examples'), userWorkspacesDir: join(dir, 'home') });
    try {
      await backend.openWorkspace(root);
      const h = textLabelsHandlers(backend);
      const context = { signal: new AbortController().signal, progress: () => undefined };
      const opened = await h['textLabels.open']({ name: 'from-ls' }, context);
      const span = opened.labels.find((l) => l.kind === 'span')!;
      const row = (await h['textLabels.docs']({ name: 'from-ls', rows: Array.from({ length: opened.rows }, (_, i) => i) }, context)).docs.find((d) => d.doc === span.doc)!;
      expect(span.kind === 'span' && row.text.slice(span.start, span.end).length).toBeGreaterThan(0);
      expect(opened.meta.spanClasses.map((c) => c.name).sort()).toEqual(['corporation', 'creative-work', 'group', 'location', 'person', 'product']);
    } finally {
      await backend.dispose();
    }
  });

  it('labels agreement on text sets prints document kappa and span F1; --json carries the numbers', async () => {
    const same = await cli(['labels', 'agreement', 'wnut-dev', 'blank-jsonl', '--json']);
    expect(same.code).toBe(0);
    const r = JSON.parse(same.stdout) as { kind: string; kappa: number | null; exact: { f1: number }; overlap: { f1: number } };
    expect(r).toMatchObject({ kind: 'text', kappa: null, exact: { f1: 1 }, overlap: { f1: 1 } });
    const partial = await cli(['labels', 'agreement', 'wnut-dev', 'blank-labelstudio']);
    expect(partial.stdout).toMatch(/^document kappa\tn\/a/m);
    expect(partial.stdout).toMatch(/^span F1 \(exact\)\t1\.0000/m);
    expect((await cli(['labels', 'agreement', 'wnut-dev', 'nothing'])).code).toBe(2);
    const different = await cli(['labels', 'agreement', 'wnut-dev', 'wikigold-io']);
    expect(different.code).toBe(1);
    expect(different.stderr).toContain('label different documents');
  });

  it('labels import of a malformed file exits 1 naming the line and writes nothing; usage mistakes exit 2', async () => {
    const bad = join(dir, 'bad.conll');
    writeFileSync(bad, 'Paris\tB-LOC\nis\tO\n\nnice\tX-ADJ\n');
    const before = setFolders();
    const r = await cli(['labels', 'import', bad, '--set', 'bad', '--format', 'conll']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 4/);
    expect(setFolders()).toEqual(before);
    writeFileSync(bad, 'kind,id,doc,start,end,label,note\nspan,a,s:1,0,3,person,\nspan,b,s:1,9,2,person,\n');
    const csv = await cli(['labels', 'import', bad, '--set', 'blank-csv', '--format', 'csv']);
    expect(csv.code).toBe(1);
    expect(csv.stderr).toMatch(/CSV line 3/);
    writeFileSync(bad, 'kind,id,doc,start,end,label,note\nspan,zz,s:999999,0,3,person,\n');
    expect((await cli(['labels', 'import', bad, '--set', 'blank-csv', '--format', 'csv'])).stderr).toMatch(/no document "s:999999"/);
    writeFileSync(bad, '{"kind":"span","id":"q","doc":"s:1","start":0,"end":3,"label":"person"}\n{"kind":"span",\n');
    const jsonl = await cli(['labels', 'import', bad, '--set', 'blank-jsonl', '--format', 'jsonl']);
    expect([jsonl.code, jsonl.stderr]).toEqual([1, expect.stringMatching(/JSONL line 2 is not valid JSON/)]);
    const untouched = await TextLabelStore.open(join(root, 'labels/blank-jsonl'));
    expect(untouched.state.labels['q']).toBeUndefined();
    expect(Object.keys(untouched.state.labels).length).toBeGreaterThan(500);
    expect((await cli(['labels', 'import', join(ner, 'wnut17/emerging.dev.conll'), '--set', 'wnut-dev', '--format', 'conll'])).code).toBe(1);
    expect((await cli(['labels', 'import', bad, '--set', 'x', '--format', 'xml'])).code).toBe(2);
    expect((await cli(['labels', 'export', 'wnut-dev', '--format', 'nab', '--out', 'x'])).code).toBe(2);
    expect((await cli(['labels', 'export', 'nope', '--format', 'conll', '--out', 'x'])).code).toBe(2);
    expect(existsSync(join(root, 'labels/bad'))).toBe(false);
    const list = JSON.parse((await cli(['labels', 'list', '--json'])).stdout) as Array<{ name: string; kind: string }>;
    expect(list.find((s) => s.name === 'wnut-dev')).toMatchObject({ kind: 'text', source: 'labels/wnut-dev/source.conll' });
  });
});
