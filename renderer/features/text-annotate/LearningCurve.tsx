import * as Plot from '@observablehq/plot';
import type { ModelInfo } from '../../../app/protocol/methods/text-labels';
import { useChart } from '../../components/use-chart';

/** Accuracy of the active-learning model against the number of labels it was trained on. */
export function LearningCurve({ curve }: { curve: ModelInfo['curve'] }) {
  const ref = useChart(() => {
    const data = [...curve].sort((a, b) => a.labels - b.labels);
    return Plot.plot({
      width: 280,
      height: 150,
      marginLeft: 40,
      style: { background: 'transparent', color: 'var(--fg)', fontSize: '10px' },
      x: { label: 'labels', grid: true, tickFormat: 'd', ticks: Math.min(6, Math.max(1, data.length)) },
      y: { label: `accuracy (${data[0]?.on === 'cv' ? 'cross-validated' : 'vs gold'})`, domain: [0, 1], grid: true },
      marks: [Plot.line(data, { x: 'labels', y: 'accuracy', stroke: 'var(--accent)' }), Plot.dot(data, { x: 'labels', y: 'accuracy', fill: 'var(--accent)', r: 3 })],
    });
  }, [curve]);
  return (
    <figure className="ta-curve" aria-label="Learning curve" data-points={curve.length}>
      <div ref={ref} />
    </figure>
  );
}
