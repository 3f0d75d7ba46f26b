/** A histogram as inline SVG bars; heights relative to the largest bin. */
export function Sparkline({ counts, width = 96, height = 22, label }: { counts: readonly number[]; width?: number; height?: number; label: string }) {
  const max = Math.max(1, ...counts);
  const bar = width / Math.max(1, counts.length);
  return (
    <svg className="grid-sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      {counts.map((count, i) => {
        const h = count === 0 ? 0 : Math.max(1, (count / max) * height);
        return <rect key={i} x={i * bar + 0.5} y={height - h} width={Math.max(1, bar - 1)} height={h} />;
      })}
    </svg>
  );
}
