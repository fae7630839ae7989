import type { AnalyticsSummary, InsightRange } from "@/lib/api";
import { ChangeBadge } from "@/components/insight/change-badge";
import { RANGE_LABEL } from "@/components/insight/format";
import { figureCell, KPI_FIGURES } from "@/components/insight/stat-columns";

/** The fleet's headline figures over the range, each with its change from the period before. */
export function KpiCards({ fleet, range }: { fleet: AnalyticsSummary["fleet"]; range: InsightRange }) {
  return (
    <dl className="grid grid-cols-2 gap-1.5 sm:grid-cols-3 sm:gap-2 xl:grid-cols-6" data-testid="kpi-cards">
      {KPI_FIGURES.map((f) => {
        const c = figureCell(f, fleet.now, fleet.previous);
        return (
          <div key={c.name} data-testid={`kpi-${c.name}`} data-value={c.raw ?? ""} title={c.hint} className="min-w-0 rounded-lg border border-line bg-surface px-3 py-2.5">
            <dt className="truncate text-xs font-medium text-muted">{c.label}</dt>
            <dd className="mt-1 flex min-w-0 flex-wrap items-baseline gap-x-2 gap-y-0.5">
              <span className="truncate text-xl font-semibold tabular-nums sm:text-2xl" data-testid="kpi-value">
                {c.text}
              </span>
              <ChangeBadge change={c.change} testId="kpi-change" />
            </dd>
            <dd className="mt-0.5 truncate text-xs text-muted">
              <span className="sm:hidden">before: </span>
              <span className="hidden sm:inline">{RANGE_LABEL[range].previous}: </span>
              <span className="tabular-nums" data-testid="kpi-previous">
                {c.previousText}
              </span>
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
