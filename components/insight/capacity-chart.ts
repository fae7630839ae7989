// A capability's capacity plan as chart rows: what happened (history), what the model would have
// said for the last day (backtest) and what it says for the next day or week (forecast), and the
// slots needed hour by hour against the slots there are. Pure; every value is the server's.
import type { AnalyticsCapacity } from "@/lib/api";

type Plan = AnalyticsCapacity["capabilities"][number];

export type Horizon = "24h" | "7d";
export const HORIZON_HOURS: Record<Horizon, number> = { "24h": 24, "7d": 168 };
const HOUR = 3_600_000;

export function isHorizon(v: unknown): v is Horizon {
  return v === "24h" || v === "7d";
}

export interface DemandRow {
  at: number;
  actual: number | null;
  predicted: number | null;
  forecast: number | null;
}

/**
 * Tasks per hour: as much history before now as the horizon looks ahead (a day back for the
 * next day, a week for the next week), the backtest over it, then the forecast.
 */
export function demandRows(plan: Plan, horizon: Horizon): DemandRow[] {
  const hours = HORIZON_HOURS[horizon];
  const rows = new Map<number, DemandRow>();
  const row = (at: number) => {
    let r = rows.get(at);
    if (!r) rows.set(at, (r = { at, actual: null, predicted: null, forecast: null }));
    return r;
  };
  const forecast = plan.forecast.slice(0, hours);
  const start = (forecast[0]?.at ?? (plan.history.at(-1)?.at ?? 0) + HOUR) - hours * HOUR;
  for (const h of plan.history) if (h.at >= start) row(h.at).actual = h.submitted;
  for (const b of plan.backtest) if (b.at >= start) {
    const r = row(b.at);
    r.predicted = b.predicted;
    if (r.actual == null) r.actual = b.actual;
  }
  for (const f of forecast) row(f.at).forecast = f.submitted;
  return [...rows.values()].sort((a, b) => a.at - b.at);
}

export interface SlotRow {
  at: number;
  needed: number;
  /** The slots connected now, on every row so it draws as a line beside the need. */
  now: number;
}

export function slotRows(plan: Plan, horizon: Horizon): SlotRow[] {
  return plan.forecast.slice(0, HORIZON_HOURS[horizon]).map((f) => ({ at: f.at, needed: f.slotsNeeded, now: plan.slotsNow }));
}

/** The shortfalls that begin within the horizon, and how many begin after it. */
export function shortfallsWithin(plan: Plan, horizon: Horizon): { shown: Plan["shortfalls"]; later: number } {
  const first = plan.forecast[0]?.at;
  if (first == null) return { shown: plan.shortfalls, later: 0 };
  const end = first + HORIZON_HOURS[horizon] * HOUR;
  const shown = plan.shortfalls.filter((s) => s.from < end);
  return { shown, later: plan.shortfalls.length - shown.length };
}

/** The most slots the forecast asks for within the horizon. */
export function peakWithin(plan: Plan, horizon: Horizon): number | null {
  const f = plan.forecast.slice(0, HORIZON_HOURS[horizon]);
  return f.length ? Math.max(...f.map((p) => p.slotsNeeded)) : null;
}
