import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { VajraError } from '../../../app/base/errors';
import { lfAnalysis } from '../../../app/labels/lf';
import { parseLfFile, type LfFile } from '../../../app/labels/text/lf-file';
import { relationSql } from '../../../app/labels/text/lf-sql';
import { NativeDatabase } from '../../backend/data/native-engine';
import { runLfFile } from '../../backend/text-labels/lf-runner';
import { Exit, UsageError, type Command } from '../command';

type Analysis = ReturnType<typeof lfAnalysis>;

/** The analysis as plain JSON: one object per LF plus the whole-matrix figures and the conflict matrix. */
export function analysisJson(file: LfFile, a: Analysis, rows: number): unknown {
  return {
    rows,
    labelCoverage: a.labelCoverage,
    labelOverlap: a.labelOverlap,
    labelConflict: a.labelConflict,
    lfs: file.lfs.map((lf, j) => ({
      name: lf.name,
      kind: lf.kind,
      polarity: a.polarity[j]!.map((c) => file.classes[c]),
      coverage: a.coverage[j],
      overlaps: a.overlaps[j],
      conflicts: a.conflicts[j],
      ...(a.correct ? { correct: a.correct[j], incorrect: a.incorrect![j], empiricalAccuracy: a.empiricalAccuracy![j] } : {}),
    })),
    conflictMatrix: { names: file.lfs.map((lf) => lf.name), values: [...a.conflictMatrix] },
  };
}

/** The analysis as an aligned text table (Snorkel's lf_summary columns). */
export function analysisTable(file: LfFile, a: Analysis, rows: number): string {
  const head = ['LF', 'kind', 'polarity', 'coverage', 'overlaps', 'conflicts', ...(a.correct ? ['correct', 'incorrect', 'emp. acc.'] : [])];
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const body = file.lfs.map((lf, j) => [
    lf.name,
    lf.kind,
    a.polarity[j]!.map((c) => file.classes[c]).join(',') || '-',
    pct(a.coverage[j]!),
    pct(a.overlaps[j]!),
    pct(a.conflicts[j]!),
    ...(a.correct ? [String(a.correct[j]), String(a.incorrect![j]), a.correct[j]! + a.incorrect![j]! > 0 ? pct(a.empiricalAccuracy![j]!) : '-'] : []),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [
    line(head),
    ...body.map(line),
    '',
    `${rows.toLocaleString('en-US')} rows · labelled by ≥1 LF ${pct(a.labelCoverage)} · by ≥2 ${pct(a.labelOverlap)} · with conflicting votes ${pct(a.labelConflict)}`,
    '',
  ].join('\n');
}

export const lfAnalysisCommand: Command = {
  name: 'lf-analysis',
  summary: 'Run a labeling-functions file over a data file and print the LF analysis table.',
  usage: 'vajra lf-analysis LFS_FILE DATA [--gold COLUMN] [--json]',
  help: [
    'LFS_FILE        a labeling-functions file (e.g. spam.lfs.json)',
    'DATA            a CSV, Parquet or JSON file (a glob such as "data/Youtube0*.csv" reads several)',
    '--gold COLUMN   a column with known classes (class names or indices): adds correct,',
    '                incorrect and empirical accuracy per LF',
    '--json          print JSON (per-LF figures and the pairwise conflict matrix) instead',
    '',
    'Keyword, regex, length and SQL LFs run in DuckDB; JS LFs in a node:vm sandbox (5 s limit).',
  ].join('\n'),
  options: { gold: { type: 'string' }, json: { type: 'boolean' } },
  allowPositionals: true,
  async run(values, positionals, context) {
    if (positionals.length !== 2) throw new UsageError('lf-analysis takes LFS_FILE and DATA.');
    const lfsPath = resolve(context.cwd, positionals[0]!);
    const data = resolve(context.cwd, positionals[1]!);
    if (!existsSync(lfsPath)) {
      context.stderr(`vajra lf-analysis: no file ${positionals[0]}\n`);
      return Exit.error;
    }
    const db = await NativeDatabase.open(':memory:', { file_search_path: context.cwd });
    const engine = await db.connect();
    try {
      const file = parseLfFile(await readFile(lfsPath, 'utf8'));
      const gold = typeof values.gold === 'string' ? values.gold : undefined;
      const run = await runLfFile(engine, file, relationSql({ file: data }), gold !== undefined ? { gold } : {});
      const a = lfAnalysis(run.L, run.gold);
      context.stdout(values.json === true ? `${JSON.stringify(analysisJson(file, a, run.L.n), null, 2)}\n` : analysisTable(file, a, run.L.n));
      return Exit.ok;
    } catch (error) {
      context.stderr(`vajra lf-analysis: ${error instanceof VajraError || error instanceof Error ? error.message : String(error)}\n`);
      return Exit.error;
    } finally {
      await engine.close();
      db.close();
    }
  },
};
