// Which figures of a Stat the analytics page shows, how each reads, and which way is better —
// one table for the KPI cards and the breakdown columns, so both agree. Pure.
import type { StatView } from "@/lib/api";
import { change, formatMs, formatPerHour, formatRatio, formatNumber, type Change, type ChangeKind } from "./format";

export interface StatFigure {
  name: string;
  label: string;
  hint: string;
  value: (s: StatView) => number | null;
  format: (v: number | null) => string;
  better: "up" | "down" | "neither";
  kind: ChangeKind;
}

const ms = (name: string, label: string, hint: string, value: (s: StatView) => number | null): StatFigure => ({ name, label, hint, value, format: formatMs, better: "down", kind: "relative" });

export const FIGURES = {
  throughput: { name: "throughput", label: "Throughput", hint: "tasks finished per hour", value: (s) => s.throughputPerHour, format: formatPerHour, better: "up", kind: "relative" },
  submitted: { name: "submitted", label: "Submitted", hint: "tasks submitted", value: (s) => s.submitted, format: formatNumber, better: "neither", kind: "relative" },
  started: { name: "started", label: "Started", hint: "attempts started (a task is an agent's from its start)", value: (s) => s.started, format: formatNumber, better: "neither", kind: "relative" },
  success: { name: "success", label: "Success rate", hint: "succeeded of the tasks that ended (succeeded, failed or dead)", value: (s) => s.successRate, format: formatRatio, better: "up", kind: "points" },
  waitP50: ms("wait-p50", "Queue wait p50", "half of the tasks waited at most this long for an agent", (s) => s.waitP50Ms),
  waitP95: ms("wait-p95", "Queue wait p95", "95 % of the tasks waited at most this long", (s) => s.waitP95Ms),
  waitP99: ms("wait-p99", "Queue wait p99", "99 % of the tasks waited at most this long", (s) => s.waitP99Ms),
  runP50: ms("run-p50", "Run time p50", "half of the attempts ran at most this long", (s) => s.runP50Ms),
  runP95: ms("run-p95", "Run time p95", "95 % of the attempts ran at most this long", (s) => s.runP95Ms),
  utilisation: { name: "utilisation", label: "Utilisation", hint: "busy slot-time over the slot-time agents offered", value: (s) => s.utilisation, format: formatRatio, better: "neither", kind: "points" },
} satisfies Record<string, StatFigure>;

/** The KPI cards, in order. */
export const KPI_FIGURES: readonly StatFigure[] = [FIGURES.throughput, FIGURES.success, FIGURES.waitP50, FIGURES.waitP95, FIGURES.waitP99, FIGURES.runP50];

/** The breakdown table's columns, in order. */
export const BREAKDOWN_FIGURES: readonly StatFigure[] = [FIGURES.submitted, FIGURES.throughput, FIGURES.success, FIGURES.waitP50, FIGURES.waitP95, FIGURES.runP50, FIGURES.utilisation];

/** Per agent the first column counts starts: a task is submitted before any agent has it. */
const AGENT_FIGURES: readonly StatFigure[] = [FIGURES.started, ...BREAKDOWN_FIGURES.slice(1)];

export const breakdownFigures = (dimension: string): readonly StatFigure[] => (dimension === "agent" ? AGENT_FIGURES : BREAKDOWN_FIGURES);

export interface FigureCell {
  name: string;
  label: string;
  hint: string;
  raw: number | null;
  text: string;
  previousText: string;
  change: Change;
}

/** One figure now, with its change from the previous period. */
export function figureCell(f: StatFigure, now: StatView, previous: StatView): FigureCell {
  const raw = f.value(now);
  const before = f.value(previous);
  return {
    name: f.name,
    label: f.label,
    hint: f.hint,
    raw,
    text: f.format(raw),
    previousText: f.format(before),
    change: change(raw, before, { kind: f.kind, better: f.better, format: (v) => f.format(v) }),
  };
}
