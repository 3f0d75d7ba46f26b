import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRunReport } from '../../../app/report/run-report';
import { htmlToPdf } from './pdf';

describe('htmlToPdf(html)', () => {
  it('prints a report to a PDF whose first page renders with the chart on it', { timeout: 60_000 }, async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200"><rect x="10" y="10" width="380" height="180" fill="#3a63d8"/></svg>';
    const html = renderRunReport({ title: 'Run report', params: { seed: 1 }, metrics: { accuracy: 0.9 }, sections: [{ heading: 'ROC', outputs: [{ kind: 'svg', svg }] }], provenance: {} });
    const pdf = await htmlToPdf(html);
    expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe('%PDF-');
    if (!existsSync('/usr/bin/pdftoppm')) return;
    const dir = await mkdtemp(join(tmpdir(), 'vajra-pdf-'));
    await writeFile(join(dir, 'r.pdf'), pdf);
    execFileSync('pdftoppm', ['-png', '-r', '40', '-f', '1', '-l', '1', join(dir, 'r.pdf'), join(dir, 'page')]);
    const png = await readFile(join(dir, 'page-1.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    await rm(dir, { recursive: true, force: true });
  });
});
