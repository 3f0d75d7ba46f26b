import { z } from 'zod';
import { method } from '../spec';
import { workspacePath } from './workspace';

/** Where a report goes: a workspace path ending in `.html` (the PDF, when asked, lands beside it). */
const reportPath = workspacePath.refine((p) => /\.html?$/i.test(p), { message: 'a report path ends in .html' });

export const reportMethods = {
  'report.save': method(
    z.object({
      path: reportPath,
      /** The whole self-contained page (renderNotebookReport / renderRunReport). */
      html: z.string().min(1).max(64 * 1024 * 1024),
      /** Also print it to `<path without .html>.pdf` with Chromium. */
      pdf: z.boolean().default(false),
    }),
    z.object({ path: z.string(), bytes: z.number(), pdfPath: z.string().nullable(), pdfBytes: z.number().nullable() }),
    'Write a report as one HTML file (atomically) and, if asked, a PDF beside it.',
  ),
} as const;

export const reportEvents = {} as const;
