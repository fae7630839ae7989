// Time arithmetic of the run view: elapsed times and the Gantt chart's geometry. Pure; callers
// pass `now`, so running steps and runs tick by re-rendering with a new `now`.
import type { StepStatus } from "@/lib/api";
import { stepDuration } from "./critical-path";

export interface GanttStep {
  id: string;
  title: string;
  status: StepStatus;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface GanttRow {
  id: string;
  title: string;
  status: StepStatus;
  /** Milliseconds after the earliest start. */
  offset: number;
  duration: number;
  open: boolean;
}

export interface GanttChart {
  rows: GanttRow[];
  /** The earliest start; 0 when nothing started. */
  origin: number;
  /** From the earliest start to the latest end (or now), at least 1 ms. */
  span: number;
  /** Steps with no bar because they never started. */
  notStarted: number;
}

/** One bar per started step, ordered by start, aligned to the earliest start. */
export function ganttChart(steps: readonly GanttStep[], now: number): GanttChart {
  const started = steps.filter((s) => s.startedAt != null);
  if (started.length === 0) return { rows: [], origin: 0, span: 1, notStarted: steps.length };
  const origin = Math.min(...started.map((s) => s.startedAt!));
  let end = origin;
  const rows = started
    .map((s) => {
      const duration = stepDuration(s, now);
      end = Math.max(end, s.startedAt! + duration);
      return { id: s.id, title: s.title, status: s.status, offset: s.startedAt! - origin, duration, open: s.finishedAt == null };
    })
    .sort((a, b) => a.offset - b.offset || (a.id < b.id ? -1 : 1));
  return { rows, origin, span: Math.max(1, end - origin), notStarted: steps.length - started.length };
}

const TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 21_600, 43_200, 86_400].map((s) => s * 1000);

/** Axis ticks (ms after the origin) at a round interval, at most `max` of them, 0 included. */
export function ganttTicks(span: number, max = 8): number[] {
  const step = TICK_STEPS.find((t) => span / t <= max) ?? Math.ceil(span / max / 86_400_000) * 86_400_000;
  const out: number[] = [];
  for (let t = 0; t <= span; t += step) out.push(t);
  return out;
}

/** "0s", "30s", "1m", "1m30s", "2h" — short labels for axis ticks. */
export function formatTick(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
}

/** How long a run has taken (so far). */
export function runElapsed(run: { createdAt: number; finishedAt: number | null }, now: number): number {
  return Math.max(0, (run.finishedAt ?? now) - run.createdAt);
}
