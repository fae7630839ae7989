// A workflow template version's analytics as the table reads it: its success share, the gates
// taken together and the approval waits. Only arithmetic over the server's counts. Pure.
import type { AnalyticsSummary } from "@/lib/api";
import { formatMs, formatRatio, NONE } from "./format";

type Workflow = AnalyticsSummary["workflows"][number];

export interface WorkflowRow {
  template: string;
  runs: number;
  succeeded: number;
  /** succeeded of the finished runs; null without runs. */
  successRate: number | null;
  durationP50: string;
  durationP95: string;
  critical: { stepId: string; share: string; p50: string } | null;
  gates: { stepId: string; type: "check" | "approval"; passRate: string; decided: number; waitP50: string | null }[];
  /** passed over decided across every gate; null without decisions. */
  gatePassRate: number | null;
  /** Approval gates' p50 waits, e.g. "review 1.4 h"; "—" without approvals. */
  approvalWait: string;
}

export function workflowRow(w: Workflow): WorkflowRow {
  let passed = 0;
  let decided = 0;
  for (const g of w.gates) {
    passed += g.passed;
    decided += g.passed + g.failed;
  }
  const approvals = w.gates.filter((g) => g.type === "approval");
  return {
    template: w.template,
    runs: w.runs,
    succeeded: w.succeeded,
    successRate: w.runs ? w.succeeded / w.runs : null,
    durationP50: formatMs(w.durationP50Ms),
    durationP95: formatMs(w.durationP95Ms),
    critical: w.criticalStep ? { stepId: w.criticalStep.stepId, share: formatRatio(w.criticalStep.share), p50: formatMs(w.criticalStep.p50Ms) } : null,
    gates: w.gates.map((g) => ({ stepId: g.stepId, type: g.type, passRate: formatRatio(g.passRate), decided: g.passed + g.failed, waitP50: g.type === "approval" ? formatMs(g.waitP50Ms) : null })),
    gatePassRate: decided ? passed / decided : null,
    approvalWait: approvals.length === 0 ? NONE : approvals.length === 1 ? formatMs(approvals[0].waitP50Ms) : approvals.map((g) => `${g.stepId} ${formatMs(g.waitP50Ms)}`).join(", "),
  };
}
