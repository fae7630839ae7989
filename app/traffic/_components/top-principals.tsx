import type { TrafficStats } from "@/lib/client/use-traffic-stats";

/** Who made the most requests in the window, with a bar relative to the busiest. */
export function TopPrincipals({ principals }: { principals: TrafficStats["principals"] }) {
  if (principals.length === 0) return <p className="text-sm text-muted">No signed-in callers in this window.</p>;
  const max = principals[0].count || 1;
  return (
    <ol className="space-y-2" data-testid="top-principals">
      {principals.map((p) => (
        <li key={p.principal} data-testid="principal-row" data-principal={p.principal} className="min-w-0">
          <div className="flex items-baseline justify-between gap-2 text-sm">
            <span className="min-w-0 truncate" title={p.principal}>
              {p.principal}
            </span>
            <span className="shrink-0 tabular-nums text-muted">{p.count}</span>
          </div>
          <div className="mt-1 h-1.5 overflow-hidden rounded-full bg-surface-2">
            <div className="h-full rounded-full bg-indigo-500" style={{ width: `${(p.count / max) * 100}%` }} />
          </div>
        </li>
      ))}
    </ol>
  );
}
