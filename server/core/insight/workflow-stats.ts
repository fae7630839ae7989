// Workflow analytics: what one finished run says (its duration, which steps were on its
// critical path, how its gates went, how long approvals waited), and per-day sums of that per
// template version that add up like rollups. Pure.
import { emptyHistogram, mergeInto, observe, quantile, type Histogram } from "./histogram";

export interface RunFacts {
  status: "succeeded" | "failed" | "canceled";
  createdAt: number;
  finishedAt: number;
  steps: {
    id: string;
    /** Fan-out copies count as their template step. */
    templateStepId: string;
    type: "task" | "check" | "approval";
    status: string;
    dependsOn: string[];
    startedAt: number | null;
    finishedAt: number | null;
    decisions: { decision: "approved" | "rejected" | "passed" | "failed" }[];
  }[];
}

export interface StepDayStats {
  ran: number;
  /** Runs in which this step lay on the critical path. */
  critical: number;
  /** Runs in which it was the longest step of the critical path: where time goes. */
  dominant: number;
  duration: Histogram;
  passed: number;
  failed: number;
  approvalWait: Histogram;
}

export interface WorkflowDayStats {
  runs: number;
  succeeded: number;
  failed: number;
  canceled: number;
  duration: Histogram;
  steps: Record<string, StepDayStats>;
}

export function emptyDay(): WorkflowDayStats {
  return { runs: 0, succeeded: 0, failed: 0, canceled: 0, duration: emptyHistogram(), steps: {} };
}

const emptyStep = (): StepDayStats => ({ ran: 0, critical: 0, dominant: 0, duration: emptyHistogram(), passed: 0, failed: 0, approvalWait: emptyHistogram() });

/**
 * The critical path: from the step that finished last, back through the dependency that
 * finished last, to a step with none — the chain that decided how long the run took.
 */
export function criticalPath(steps: RunFacts["steps"]): string[] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const ran = steps.filter((s) => s.finishedAt != null && s.startedAt != null);
  if (!ran.length) return [];
  let cur = ran.reduce((a, b) => (b.finishedAt! > a.finishedAt! ? b : a));
  const path = [cur.id];
  const seen = new Set(path);
  for (;;) {
    const deps = cur.dependsOn.map((d) => byId.get(d)).filter((d): d is RunFacts["steps"][number] => !!d && d.finishedAt != null && !seen.has(d.id));
    if (!deps.length) break;
    cur = deps.reduce((a, b) => (b.finishedAt! > a.finishedAt! ? b : a));
    path.push(cur.id);
    seen.add(cur.id);
  }
  return path.reverse();
}

/** Adds one finished run into a day's stats (mutates and returns `day`). */
export function addRun(day: WorkflowDayStats, run: RunFacts): WorkflowDayStats {
  day.runs++;
  day[run.status]++;
  observe(day.duration, Math.max(0, run.finishedAt - run.createdAt));
  const path = criticalPath(run.steps).map((id) => run.steps.find((s) => s.id === id)!);
  const critical = new Set(path.map((s) => s.templateStepId));
  const longest = path.filter((s) => s.type !== "approval").reduce<RunFacts["steps"][number] | null>((a, b) => (!a || b.finishedAt! - b.startedAt! > a.finishedAt! - a.startedAt! ? b : a), null);
  if (longest) (day.steps[longest.templateStepId] ??= emptyStep()).dominant++;
  const seen = new Set<string>();
  for (const s of run.steps) {
    const st = (day.steps[s.templateStepId] ??= emptyStep());
    if (s.startedAt == null || s.finishedAt == null) continue;
    st.ran++;
    const ms = Math.max(0, s.finishedAt - s.startedAt);
    if (s.type === "approval") observe(st.approvalWait, ms);
    else observe(st.duration, ms);
    if (s.type !== "task") {
      const last = s.decisions.at(-1)?.decision;
      if (last === "passed" || last === "approved") st.passed++;
      else if (last === "failed" || last === "rejected") st.failed++;
    }
    if (critical.has(s.templateStepId) && !seen.has(s.templateStepId)) {
      seen.add(s.templateStepId);
      st.critical++;
    }
  }
  return day;
}

export function mergeDays(into: WorkflowDayStats, from: WorkflowDayStats): WorkflowDayStats {
  into.runs += from.runs;
  into.succeeded += from.succeeded;
  into.failed += from.failed;
  into.canceled += from.canceled;
  mergeInto(into.duration, from.duration);
  for (const [id, s] of Object.entries(from.steps)) {
    const st = (into.steps[id] ??= emptyStep());
    st.ran += s.ran;
    st.critical += s.critical;
    st.dominant += s.dominant ?? 0;
    st.passed += s.passed;
    st.failed += s.failed;
    mergeInto(st.duration, s.duration);
    mergeInto(st.approvalWait, s.approvalWait);
  }
  return into;
}

/** Reads a stored day back; anything malformed counts as an empty day. */
export function parseDay(raw: unknown): WorkflowDayStats {
  const d = emptyDay();
  if (!raw || typeof raw !== "object") return d;
  const r = raw as Partial<WorkflowDayStats>;
  return mergeDays(d, { ...emptyDay(), ...r, steps: r.steps && typeof r.steps === "object" ? r.steps : {} } as WorkflowDayStats);
}

export interface TemplateSummary {
  template: string;
  runs: number;
  succeeded: number;
  failed: number;
  canceled: number;
  durationP50Ms: number | null;
  durationP95Ms: number | null;
  /**
   * The step that is most often the longest on the critical path (the one to make faster), the
   * share of runs it was, and its p50. A first step of a chain is on every critical path; that
   * alone says nothing.
   */
  criticalStep: { stepId: string; share: number; p50Ms: number | null } | null;
  gates: { stepId: string; type: "check" | "approval"; passed: number; failed: number; passRate: number | null; waitP50Ms: number | null; waitP95Ms: number | null }[];
  steps: { stepId: string; ran: number; critical: number; p50Ms: number | null; p95Ms: number | null }[];
}

export function summarize(template: string, d: WorkflowDayStats, stepTypes: ReadonlyMap<string, "task" | "check" | "approval"> = new Map()): TemplateSummary {
  const steps = Object.entries(d.steps);
  const crit = steps.filter(([, s]) => s.dominant > 0).sort((a, b) => b[1].dominant - a[1].dominant)[0];
  return {
    template,
    runs: d.runs,
    succeeded: d.succeeded,
    failed: d.failed,
    canceled: d.canceled,
    durationP50Ms: quantile(d.duration, 0.5),
    durationP95Ms: quantile(d.duration, 0.95),
    criticalStep: crit && d.runs ? { stepId: crit[0], share: crit[1].dominant / d.runs, p50Ms: quantile(crit[1].duration, 0.5) } : null,
    gates: steps
      .filter(([id, s]) => s.passed + s.failed > 0 || stepTypes.get(id) === "approval" || stepTypes.get(id) === "check")
      .map(([id, s]) => {
        const type = stepTypes.get(id) === "approval" || s.approvalWait.some((n) => n > 0) ? "approval" : "check";
        return {
          stepId: id,
          type,
          passed: s.passed,
          failed: s.failed,
          passRate: s.passed + s.failed ? s.passed / (s.passed + s.failed) : null,
          waitP50Ms: type === "approval" ? quantile(s.approvalWait, 0.5) : null,
          waitP95Ms: type === "approval" ? quantile(s.approvalWait, 0.95) : null,
        };
      }),
    steps: steps.map(([id, s]) => ({ stepId: id, ran: s.ran, critical: s.critical, p50Ms: quantile(s.duration, 0.5), p95Ms: quantile(s.duration, 0.95) })),
  };
}
