import type { AnalyticsSummary, InsightDimension } from "@/lib/api";
import { Loading } from "@/components/panel";
import { ChangeBadge } from "@/components/insight/change-badge";
import { breakdownFigures, figureCell } from "@/components/insight/stat-columns";

/** Shared by the header and the rows from md up; cards of figures below. */
const GRID = "md:grid md:grid-cols-[minmax(7rem,1.3fr)_repeat(7,minmax(0,1fr))] md:items-start md:gap-3";

const EMPTY: Record<InsightDimension, string> = {
  capability: "No tasks in this range.",
  template: "No workflow tasks in this range: tasks submitted by workflow runs are counted per template version.",
  agent: "No agent ran a task in this range.",
  label: "No labelled tasks in this range.",
};

/** Each key of the dimension: its figures now and how they moved from the previous period. */
export function BreakdownTable({ rows, dimension, loading, previous }: { rows: AnalyticsSummary["breakdown"]; dimension: InsightDimension; loading: boolean; previous: string }) {
  if (loading) return <Loading label={`Loading the breakdown by ${dimension}…`} />;
  if (rows.length === 0) return <p className="text-sm text-muted" data-testid="breakdown-empty">{EMPTY[dimension]}</p>;
  const figures = breakdownFigures(dimension);
  return (
    <>
      <p className="mb-2 text-xs text-muted">Each figure with its change from {previous}.</p>
      <div className={`hidden border-b border-line pb-1 text-xs font-medium tracking-wide text-muted uppercase ${GRID}`}>
        <span className="normal-case">{dimension}</span>
        {figures.map((f) => (
          <span key={f.name} title={f.hint} className="text-right">
            {f.label}
          </span>
        ))}
      </div>
      <ul className="space-y-2 md:space-y-0" data-testid="breakdown-table" data-dimension={dimension}>
        {rows.map((r) => (
          <li key={r.key} data-testid="breakdown-row" data-key={r.key} className={`min-w-0 rounded-md border border-line px-3 py-2 md:rounded-none md:border-x-0 md:border-t-0 md:px-0 ${GRID}`}>
            <div className="min-w-0 font-medium break-words md:text-sm">{r.label}</div>
            <dl className="mt-1.5 grid grid-cols-2 gap-x-4 gap-y-1.5 text-sm tabular-nums sm:grid-cols-4 md:contents">
              {figures.map((f) => {
                const c = figureCell(f, r.now, r.previous);
                return (
                  <div key={f.name} className="min-w-0 md:text-right" data-figure={f.name} data-value={c.raw ?? ""}>
                    <dt className="text-xs text-muted md:sr-only">{f.label}</dt>
                    <dd className="flex flex-wrap items-baseline gap-x-1.5 md:flex-col md:items-end">
                      <span data-testid="figure-value">{c.text}</span>
                      <ChangeBadge change={c.change} />
                    </dd>
                  </div>
                );
              })}
            </dl>
          </li>
        ))}
      </ul>
    </>
  );
}
