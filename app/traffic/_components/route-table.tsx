import { useMemo } from "react";
import type { TrafficStats } from "@/lib/client/use-traffic-stats";
import { formatP95, formatRate } from "./traffic-format";

type RouteRow = TrafficStats["routes"][number];

/** Column template shared by the header and the rows (md and wider). */
const GRID = "md:grid md:grid-cols-[minmax(0,1fr)_5.5rem_5rem_6rem_3.5rem_3.5rem_3.5rem] md:items-center md:gap-3";

/** `alarm`: the cell stands out when this is true. */
const COLUMNS: { label: string; title: string; value: (r: RouteRow) => string; alarm?: (r: RouteRow) => boolean }[] = [
  { label: "Requests", title: "requests in the window", value: (r) => String(r.count) },
  { label: "req/s", title: "requests per second", value: (r) => formatRate(r.perSecond) },
  { label: "p95", title: "95th percentile latency (upper bound)", value: (r) => formatP95(r.p95Ms, r.count) },
  { label: "4xx", title: "client errors", value: (r) => String(r.errors4xx), alarm: (r) => r.errors4xx > 0 },
  { label: "5xx", title: "server errors", value: (r) => String(r.errors5xx), alarm: (r) => r.errors5xx > 0 },
  { label: "429", title: "rate-limited", value: (r) => String(r.rateLimited), alarm: (r) => r.rateLimited > 0 },
];

/** Routes by request count: a table from md up, cards of six numbers below. */
export function RouteTable({ routes }: { routes: RouteRow[] }) {
  const sorted = useMemo(() => [...routes].sort((a, b) => b.count - a.count || a.route.localeCompare(b.route)), [routes]);
  if (sorted.length === 0) return <p className="text-sm text-muted">No requests in this window.</p>;
  return (
    <>
      <div className={`hidden border-b border-line pb-1 text-xs font-medium tracking-wide text-muted uppercase ${GRID}`}>
        <span>Route</span>
        {COLUMNS.map((c) => (
          <span key={c.label} title={c.title} className="text-right">
            {c.label}
          </span>
        ))}
      </div>
      <ul className="space-y-2 md:space-y-0" data-testid="route-table">
        {sorted.map((r) => (
          <li key={r.route} data-testid="route-row" data-route={r.route} className={`rounded-md border border-line px-3 py-2 md:rounded-none md:border-x-0 md:border-t-0 md:px-0 ${GRID}`}>
            <div className="min-w-0 font-mono text-xs break-all md:text-sm">{r.route}</div>
            <dl className="mt-1.5 grid grid-cols-3 gap-x-3 gap-y-1 text-sm tabular-nums md:contents">
              {COLUMNS.map((c) => (
                <div key={c.label} className="flex items-baseline justify-between gap-1 md:block md:text-right">
                  <dt className="text-xs text-muted md:sr-only">{c.label}</dt>
                  <dd className={c.alarm?.(r) ? "font-medium text-red-700 dark:text-red-300" : ""}>{c.value(r)}</dd>
                </div>
              ))}
            </dl>
          </li>
        ))}
      </ul>
    </>
  );
}
