import type { PipelineOutput } from '../../../app/protocol/methods/pipeline';
import { barChart, lossChart, PlotFigure } from './charts';
import type { LossPoint } from './pipeline-store';

type ModelResult = Extract<PipelineOutput, { kind: 'model' }>;

function bytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function coefficients(value: unknown): { name: string; value: number }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((c: unknown) => (c && typeof c === 'object' && 'feature' in c && 'value' in c && typeof c.value === 'number' ? [{ name: String(c.feature), value: c.value }] : []));
}

/** The live training curve while a boosting node trains. */
export function LiveLoss({ points }: { points: LossPoint[] }) {
  return <PlotFigure caption={`Training loss · iteration ${points.at(-1)?.iteration ?? 0}`} build={() => lossChart(points)} deps={[points]} testId="live-loss" />;
}

/** A fitted model's summary: kind, task, target, classes, size; its training curve and top coefficients. */
export function ModelOutput({ output }: { output: ModelResult }) {
  const s = output.summary;
  const features = stringList(s['features']);
  const classes = stringList(s['classes']);
  const coefs = coefficients(s['coefficients']);
  const facts: Array<[string, string]> = [
    ['Model', s.kind], ['Task', s.task], ['Target', typeof s['target'] === 'string' ? s['target'] : '—'],
    ...(classes.length > 0 ? [['Classes', classes.join(', ')] satisfies [string, string]] : []),
    ...(typeof s['trees'] === 'number' ? [['Trees', String(s['trees'])] satisfies [string, string]] : []),
    ...(typeof s['iterations'] === 'number' ? [['Iterations', String(s['iterations'])] satisfies [string, string]] : []),
    ['Features', `${features.length}`], ['ONNX graph', bytes(s.onnxBytes)],
    ...stringList(s['notes']).map((n): [string, string] => ['Note', n]),
  ];
  return (
    <div className="pc-output-row" data-testid="model-summary">
      <dl className="pc-facts">
        {facts.map(([k, v]) => <div key={`${k}${v}`}><dt>{k}</dt><dd>{v}</dd></div>)}
      </dl>
      {output.history.length > 1 && <PlotFigure caption="Training loss" build={() => lossChart(output.history)} deps={[output.history]} testId="loss-chart" />}
      {coefs.length > 0 && <PlotFigure caption="Largest coefficients" build={() => barChart(coefs, 'coefficient')} deps={[coefs]} />}
    </div>
  );
}
