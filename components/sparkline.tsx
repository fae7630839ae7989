import type { ResourceSample } from "@/lib/api";

/**
 * CPU (blue) and memory (violet) over recent samples, as two polylines in a tiny SVG. Plain SVG
 * rather than a chart library so a grid of hundreds stays cheap. CPU is scaled to at least 100%;
 * memory to its own range, so a change is visible even when it is small.
 */
export function Sparkline({ samples, width = 120, height = 28, className = "" }: { samples: ResourceSample[]; width?: number; height?: number; className?: string }) {
  if (samples.length < 2) {
    return <svg aria-hidden width={width} height={height} className={className} />;
  }
  const t0 = samples[0].at;
  const span = Math.max(1, samples[samples.length - 1].at - t0);
  const x = (at: number) => ((at - t0) / span) * (width - 2) + 1;
  const cpuMax = Math.max(100, ...samples.map((s) => s.cpu));
  let memMin = Infinity;
  let memMax = -Infinity;
  for (const s of samples) {
    memMin = Math.min(memMin, s.memoryMb);
    memMax = Math.max(memMax, s.memoryMb);
  }
  const memSpan = memMax - memMin;
  const yCpu = (v: number) => height - 1 - (v / cpuMax) * (height - 2);
  const yMem = (v: number) => (memSpan === 0 ? height / 2 : height - 1 - ((v - memMin) / memSpan) * (height - 2));
  const cpu = samples.map((s) => `${x(s.at).toFixed(1)},${yCpu(s.cpu).toFixed(1)}`).join(" ");
  const mem = samples.map((s) => `${x(s.at).toFixed(1)},${yMem(s.memoryMb).toFixed(1)}`).join(" ");
  return (
    <svg aria-hidden width={width} height={height} viewBox={`0 0 ${width} ${height}`} className={className}>
      <polyline points={mem} fill="none" stroke="#a78bfa" strokeWidth="1.25" strokeLinejoin="round" />
      <polyline points={cpu} fill="none" stroke="#38bdf8" strokeWidth="1.25" strokeLinejoin="round" />
    </svg>
  );
}
