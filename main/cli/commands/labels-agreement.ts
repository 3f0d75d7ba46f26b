import { join } from 'node:path';
import { perSampleKappa, rangeSetIoU, textAgreement, type SpanScores } from '../../../app/labels/agreement';
import { timeExpression } from '../../../app/labels/downsample';
import { labelList } from '../../../app/labels/model';
import { NativeDatabase } from '../../backend/data/native-engine';
import { asRanges } from '../../backend/labels/label-io';
import { LabelStore } from '../../backend/labels/label-store';
import { resolveSeries } from '../../backend/labels/series-sql';
import { sameDocuments } from '../../backend/text-labels/documents';
import { TextLabelStore } from '../../backend/text-labels/text-label-store';
import { Exit, UsageError, type CliContext, type ParsedValues } from '../command';
import { setKind } from './labels-text';

/** Range IoU and per-sample kappa of two time-series sets, sampled at the x values of A's series. */
async function seriesAgreement(root: string, a: string, b: string): Promise<{ kind: 'series'; iou: number; kappa: number; samples: number }> {
  const [sa, sb] = [await LabelStore.open(join(root, 'labels', a)), await LabelStore.open(join(root, 'labels', b))];
  const db = await NativeDatabase.open(':memory:', { file_search_path: root });
  const engine = await db.connect();
  try {
    const series = await resolveSeries(engine, sa.meta.target, (p) => join(root, p));
    const t = await engine.query(`SELECT ${timeExpression(series.timeColumn, series.timeKind)} AS x FROM ${series.relation} ORDER BY 1`);
    const x = Float64Array.from(t.getChild('x')!.toArray() as ArrayLike<number>, Number);
    const ra = asRanges(sa.state);
    const rb = asRanges(sb.state);
    return { kind: 'series', iou: rangeSetIoU(ra, rb), kappa: perSampleKappa(x, ra, rb), samples: x.length };
  } finally {
    await engine.close();
    db.close();
  }
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const spanLine = (name: string, s: SpanScores) => `span F1 (${name})\t${s.f1.toFixed(4)}\tP ${pct(s.precision)}  R ${pct(s.recall)}  (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`;

/** `vajra labels agreement SET_A SET_B [--json]`: text sets → document kappa and span F1; series sets → IoU and per-sample kappa. */
export async function agreement(root: string, values: ParsedValues, positionals: string[], context: CliContext): Promise<number> {
  const [a, b] = positionals;
  if (!a || !b || positionals.length !== 2) throw new UsageError('labels agreement takes two sets: SET_A SET_B');
  const [ka, kb] = [setKind(join(root, 'labels', a)), setKind(join(root, 'labels', b))];
  if (ka === undefined || kb === undefined) throw new UsageError(`No label set "${ka === undefined ? a : b}" in ${root}.`);
  if (ka !== kb) throw new UsageError(`"${a}" is a ${ka} set and "${b}" a ${kb} set; agreement compares two sets of one kind.`);
  if (ka === 'series') {
    const r = await seriesAgreement(root, a, b);
    context.stdout(values.json ? `${JSON.stringify({ a, b, ...r }, null, 2)}\n` : `range IoU\t${r.iou.toFixed(4)}\nper-sample kappa\t${r.kappa.toFixed(4)}\t(${r.samples} samples)\n`);
    return Exit.ok;
  }
  const [sa, sb] = [await TextLabelStore.open(join(root, 'labels', a)), await TextLabelStore.open(join(root, 'labels', b))];
  if (!(await sameDocuments(sa.meta, sb.meta, (p) => join(root, p)))) {
    context.stderr(`vajra labels: "${a}" and "${b}" label different documents; agreement needs the same ones.\n`);
    return Exit.failed;
  }
  const r = textAgreement(labelList(sa.state), labelList(sb.state));
  if (values.json) context.stdout(`${JSON.stringify({ a, b, kind: 'text', ...r }, null, 2)}\n`);
  else {
    const kappa = r.kappa === null ? 'n/a (no document both classified)' : `${r.kappa.toFixed(4)}\t(${r.documents} documents)`;
    context.stdout([`document kappa\t${kappa}`, spanLine('exact', r.exact), spanLine('overlap', r.overlap), `spans\t${a}: ${r.spansA}, ${b}: ${r.spansB}`].join('\n') + '\n');
  }
  return Exit.ok;
}
