// Capacity planning per capability: forecast demand (tasks per hour and busy slot-hours) from
// its hourly history with Holt-Winters (forecast.ts), score the method on the last day it did
// not see (MAPE), and turn each forecast hour into the slots that keep the queue-wait quantile
// under the target (Erlang C, erlang.ts). Hours that need more than the fleet has now are
// merged into shortfalls: "typescript needs 3 more slots Mon 09–12".
import { slotsNeeded } from "./erlang";
import { backtest, fitHoltWinters, forecast, seasonFor } from "./forecast";

export interface CapacityInput {
  capability: string;
  /** Start of the first hour of history, hour-aligned epoch ms; the series run to now. */
  firstHour: number;
  submitted: readonly number[];
  busySlotHours: readonly number[];
  /** Mean run time of its attempts, if any ran. */
  serviceMs: number | null;
  /** Slots connected agents with the capability offer now. */
  slotsNow: number;
  targetWaitMs: number;
  quantile?: number;
  horizonHours?: number;
}

export interface Shortfall {
  from: number;
  /** Exclusive. */
  to: number;
  /** Slots needed beyond today's at the worst hour of the span. */
  extra: number;
  peakNeeded: number;
}

export interface CapacityPlan {
  capability: string;
  method: string;
  /** Backtest on the last 24 h of history; null without enough history. */
  mape: number | null;
  backtest: { at: number; actual: number; predicted: number }[];
  forecast: { at: number; submitted: number; busySlotHours: number; slotsNeeded: number }[];
  slotsNow: number;
  serviceMs: number | null;
  peakSlotsNeeded: number;
  shortfalls: Shortfall[];
  /** Hours of history the forecast stands on. */
  historyHours: number;
}

const HOUR = 3_600_000;

export function methodName(n: number): string {
  const m = seasonFor(n);
  return m === 168 ? "Holt-Winters, weekly season" : m === 24 ? "Holt-Winters, daily season" : "exponential smoothing (under 2 days of history)";
}

export function planCapacity(input: CapacityInput): CapacityPlan {
  const n = input.submitted.length;
  const h = input.horizonHours ?? 168;
  const q = input.quantile ?? 0.95;
  const startOfForecast = input.firstHour + n * HOUR;
  const demand = n ? forecast(fitHoltWinters(input.submitted), h) : new Array<number>(h).fill(0);
  const busy = n ? forecast(fitHoltWinters(input.busySlotHours), h) : new Array<number>(h).fill(0);
  const bt = backtest(input.submitted, 24);
  // Mean service time: measured, else implied by busy time over arrivals.
  const totalSubmitted = input.submitted.reduce((a, b) => a + b, 0);
  const totalBusy = input.busySlotHours.reduce((a, b) => a + b, 0);
  const serviceMs = input.serviceMs ?? (totalSubmitted > 0 ? (totalBusy * HOUR) / totalSubmitted : null);
  const rows = demand.map((d, i) => {
    const byQueue = serviceMs ? slotsNeeded(d, serviceMs, input.targetWaitMs, q) : 0;
    // Never fewer than the busy time itself needs (the queue model assumes the mean service time).
    const needed = Math.max(byQueue, Math.ceil(busy[i] - 1e-9));
    return { at: startOfForecast + i * HOUR, submitted: d, busySlotHours: busy[i], slotsNeeded: needed };
  });
  return {
    capability: input.capability,
    method: methodName(n),
    mape: bt.mape,
    backtest: bt.predicted.map((p, i) => ({ at: input.firstHour + (n - 24 + i) * HOUR, actual: input.submitted[n - 24 + i], predicted: p })),
    forecast: rows,
    slotsNow: input.slotsNow,
    serviceMs,
    peakSlotsNeeded: rows.reduce((m, r) => Math.max(m, r.slotsNeeded), 0),
    shortfalls: shortfallsOf(rows, input.slotsNow),
    historyHours: n,
  };
}

/** Hours that need more slots than there are, merged when at most `gapHours` apart. */
export function shortfallsOf(rows: readonly { at: number; slotsNeeded: number }[], slotsNow: number, gapHours = 1): Shortfall[] {
  const out: Shortfall[] = [];
  for (const r of rows) {
    const extra = r.slotsNeeded - slotsNow;
    if (extra <= 0) continue;
    const last = out.at(-1);
    if (last && r.at - last.to <= gapHours * HOUR) {
      last.to = r.at + HOUR;
      last.extra = Math.max(last.extra, extra);
      last.peakNeeded = Math.max(last.peakNeeded, r.slotsNeeded);
    } else out.push({ from: r.at, to: r.at + HOUR, extra, peakNeeded: r.slotsNeeded });
  }
  return out;
}

/** Formatters per time zone (making one costs far more than formatting with it). */
const FORMATS = new Map<string, { day: Intl.DateTimeFormat; hour: Intl.DateTimeFormat }>();
function formatsFor(timeZone: string) {
  let f = FORMATS.get(timeZone);
  if (!f) {
    f = { day: new Intl.DateTimeFormat("en-GB", { weekday: "short", timeZone }), hour: new Intl.DateTimeFormat("en-GB", { hour: "2-digit", hourCycle: "h23", timeZone }) };
    if (FORMATS.size > 100) FORMATS.clear();
    FORMATS.set(timeZone, f);
  }
  return f;
}

/** "Mon 09–12" in the given time zone (an IANA name); a day or longer: "from Tue 22:00 for 3 days". */
export function spanText(from: number, to: number, timeZone = "UTC"): string {
  const { day, hour } = formatsFor(timeZone);
  if (to - from >= 24 * HOUR) {
    const days = (to - from) / (24 * HOUR);
    return `from ${day.format(from)} ${hour.format(from)}:00 for ${days >= 2 ? `${Math.round(days)} days` : `${Math.round((to - from) / HOUR)} h`}`;
  }
  const endDay = day.format(to - 1);
  const end = hour.format(to) === "00" ? "24" : hour.format(to);
  return endDay === day.format(from) ? `${day.format(from)} ${hour.format(from)}–${end}` : `${day.format(from)} ${hour.format(from)}–${endDay} ${end}`;
}

export function shortfallText(capability: string, s: Shortfall, timeZone = "UTC"): string {
  return `${capability} needs ${s.extra} more slot${s.extra === 1 ? "" : "s"} ${spanText(s.from, s.to, timeZone)}`;
}
