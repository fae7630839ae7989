import type { TrafficStats } from "@/lib/client/use-traffic-stats";
import { formatP95, formatRate } from "./traffic-format";

interface Card {
  name: string;
  label: string;
  value: (t: TrafficStats["total"]) => string;
  tone: string;
  hint: string;
}

const CARDS: Card[] = [
  { name: "rate", label: "Requests/s", value: (t) => formatRate(t.perSecond), tone: "bg-sky-500", hint: "average over the window" },
  { name: "count", label: "Requests", value: (t) => String(t.count), tone: "bg-indigo-500", hint: "in the window" },
  { name: "p95", label: "p95", value: (t) => formatP95(t.p95Ms, t.count), tone: "bg-violet-500", hint: "95% of requests answered within this" },
  { name: "4xx", label: "4xx", value: (t) => String(t.errors4xx), tone: "bg-amber-500", hint: "refused: bad input, not allowed, not found, rate-limited" },
  { name: "5xx", label: "5xx", value: (t) => String(t.errors5xx), tone: "bg-red-500", hint: "server errors" },
  { name: "429", label: "Rate-limited", value: (t) => String(t.rateLimited), tone: "bg-rose-700", hint: "answered 429 Too Many Requests" },
];

export function TrafficTotals({ total }: { total: TrafficStats["total"] | undefined }) {
  return (
    <dl className="grid grid-cols-3 gap-1.5 sm:gap-2 lg:grid-cols-6">
      {CARDS.map((c) => {
        const value = total ? c.value(total) : null;
        return (
          <div key={c.name} data-testid={`traffic-${c.name}`} data-value={value ?? ""} title={c.hint} className="min-w-0 rounded-lg border border-line bg-surface px-2 py-2 sm:px-3 sm:py-2.5">
            <dt className="flex items-center gap-1.5 truncate text-xs font-medium text-muted">
              <span aria-hidden className={`size-2 shrink-0 rounded-full ${c.tone}`} />
              {c.label}
            </dt>
            <dd className="mt-0.5 truncate text-xl font-semibold tabular-nums sm:mt-1 sm:text-2xl">{value ?? "–"}</dd>
          </div>
        );
      })}
    </dl>
  );
}
