import { trendPoints } from "./format";

/** An error group's occurrences per slot over the range, as a small line; the numbers are in its label. */
export function TrendSparkline({ counts, label, width = 120, height = 28 }: { counts: readonly number[]; label: string; width?: number; height?: number }) {
  const points = trendPoints(counts, width, height);
  return (
    <svg role="img" aria-label={label} width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="shrink-0 overflow-visible" data-testid="error-trend" data-points={counts.length}>
      <title>{label}</title>
      <line x1="0" x2={width} y1={height - 0.5} y2={height - 0.5} stroke="var(--line)" strokeWidth="1" />
      {points && <polyline points={points} fill="none" stroke="#e11d48" strokeWidth="1.5" strokeLinejoin="round" />}
    </svg>
  );
}
