import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { VajraError } from '../../../app/base/errors';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** The Chromium used for PDF in the browser shape and headless: $VAJRA_CHROMIUM, else Debian's. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [env.VAJRA_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new VajraError('no_chromium', 'PDF export needs Chromium: install it (Debian: apt-get install chromium) or set VAJRA_CHROMIUM to its path.');
  return found;
}

/**
 * Prints a self-contained HTML report to PDF with Chromium's print-to-PDF (A4, backgrounds,
 * the report's print styles keep charts and table rows from being cut). The page has no network.
 */
export async function htmlToPdf(html: string): Promise<Uint8Array> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, margin: { top: '16mm', bottom: '16mm', left: '14mm', right: '14mm' } });
    return new Uint8Array(pdf);
  } finally {
    await browser.close();
  }
}
