import { throwIfAborted } from '../../../app/base/errors';
import type { reportMethods } from '../../../app/protocol/methods/report';
import type { DomainHandlers } from '../../../app/protocol/spec';
import type { Backend } from '../backend';
import { pdfPathFor, writeReport } from '../report/write';

/** Reports: the methods of `methods/report.ts`. The renderer renders the page; the backend writes it (and prints the PDF). */
export function reportHandlers(backend: Backend): DomainHandlers<typeof reportMethods> {
  return {
    'report.save': async ({ path, html, pdf }, { signal, progress }) => {
      const workspace = backend.requireWorkspace();
      progress({ done: 0, total: pdf ? 2 : 1, message: `Writing ${path}` });
      const bytes = await writeReport(workspace.resolve(path), html);
      if (!pdf) return { path, bytes, pdfPath: null, pdfBytes: null };
      throwIfAborted(signal);
      const pdfPath = pdfPathFor(path);
      progress({ done: 1, total: 2, message: `Printing ${pdfPath}` });
      const pdfBytes = await writeReport(workspace.resolve(pdfPath), html);
      return { path, bytes, pdfPath, pdfBytes };
    },
  };
}
