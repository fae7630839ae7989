// API request durations for /metrics, fed by the same `finish` hook that keeps the Traffic page's
// per-route stats (server/app.ts), with the same route names turned into bounded labels.
import { Histogram, type Registry } from "prom-client";
import { methodLabel, routeLabel } from "./bounded-labels";

/** Seconds: 1 ms answers to 60 s long-polls (the longest `wait` a claim or inbox read takes). */
export const HTTP_SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class HttpMetrics {
  private readonly duration: Histogram<"method" | "route" | "status">;
  /** Label sets are few (routes × methods × statuses) and each is hashed once, not per request. */
  private readonly children = new Map<string, { observe(v: number): void }>();

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: "switchboard_http_request_duration_seconds",
      help: "API requests (REST, tRPC, MCP, auth, /metrics) by method, route template and status; a batched tRPC call counts once per procedure.",
      labelNames: ["method", "route", "status"],
      buckets: HTTP_SECONDS_BUCKETS,
      registers: [registry],
    });
  }

  /** `routes` are request tracking's names for the request (several for a tRPC batch). */
  observe(method: string | undefined, routes: readonly string[], status: number, ms: number) {
    const m = methodLabel(method);
    for (const r of routes) {
      // Keyed by the label, not the raw name: a raw name (an unknown tRPC path) is unbounded.
      const route = routeLabel(r);
      const key = `${m} ${route} ${status}`;
      let c = this.children.get(key);
      if (!c) this.children.set(key, (c = this.duration.labels(m, route, String(status))));
      c.observe(ms / 1000);
    }
  }
}
