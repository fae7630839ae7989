import type { ReactNode } from "react";
import type { AnalyticsSummary } from "@/lib/api";
import { formatRatio } from "@/components/insight/format";
import { workflowRow } from "@/components/insight/workflow-rows";

const GRID = "lg:grid lg:grid-cols-[minmax(9rem,1.2fr)_4rem_6rem_5.5rem_5.5rem_minmax(9rem,1.2fr)_minmax(10rem,1.4fr)_6rem] lg:items-start lg:gap-3";

const HEAD: { label: string; title: string; right?: boolean }[] = [
  { label: "Template", title: "template name @ version" },
  { label: "Runs", title: "finished runs", right: true },
  { label: "Success", title: "succeeded of the finished runs", right: true },
  { label: "p50", title: "run duration, median", right: true },
  { label: "p95", title: "run duration, 95th percentile", right: true },
  { label: "Critical step", title: "the step that most often was the longest on the critical path, how often, and its median duration" },
  { label: "Gates", title: "checks and approvals: passed of decided" },
  { label: "Approval wait", title: "median time an approval waited for a decision", right: true },
];

/** Duration per template version, its critical step, its gates and how long approvals wait. */
export function WorkflowTable({ workflows }: { workflows: AnalyticsSummary["workflows"] }) {
  if (workflows.length === 0) return <p className="text-sm text-muted" data-testid="workflows-empty">No workflow run finished in this range.</p>;
  return (
    <>
      <div className={`hidden border-b border-line pb-1 text-xs font-medium tracking-wide text-muted uppercase ${GRID}`}>
        {HEAD.map((h) => (
          <span key={h.label} title={h.title} className={h.right ? "text-right" : ""}>
            {h.label}
          </span>
        ))}
      </div>
      <ul className="space-y-2 lg:space-y-0" data-testid="workflow-table">
        {workflows.map((w) => {
          const r = workflowRow(w);
          return (
            <li key={r.template} data-testid="workflow-row" data-template={r.template} data-runs={r.runs} className={`min-w-0 rounded-md border border-line px-3 py-2 text-sm lg:rounded-none lg:border-x-0 lg:border-t-0 lg:px-0 ${GRID}`}>
              <div className="min-w-0 font-mono text-xs font-medium break-all lg:pt-0.5">{r.template}</div>
              <dl className="mt-1.5 grid grid-cols-2 gap-x-4 gap-y-1.5 tabular-nums sm:grid-cols-4 lg:contents">
                <Cell label="Runs" right>
                  {r.runs}
                </Cell>
                <Cell label="Success" right>
                  {formatRatio(r.successRate)} <span className="text-xs text-muted">({r.succeeded}/{r.runs})</span>
                </Cell>
                <Cell label="Duration p50" right>
                  {r.durationP50}
                </Cell>
                <Cell label="Duration p95" right>
                  {r.durationP95}
                </Cell>
                <Cell label="Critical step" wide>
                  {r.critical ? (
                    <span data-testid="workflow-critical">
                      <span className="font-mono text-xs">{r.critical.stepId}</span> <span className="text-muted">in {r.critical.share} of runs, p50 {r.critical.p50}</span>
                    </span>
                  ) : (
                    <span className="text-muted">—</span>
                  )}
                </Cell>
                <Cell label="Gates" wide>
                  {r.gates.length === 0 ? (
                    <span className="text-muted">none</span>
                  ) : (
                    <ul className="space-y-0.5">
                      {r.gates.map((g) => (
                        <li key={g.stepId} className="min-w-0 break-words">
                          <span className="font-mono text-xs">{g.stepId}</span> <span className="text-xs text-muted">{g.type}</span> {g.passRate}
                          <span className="text-xs text-muted"> of {g.decided}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </Cell>
                <Cell label="Approval wait p50" right>
                  {r.approvalWait}
                </Cell>
              </dl>
            </li>
          );
        })}
      </ul>
    </>
  );
}

function Cell({ label, right, wide, children }: { label: string; right?: boolean; wide?: boolean; children: ReactNode }) {
  return (
    <div className={`min-w-0 ${wide ? "col-span-2" : ""} lg:col-span-1 ${right ? "lg:text-right" : ""}`}>
      <dt className="text-xs text-muted lg:sr-only">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </div>
  );
}
