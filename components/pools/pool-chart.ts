// A pool's last half hour as chart rows, from its recorded decisions: the agents it had (a step
// at each decision, from → to), what demand wanted before min and max, the bounds, the backlog,
// and — when predictive — the forecast's slots as agents. Pure; every value is the server's.
import type { PoolDecisionView } from "@/lib/api/pools";

export const CHART_WINDOW_MS = 30 * 60_000;

export interface PoolChartRow {
  at: number;
  /** Agents (starting and running) the pool had: `from` just before a decision, `to` after. */
  current: number;
  /** What demand asked for before min and max (the decision's `wanted`). */
  desired: number;
  min: number;
  max: number;
  backlog: number;
  /** The forecast's slots in agents (rounded up, as the autoscaler does); null when not predictive. */
  forecast: number | null;
}

export interface PoolChartInput {
  /** Any order (the API answers newest first). */
  decisions: readonly PoolDecisionView[];
  now: number;
  windowMs?: number;
  min: number;
  max: number;
  slotsPerAgent: number;
  /** The pool as it is now: the line ends at `now` with these. */
  current: number;
  backlog: number;
}

const agentsFor = (slots: number | null, perAgent: number) => (slots == null ? null : Math.ceil(slots / Math.max(1, perAgent) - 1e-9));

export function poolChartRows(input: PoolChartInput): PoolChartRow[] {
  const { now, min, max } = input;
  const from = now - (input.windowMs ?? CHART_WINDOW_MS);
  const decisions = input.decisions.filter((d) => d.at >= from && d.at <= now).sort((a, b) => a.at - b.at || a.id - b.id);
  const rows: PoolChartRow[] = [];
  for (const d of decisions) {
    const base = { at: d.at, desired: d.wanted, min, max, backlog: d.backlog, forecast: agentsFor(d.forecastSlots, input.slotsPerAgent) };
    const before = rows.at(-1)?.current ?? d.to;
    // The vertical part of the step: what the pool had when it decided, then what it decided.
    if (d.from !== before) rows.push({ ...base, current: d.from });
    rows.push({ ...base, current: d.to });
  }
  const last = rows.at(-1);
  if (last && now > last.at) rows.push({ ...last, at: now, current: input.current, backlog: input.backlog });
  return rows;
}

/** Whether any row has a forecast (the line and its legend entry show only then). */
export const hasForecast = (rows: readonly PoolChartRow[]) => rows.some((r) => r.forecast != null);

/**
 * The top of the agents axis: room for max, for every agent count and forecast, and for what
 * demand wanted — but at most twice max, so one huge burst does not flatten the rest (the
 * desired line is cut at the top then; the decision log has its number).
 */
export function agentAxisMax(rows: readonly PoolChartRow[], max: number): number {
  let top = Math.max(1, max);
  for (const r of rows) top = Math.max(top, r.current, r.forecast ?? 0, Math.min(r.desired, 2 * Math.max(1, max)));
  return top;
}

/**
 * Rows for drawing: `desiredShown` is the wish cut at the axis top, so a wish beyond it runs
 * along the top edge instead of vanishing (the tooltip still says `desired`).
 */
export function drawnRows(rows: readonly PoolChartRow[], top: number): (PoolChartRow & { desiredShown: number })[] {
  return rows.map((r) => ({ ...r, desiredShown: Math.min(r.desired, top) }));
}

/** The chart in one sentence, for screen readers. */
export function chartSummary(rows: readonly PoolChartRow[], windowMs = CHART_WINDOW_MS): string {
  const minutes = Math.round(windowMs / 60_000);
  if (rows.length === 0) return `No decisions in the last ${minutes} min.`;
  const agents = rows.map((r) => r.current);
  const lo = Math.min(...agents);
  const hi = Math.max(...agents);
  const peak = Math.max(...rows.map((r) => r.backlog));
  const { min, max } = rows[rows.length - 1];
  const had = lo === hi ? `${hi} ${hi === 1 ? "agent" : "agents"}` : `between ${lo} and ${hi} agents`;
  return `Over the last ${minutes} min the pool had ${had} (min ${min}, max ${max}); the backlog peaked at ${peak} ${peak === 1 ? "task" : "tasks"}.`;
}

/** The narrowest the time axis gets: a pool a minute old still reads as a line, not a sliver. */
export const MIN_SPAN_MS = 2 * 60_000;

/**
 * The time axis: the last 30 min, or less when the decisions begin later (a new pool), so
 * they fill the chart instead of a sliver at its right edge.
 */
export function chartDomain(rows: readonly PoolChartRow[], now: number, windowMs = CHART_WINDOW_MS): [number, number] {
  const first = rows[0]?.at ?? now - windowMs;
  return [Math.max(now - windowMs, Math.min(first, now - MIN_SPAN_MS)), now];
}

const TICK_STEPS = [15_000, 30_000, 60_000, 120_000, 300_000, 600_000];

/** Round times on the axis, at most `max` of them, on the browser's clock (`offsetMs` east of UTC). */
export function chartTicks(from: number, to: number, max = 6, offsetMs = -new Date(from).getTimezoneOffset() * 60_000): { ticks: number[]; stepMs: number } {
  const stepMs = TICK_STEPS.find((s) => (to - from) / s <= max) ?? TICK_STEPS[TICK_STEPS.length - 1];
  const ticks: number[] = [];
  for (let t = Math.ceil((from + offsetMs) / stepMs) * stepMs - offsetMs; t <= to; t += stepMs) ticks.push(t);
  return { ticks, stepMs };
}

/** "14:05", or "14:05:30" when the ticks are less than a minute apart. */
export function tickLabel(at: number, stepMs: number, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: stepMs < 60_000 ? "2-digit" : undefined, hourCycle: "h23", timeZone }).format(at);
}
