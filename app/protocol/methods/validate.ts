import { z } from 'zod';
import { method } from '../spec';
import type { ColumnDrift } from '../../validate/drift';
import type { SuiteResult } from '../../validate/run-suite';
import { workspacePath } from './workspace';

const FILE_ARG = /\.(csv|tsv|txt|parquet|json|ndjson|jsonl)(\.gz)?$/i;

/**
 * Data to validate: a table or view of the workspace database, or a workspace data file (CSV,
 * Parquet, JSON) read in place. File paths obey the workspace-path rules (relative, no `..`), so
 * an untrusted browser client cannot read files outside the workspace.
 */
export const DataRef = z.string().min(1).max(4096)
  .refine((s) => !s.includes('\0'), { message: 'must not contain NUL' })
  .refine((s) => !FILE_ARG.test(s) || workspacePath.safeParse(s).success, { message: 'a data file must be a path inside the workspace' });

/** The suite result of app/validate/run-suite.ts (plain JSON). */
const SuiteResultSchema = z.custom<SuiteResult>((v) => typeof v === 'object' && v !== null && 'results' in v);
/** Per-column drift statistics with histograms (app/validate/drift.ts). */
const ColumnDriftSchema = z.custom<ColumnDrift>((v) => typeof v === 'object' && v !== null && 'column' in v);

export const validateMethods = {
  'validate.suggest': method(
    z.object({ table: DataRef, name: z.string().min(1).max(256) }),
    z.object({ text: z.string() }),
    'Profile a table and suggest an expectation suite (types, ranges, null rates, categories) as suite-file text.',
  ),
  'validate.run': method(
    z.object({
      /** The suite file's text (unsaved edits run as they are). */
      suite: z.string().min(1).max(16 * 1024 * 1024),
      table: DataRef,
      reference: DataRef.optional(),
    }),
    SuiteResultSchema,
    'Run an expectation suite over a table (and a reference for drift expectations) in DuckDB over the full data.',
  ),
  'validate.drift': method(
    z.object({ current: DataRef, reference: DataRef, columns: z.array(z.string().min(1)).max(1000).optional() }),
    z.object({ columns: z.array(ColumnDriftSchema) }),
    'Per-column drift of current against reference (KS, chi², PSI, Wasserstein, Jensen–Shannon, histograms).',
  ),
} as const;

export const validateEvents = {} as const;
