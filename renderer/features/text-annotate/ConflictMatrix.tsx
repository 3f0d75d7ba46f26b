import * as Plot from '@observablehq/plot';
import { useChart } from '../../components/use-chart';

/** Heat map of the pairwise conflict matrix (share of rows where two LFs both vote and disagree). */
export function ConflictMatrix({ names, values }: { names: string[]; values: number[] }) {
  const ref = useChart(() => {
    const m = names.length;
    const data = values.map((v, i) => ({ a: names[Math.floor(i / m)]!, b: names[i % m]!, v }));
    return Plot.plot({
      width: 300,
      height: 60 + m * 22,
      marginLeft: 110,
      marginBottom: 90,
      style: { background: 'transparent', color: 'var(--fg)', fontSize: '10px' },
      x: { domain: names, tickRotate: -45, label: null },
      y: { domain: names, label: null },
      color: { scheme: 'oranges', domain: [0, Math.max(0.01, ...values)] },
      marks: [Plot.cell(data, { x: 'b', y: 'a', fill: 'v', title: (d: { a: string; b: string; v: number }) => `${d.a} × ${d.b}: ${(d.v * 100).toFixed(1)}% conflicts` })],
    });
  }, [names, values]);
  return <figure className="ta-matrix" aria-label="Conflict matrix" ref={ref} />;
}
