// Request tracking in a bounded, aggregated form: per route (a template such as
// `POST /api/v1/tasks/:id/cancel` or `trpc tasks.find`, never a raw URL) and per minute, the
// count, status classes, rate-limited answers and a latency histogram — enough for
// requests/s, p95 per route and error counts over the last hour, in constant memory.
import type { Clock } from "@/server/core/clock";

/** Upper bounds (ms) of the latency buckets; the last catches everything slower. */
export const LATENCY_BOUNDS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, Infinity];
const MINUTE = 60_000;
const KEEP_MINUTES = 60;
const MAX_ROUTES = 200;
const OTHER = "other";

interface Cell {
  count: number;
  e4xx: number;
  e5xx: number;
  limited: number;
  hist: number[];
}

export interface RouteStats {
  route: string;
  count: number;
  perSecond: number;
  p95Ms: number;
  errors4xx: number;
  errors5xx: number;
  rateLimited: number;
}

export interface GatewayStats {
  windowMinutes: number;
  total: { count: number; perSecond: number; errors4xx: number; errors5xx: number; rateLimited: number; p95Ms: number };
  routes: RouteStats[];
  /** One point per minute, oldest first. */
  timeline: { at: number; count: number; errors4xx: number; errors5xx: number; rateLimited: number }[];
  principals: { principal: string; count: number }[];
}

const emptyCell = (): Cell => ({ count: 0, e4xx: 0, e5xx: 0, limited: 0, hist: LATENCY_BOUNDS.map(() => 0) });

/** The 95th percentile from a histogram: the upper bound of the bucket it falls in. */
export function p95(hist: number[]): number {
  const total = hist.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i];
    if (seen >= total * 0.95) return Number.isFinite(LATENCY_BOUNDS[i]) ? LATENCY_BOUNDS[i] : LATENCY_BOUNDS[i - 1];
  }
  return LATENCY_BOUNDS[LATENCY_BOUNDS.length - 2];
}

export class RequestStats {
  /** minute start → route → cell */
  private minutes = new Map<number, Map<string, Cell>>();
  /** minute start → principal → count (top callers) */
  private callers = new Map<number, Map<string, number>>();
  private routes = new Set<string>();

  constructor(private readonly clock: Clock) {}

  record(route: string, status: number, ms: number, principal: string | null) {
    const minute = Math.floor(this.clock.now() / MINUTE) * MINUTE;
    let cells = this.minutes.get(minute);
    if (!cells) {
      cells = new Map();
      this.minutes.set(minute, cells);
      this.forgetBefore(minute - KEEP_MINUTES * MINUTE);
    }
    if (!this.routes.has(route)) {
      if (this.routes.size >= MAX_ROUTES) route = OTHER;
      else this.routes.add(route);
    }
    let c = cells.get(route);
    if (!c) cells.set(route, (c = emptyCell()));
    c.count++;
    if (status === 429) c.limited++;
    if (status >= 400 && status < 500) c.e4xx++;
    if (status >= 500) c.e5xx++;
    let i = 0;
    while (ms > LATENCY_BOUNDS[i]) i++;
    c.hist[i]++;
    if (principal) {
      let m = this.callers.get(minute);
      if (!m) this.callers.set(minute, (m = new Map()));
      if (m.has(principal) || m.size < 1000) m.set(principal, (m.get(principal) ?? 0) + 1);
    }
  }

  snapshot(windowMinutes = 15): GatewayStats {
    const now = this.clock.now();
    const current = Math.floor(now / MINUTE) * MINUTE;
    const first = current - (windowMinutes - 1) * MINUTE;
    // Seconds covered: whole past minutes plus the elapsed part of this one.
    const seconds = Math.max(1, ((windowMinutes - 1) * MINUTE + (now - current)) / 1000);
    const perRoute = new Map<string, Cell>();
    const all = emptyCell();
    const timeline: GatewayStats["timeline"] = [];
    const callers = new Map<string, number>();
    for (let m = first; m <= current; m += MINUTE) {
      const point = { at: m, count: 0, errors4xx: 0, errors5xx: 0, rateLimited: 0 };
      for (const [route, c] of this.minutes.get(m) ?? []) {
        const agg = perRoute.get(route) ?? emptyCell();
        perRoute.set(route, agg);
        for (const target of [agg, all]) {
          target.count += c.count;
          target.e4xx += c.e4xx;
          target.e5xx += c.e5xx;
          target.limited += c.limited;
          c.hist.forEach((n, i) => (target.hist[i] += n));
        }
        point.count += c.count;
        point.errors4xx += c.e4xx;
        point.errors5xx += c.e5xx;
        point.rateLimited += c.limited;
      }
      for (const [p, n] of this.callers.get(m) ?? []) callers.set(p, (callers.get(p) ?? 0) + n);
      timeline.push(point);
    }
    const routes = [...perRoute]
      .map(([route, c]) => ({ route, count: c.count, perSecond: c.count / seconds, p95Ms: p95(c.hist), errors4xx: c.e4xx, errors5xx: c.e5xx, rateLimited: c.limited }))
      .sort((a, b) => b.count - a.count);
    return {
      windowMinutes,
      total: { count: all.count, perSecond: all.count / seconds, errors4xx: all.e4xx, errors5xx: all.e5xx, rateLimited: all.limited, p95Ms: p95(all.hist) },
      routes,
      timeline,
      principals: [...callers].map(([principal, count]) => ({ principal, count })).sort((a, b) => b.count - a.count).slice(0, 20),
    };
  }

  private forgetBefore(t: number) {
    for (const m of this.minutes.keys()) if (m < t) this.minutes.delete(m);
    for (const m of this.callers.keys()) if (m < t) this.callers.delete(m);
  }
}
