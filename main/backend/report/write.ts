import { VajraError } from '../../../app/base/errors';
import { referencesNoNetwork } from '../../../app/report/html';
import { writeFileAtomic } from '../fs/atomic';
import { htmlToPdf } from './pdf';

/** The PDF that goes beside an HTML report: `a/b.html` → `a/b.pdf`. */
export function pdfPathFor(htmlPath: string): string {
  return htmlPath.replace(/\.html?$/i, '') + '.pdf';
}

/**
 * Writes a report atomically: `.pdf` paths get Chromium's print of the page, any other path the
 * HTML itself. Refuses a page that references the network, so a shared file always opens offline.
 * Returns the bytes written.
 */
export async function writeReport(absolutePath: string, html: string): Promise<number> {
  if (!referencesNoNetwork(html)) throw new VajraError('invalid_report', 'The report references a network resource; a shared report must be self-contained.');
  const bytes = /\.pdf$/i.test(absolutePath) ? await htmlToPdf(html) : new TextEncoder().encode(html);
  await writeFileAtomic(absolutePath, bytes);
  return bytes.length;
}
