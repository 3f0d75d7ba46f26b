import { UserInputError } from '../../../app/base/errors';
import type { CancelSignal } from '../../../app/base/signal';
import { throwIfAborted } from '../../../app/base/errors';
import { quoteIdent, type Engine } from '../../../app/data/engine';
import { memberFeeds, predictionCodes } from '../../../app/labels/text/committee';
import { readOnnxModel } from '../../../app/onnx/reader';
import { buildFeed } from '../../../app/pipeline/run/nodes-evaluate';
import type { OnnxFeedSpec, OnnxScorer } from '../../../app/pipeline/run/types';
import type { Column, ColumnTable } from '../../../app/pipeline/steps/types';

/** A committee member: a tracked run and the bytes of its compiled model. */
export interface CommitteeModel {
  readonly run: string;
  readonly onnx: Uint8Array;
}

const FEED_TYPES: ReadonlySet<string> = new Set(['float', 'double', 'int64', 'string']);

function feedType(run: string, elemType: string): OnnxFeedSpec['elemType'] {
  if (!FEED_TYPES.has(elemType)) throw new UserInputError(`Run ${run}'s model takes ${elemType} inputs, which a table cannot fill.`);
  return elemType === 'float' ? 'float' : elemType === 'double' ? 'double' : elemType === 'int64' ? 'int64' : 'string';
}

/** The `columns` of `relation` in scan order (the row order documents are numbered in), as typed columns. */
async function readColumns(engine: Engine, relation: string, columns: ReadonlyArray<{ name: string; text: boolean }>): Promise<ColumnTable> {
  const select = columns.map((c, i) => (c.text ? `coalesce(CAST(${quoteIdent(c.name)} AS VARCHAR), '')` : `CAST(${quoteIdent(c.name)} AS DOUBLE)`) + ` AS c${i}`);
  const t = await engine.query(`SELECT ${select.join(', ')} FROM (SELECT *, row_number() OVER () AS __r FROM ${relation}) ORDER BY __r`);
  const out: Column[] = columns.map((c, i) => {
    const v = t.getChild(`c${i}`)!;
    return c.text ? { name: c.name, type: 'string', values: Array.from({ length: t.numRows }, (_, r) => String(v.get(r) ?? '')) } : { name: c.name, type: 'number', values: Float64Array.from({ length: t.numRows }, (_, r) => Number(v.get(r) ?? Number.NaN)) };
  });
  return { rows: t.numRows, columns: out };
}

/**
 * Hard predictions of each member over every row of the set's table, as class indices of
 * `classes` (−1 where a member's label is no class). Each model's own graph scores the rows
 * through `score` (onnxruntime-node in the backend); its `label` output is the vote.
 */
export async function committeePredictions(engine: Engine, relation: string, textColumn: string, classes: readonly string[], members: readonly CommitteeModel[], score: OnnxScorer, signal?: CancelSignal): Promise<Int32Array[]> {
  const described = await engine.query(`DESCRIBE SELECT * FROM ${relation}`);
  const names = described.toArray().map((r) => String(r.toJSON()['column_name']));
  const out: Int32Array[] = [];
  for (const m of members) {
    throwIfAborted(signal);
    const info = readOnnxModel(m.onnx);
    const label = info.outputs.find((o) => o.name === 'label') ?? info.outputs[0]!;
    const feeds = memberFeeds(m.run, info.inputs, names, textColumn);
    const table = await readColumns(engine, relation, [...new Set(feeds.map((f) => f.column))].map((name) => ({ name, text: feeds.some((f) => f.column === name && f.elemType === 'string') })));
    const outputs = await score(m.onnx, feeds.map((f) => buildFeed(table, { input: f.input, columns: [f.column], elemType: feedType(m.run, f.elemType) })), signal);
    const labels = outputs[label.name];
    if (!labels) throw new UserInputError(`Run ${m.run}'s model gave no "${label.name}" output.`);
    out.push(predictionCodes(classes, labels.data));
  }
  return out;
}
