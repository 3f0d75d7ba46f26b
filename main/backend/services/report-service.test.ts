import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { referencesNoNetwork } from '../../../app/report/html';
import { renderRunReport } from '../../../app/report/run-report';
import { reportMethods } from '../../../app/protocol/methods/report';
import { Backend } from '../backend';
import { reportHandlers } from './report-service';

let dir: string;
let backend: Backend;
const context = { signal: new AbortController().signal, progress: () => undefined };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vajra-report-service-'));
  backend = new Backend({ version: 'test', shape: 'browser', configDir: join(dir, 'config'), examplesDir: join(dir, 'examples'), userWorkspacesDir: join(dir, 'home') });
  await writeFile(join(dir, 'vajra.json'), JSON.stringify({ format: 1, name: 'ws' }));
  await backend.openWorkspace(dir);
});
afterEach(async () => {
  await backend.dispose();
  await rm(dir, { recursive: true, force: true });
});

const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120"><rect x="5" y="5" width="290" height="110" fill="#3a63d8"/></svg>';
const html = renderRunReport({ title: 'Run r1', params: { seed: 7 }, metrics: { accuracy: 0.85 }, sections: [{ heading: 'ROC', outputs: [{ kind: 'svg', svg }] }], provenance: { 'data/adult.csv': 'sha256:00ff' } });

describe('reportHandlers(backend)', () => {
  it('report.save {path, html, pdf: true} writes the HTML and a PDF beside it, with no external URL', { timeout: 60_000 }, async () => {
    const params = reportMethods['report.save'].params.parse({ path: 'reports/run.html', html, pdf: true });
    const result = await reportHandlers(backend)['report.save'](params, context);
    expect(result).toMatchObject({ path: 'reports/run.html', pdfPath: 'reports/run.pdf' });
    const written = await readFile(join(dir, 'reports/run.html'), 'utf8');
    expect(written).toBe(html);
    expect(result.bytes).toBe(Buffer.byteLength(html));
    expect(referencesNoNetwork(written)).toBe(true);
    const pdf = await readFile(join(dir, 'reports/run.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(result.pdfBytes).toBe(pdf.length);
  });

  it('report.save without pdf writes only the HTML; a page with a network reference is refused', async () => {
    const h = reportHandlers(backend);
    const result = await h['report.save']({ path: 'r.html', html, pdf: false }, context);
    expect(result.pdfPath).toBeNull();
    await expect(readFile(join(dir, 'r.pdf'))).rejects.toThrow();
    const bad = html.replace('</main>', '<img src="https://example.com/x.png"></main>');
    await expect(h['report.save']({ path: 'bad.html', html: bad, pdf: false }, context)).rejects.toThrow(/network/);
    await expect(readFile(join(dir, 'bad.html'))).rejects.toThrow();
  });

  it('the report.save schema takes only workspace .html paths', () => {
    const schema = reportMethods['report.save'].params;
    expect(schema.safeParse({ path: '../out.html', html }).success).toBe(false);
    expect(schema.safeParse({ path: 'out.pdf', html }).success).toBe(false);
    expect(schema.safeParse({ path: 'reports/out.html', html }).data?.pdf).toBe(false);
  });
});
