/**
 * The Validate node: runs an expectation suite over any upstream table — a Source's relation in
 * place, or a derived table (after a split or preprocessing) copied into a temporary DuckDB table —
 * and either stops the pipeline (an `error`-severity expectation failed) or passes the table on
 * with warnings. The suite result travels with the node's outputs (or with its error) so the run
 * can record it: see `validationRecords` and `validationArtifacts`.
 */
import { UserInputError } from '../../base/errors';
import { quoteIdent } from '../../data/engine';
import type { PipelineDoc, PipelineNode } from '../document';
import { nodeCatalog } from '../catalog';
import { runSuite, type ExpectationResult, type SuiteResult } from '../../validate/run-suite';
import { parseSuite, STATISTICAL_KINDS } from '../../validate/suite';
import type { Execution } from './execute';
import type { NodeOutputs, RunEnv, TableValue } from './types';
import { materializeTable } from './validate-table';

/** What one Validate node found: the suite file, its text (copied into the run) and the result. */
export interface ValidationRecord {
  nodeId: string;
  suitePath: string;
  suiteText: string;
  result: SuiteResult;
}

/** Results of passing validations by the outputs object they produced (cached outputs keep theirs). */
const recordsByOutputs = new WeakMap<NodeOutputs, ValidationRecord>();

const target = (r: ExpectationResult) => {
  const e = r.expectation;
  return 'column' in e ? ` ${e.column}` : e.kind === 'column_pair' ? ` ${e.left}/${e.right}` : '';
};

/** One line per failing (or warning) expectation, with up to two offending rows. */
export function failureLines(results: readonly ExpectationResult[]): string[] {
  return results.flatMap((r) => {
    const head = `• ${r.expectation.kind}${target(r)}: ${r.message}`;
    if (!r.failingRows || r.failingRows.sample.length === 0) return [head];
    return [head, ...r.failingRows.sample.slice(0, 2).map((row) => `    e.g. ${JSON.stringify(row)}`)];
  });
}

function summaryOf(result: SuiteResult): string {
  const c = result.counts;
  return `${result.suite}: ${c.passed} passed, ${c.failed} failed, ${c.warned} warned, ${c.errored} not evaluated (${result.rowCount} rows)`;
}

async function relationOf(input: TableValue, env: RunEnv, node: PipelineNode): Promise<{ relation: string; drop?: string }> {
  if (input.relation) return { relation: input.relation };
  const name = `__vajra_validate_${node.id.replace(/\W/g, '_')}_${env.clock.now()}`;
  await materializeTable(env.engine, name, input.table, env.signal);
  return { relation: quoteIdent(name), drop: `DROP TABLE IF EXISTS ${quoteIdent(name)}` };
}

/**
 * Runs the node's suite over its input table. Throws a UserInputError naming every failed
 * expectation with sample offending rows (detail `validation`: the ValidationRecord) when an
 * error-severity expectation fails and `failOnError` is set; otherwise passes the table on.
 */
export async function runValidateNode(node: PipelineNode, input: TableValue, env: RunEnv): Promise<{ outputs: NodeOutputs; message: string }> {
  const p = nodeCatalog.validate.params.parse(node.params);
  if (p.suite === '') return { outputs: { data: input }, message: 'No suite chosen: the table passed through unchecked.' };
  const suiteText = new TextDecoder().decode(await env.readFile(p.suite));
  const full = parseSuite(suiteText);
  // Drift expectations need a reference table: `params.reference` (a table or view name), when given.
  const reference = typeof node.params['reference'] === 'string' && node.params['reference'] !== '' ? quoteIdent(node.params['reference']) : undefined;
  const suite = reference ? full : { ...full, expectations: full.expectations.filter((e) => !STATISTICAL_KINDS.has(e.kind)) };
  const skipped = full.expectations.length - suite.expectations.length;
  const { relation, drop } = await relationOf(input, env, node);
  let result: SuiteResult;
  try {
    result = await runSuite(env.engine, suite, { table: relation, ...(reference ? { reference } : {}), ...(env.signal ? { signal: env.signal } : {}) });
  } finally {
    if (drop) await env.engine.exec(drop);
  }
  const note = skipped > 0 ? [`(${skipped} drift expectation${skipped === 1 ? '' : 's'} skipped: no reference table)`] : [];
  const record: ValidationRecord = { nodeId: node.id, suitePath: p.suite, suiteText, result };
  const failed = result.results.filter((r) => r.status !== 'pass' && r.severity === 'error');
  const warned = result.results.filter((r) => r.status !== 'pass' && r.severity === 'warn');
  if (!result.success && p.failOnError) {
    throw new UserInputError(['Validation failed — ' + summaryOf(result), ...failureLines(failed), ...note].join('\n'), { validation: record });
  }
  const outputs: NodeOutputs = { data: input };
  recordsByOutputs.set(outputs, record);
  const notes = [...failed, ...warned];
  return { outputs, message: [summaryOf(result), ...failureLines(notes), ...note].join('\n') };
}

function isRecord(value: unknown): value is ValidationRecord {
  return typeof value === 'object' && value !== null && 'nodeId' in value && 'result' in value && 'suiteText' in value;
}

/** Every Validate node's record in an execution: from its outputs when it passed, from its error when it failed. */
export function validationRecords(doc: PipelineDoc, execution: Execution): ValidationRecord[] {
  return doc.nodes.filter((n) => n.kind === 'validate').flatMap((n) => {
    const outputs = execution.outputs.get(n.id);
    const passed = outputs ? recordsByOutputs.get(outputs) : undefined;
    if (passed) return [passed];
    const detail = execution.statuses.find((s) => s.nodeId === n.id)?.error?.detail?.['validation'];
    return isRecord(detail) ? [detail] : [];
  });
}

/** A file to store with the run. */
export interface ValidationArtifact {
  path: string;
  text: string;
}

/**
 * What a run records per Validate node: `validation/NODE/result.json` (pass/fail per expectation,
 * observed values, drift statistics), the suite itself as `validation/NODE/NAME.expectations.json`
 * (so an exported bundle carries it), and metrics `validation.NODE.{passed,failed,warned,success}`.
 */
export function validationArtifacts(doc: PipelineDoc, execution: Execution): { artifacts: ValidationArtifact[]; metrics: Record<string, number> } {
  const artifacts: ValidationArtifact[] = [];
  const metrics: Record<string, number> = {};
  for (const r of validationRecords(doc, execution)) {
    const name = (r.suitePath.split('/').at(-1) ?? 'suite.expectations.json').replace(/[^\w.-]/g, '_');
    artifacts.push({ path: `validation/${r.nodeId}/result.json`, text: `${JSON.stringify(r.result, null, 2)}\n` });
    artifacts.push({ path: `validation/${r.nodeId}/${name.endsWith('.expectations.json') ? name : `${name}.expectations.json`}`, text: r.suiteText });
    const c = r.result.counts;
    Object.assign(metrics, { [`validation.${r.nodeId}.passed`]: c.passed, [`validation.${r.nodeId}.failed`]: c.failed, [`validation.${r.nodeId}.warned`]: c.warned, [`validation.${r.nodeId}.success`]: r.result.success ? 1 : 0 });
  }
  return { artifacts, metrics };
}
