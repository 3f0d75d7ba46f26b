import type { z } from 'zod';
import type { PipelineCrossValidation } from '../../../app/protocol/methods/pipeline';
import { foldChart, PlotFigure } from './charts';

type CrossValidation = z.infer<typeof PipelineCrossValidation>;

const COLUMNS: Record<string, string[]> = {
  classification: ['accuracy', 'roc_auc', 'f1_macro'],
  regression: ['r2', 'rmse', 'mae'],
};

/** A Cross-validate node's results: per-fold metrics, mean ± std, and the headline metric by fold. */
export function CrossValidationOutput({ cv, rows }: { cv: CrossValidation; rows: number }) {
  const metrics = (COLUMNS[cv.task] ?? Object.keys(cv.mean)).filter((m) => cv.mean[m] !== undefined);
  const headline = metrics[0];
  return (
    <div className="pc-output-row" data-testid="cross-validation">
      {/* The chart sits under the table: the output pane is too narrow for both side by side. */}
      <div className="pc-metrics-col">
        <table className="pc-metrics per-class pc-cv" aria-label="Cross-validation folds">
          <caption>{cv.k}-fold cross-validation{cv.stratified ? ' (stratified)' : ''} · {rows.toLocaleString()} rows · {cv.shuffle ? `shuffled, seed ${cv.seed}` : 'in row order'}<br />refits {cv.refit.join(' → ')} on every fold</caption>
          <thead><tr><th>fold</th><th>train</th><th>held out</th>{metrics.map((m) => <th key={m}>{m.replace(/_/g, ' ')}</th>)}</tr></thead>
          <tbody>
            {cv.folds.map((f) => (
              <tr key={f.fold} data-fold={f.fold + 1}><th>{f.fold + 1}</th><td>{f.trainRows.toLocaleString()}</td><td>{f.testRows.toLocaleString()}</td>{metrics.map((m) => <td key={m}>{f.metrics[m]?.toFixed(4) ?? '–'}</td>)}</tr>
            ))}
            <tr className="pc-cv-mean" data-testid="cv-mean"><th>mean</th><td /><td />{metrics.map((m) => <td key={m}>{cv.mean[m]!.toFixed(4)}</td>)}</tr>
            <tr className="pc-cv-mean" data-testid="cv-std"><th>± std</th><td /><td />{metrics.map((m) => <td key={m}>{cv.std[m]!.toFixed(4)}</td>)}</tr>
          </tbody>
        </table>
        {headline && (
          <PlotFigure
            caption={`${headline.replace(/_/g, ' ')} by fold · mean ${cv.mean[headline]!.toFixed(3)} ± ${cv.std[headline]!.toFixed(3)}`}
            build={() => foldChart(cv.folds.map((f) => ({ fold: f.fold + 1, value: f.metrics[headline] ?? Number.NaN })), cv.mean[headline]!, cv.std[headline]!, headline.replace(/_/g, ' '))}
            deps={[cv]}
            testId="cv-chart"
          />
        )}
      </div>
    </div>
  );
}
