import { relationFor } from '../../../app/validate/headless';
import { columnDrifts } from '../../../app/validate/drift';
import { runSuite } from '../../../app/validate/run-suite';
import { profileTable, suggestSuite } from '../../../app/validate/suggest';
import { parseSuite, serializeSuite } from '../../../app/validate/suite';
import type { validateMethods } from '../../../app/protocol/methods/validate';
import type { DomainHandlers } from '../../../app/protocol/spec';
import type { Backend } from '../backend';
import { workspaceDatabase } from './data-service';

/**
 * Expectation suites and drift (the methods of `methods/validate.ts`), in the workspace DuckDB.
 * Data files are read in place through `file_search_path` (the workspace root).
 */
export function validateHandlers(backend: Backend): DomainHandlers<typeof validateMethods> {
  return {
    'validate.suggest': async ({ table, name }, { signal, progress }) => {
      const { engine } = await workspaceDatabase(backend);
      progress({ done: 0, total: 1, message: `Profiling ${table}` });
      const profile = await profileTable(engine, relationFor(table), signal);
      return { text: serializeSuite(suggestSuite(profile, name)) };
    },
    'validate.run': async ({ suite, table, reference }, { signal, progress }) => {
      const parsed = parseSuite(suite);
      const { engine } = await workspaceDatabase(backend);
      progress({ done: 0, total: 1, message: `Validating ${table}` });
      return runSuite(engine, parsed, { table: relationFor(table), ...(reference ? { reference: relationFor(reference) } : {}), signal });
    },
    'validate.drift': async ({ current, reference, columns }, { signal, progress }) => {
      const { engine } = await workspaceDatabase(backend);
      progress({ done: 0, total: 0, message: `Drift of ${current} against ${reference}` });
      return { columns: await columnDrifts(engine, relationFor(current), relationFor(reference), columns, undefined, signal, progress) };
    },
  };
}
