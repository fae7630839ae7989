import { boundsBar } from "./pool-bounds";

/** Agents there are (solid) and wanted (outline) on a bar from 0 to max, min marked with a tick. */
export function BoundsBar({ current, desired, min, max }: { current: number; desired: number; min: number; max: number }) {
  const b = boundsBar(current, desired, min, max);
  return (
    <div className="relative h-2 w-full min-w-16 overflow-hidden rounded-full bg-surface-2" aria-hidden data-testid="pool-bar">
      <div className="absolute inset-y-0 left-0 rounded-full border border-sky-500/70" style={{ width: `${b.desiredPct}%` }} />
      <div className={`absolute inset-y-0 left-0 rounded-full ${b.over ? "bg-amber-500" : "bg-sky-500"} transition-[width] duration-300`} style={{ width: `${b.currentPct}%` }} />
      {min > 0 && <div className="absolute inset-y-0 w-0.5 bg-fg/60" style={{ left: `calc(${b.minPct}% - 1px)` }} />}
    </div>
  );
}
