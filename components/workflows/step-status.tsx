import type { RunStatus, StepStatus } from "@/lib/api";

/**
 * Colours of step statuses: a badge, a node's border and fill, and a Gantt bar. Running steps
 * pulse; skipped and canceled ones fade, so the eye lands on what is live or broken.
 */
export const STEP_TONE: Record<StepStatus, { badge: string; node: string; bar: string }> = {
  pending: { badge: "bg-zinc-500/15 text-zinc-600 dark:text-zinc-300", node: "border-dashed border-zinc-400 dark:border-zinc-600", bar: "bg-zinc-400" },
  queued: { badge: "bg-indigo-500/15 text-indigo-700 dark:text-indigo-300", node: "border-indigo-400 bg-indigo-500/5", bar: "bg-indigo-400" },
  running: { badge: "bg-sky-500/15 text-sky-800 dark:text-sky-300", node: "border-sky-500 bg-sky-500/10 step-running", bar: "bg-sky-500 step-running-bar" },
  waiting_approval: { badge: "bg-amber-500/20 text-amber-800 dark:text-amber-300", node: "border-amber-500 bg-amber-500/10", bar: "bg-amber-500" },
  succeeded: { badge: "bg-emerald-500/15 text-emerald-800 dark:text-emerald-300", node: "border-emerald-500 bg-emerald-500/10", bar: "bg-emerald-500" },
  failed: { badge: "bg-red-500/15 text-red-700 dark:text-red-300", node: "border-red-500 bg-red-500/10", bar: "bg-red-500" },
  skipped: { badge: "bg-zinc-500/10 text-zinc-600 dark:text-zinc-400", node: "border-zinc-300 opacity-60 dark:border-zinc-700", bar: "bg-zinc-300 dark:bg-zinc-600" },
  canceled: { badge: "bg-zinc-500/15 text-zinc-600 dark:text-zinc-400", node: "border-zinc-400 opacity-70 dark:border-zinc-600", bar: "bg-zinc-400 dark:bg-zinc-500" },
};

export const RUN_TONE: Record<RunStatus, string> = {
  running: "bg-sky-500/15 text-sky-800 dark:text-sky-300",
  succeeded: "bg-emerald-500/15 text-emerald-800 dark:text-emerald-300",
  failed: "bg-red-500/15 text-red-700 dark:text-red-300",
  canceled: "bg-zinc-500/15 text-zinc-600 dark:text-zinc-400",
};

export const STEP_LABEL: Record<StepStatus, string> = {
  pending: "pending",
  queued: "queued",
  running: "running",
  waiting_approval: "awaiting approval",
  succeeded: "succeeded",
  failed: "failed",
  skipped: "skipped",
  canceled: "canceled",
};

const badge = "inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap";

export function StepStatusBadge({ status, testId = "step-status" }: { status: StepStatus; testId?: string }) {
  return (
    <span data-testid={testId} data-status={status} className={`${badge} ${STEP_TONE[status].badge}`}>
      {status === "running" && <span aria-hidden className="size-1.5 animate-pulse rounded-full bg-sky-500" />}
      {STEP_LABEL[status]}
    </span>
  );
}

export function RunStatusBadge({ status, testId = "run-status" }: { status: RunStatus; testId?: string }) {
  return (
    <span data-testid={testId} data-status={status} className={`${badge} ${RUN_TONE[status]}`}>
      {status === "running" && <span aria-hidden className="size-1.5 animate-pulse rounded-full bg-sky-500" />}
      {status}
    </span>
  );
}

const SEGMENTS: StepStatus[] = ["succeeded", "failed", "canceled", "skipped", "running", "waiting_approval", "queued"];

/** How far a run got: one segment per status, in a thin bar. */
export function RunProgress({ counts, total, className = "" }: { counts: Record<StepStatus, number>; total: number; className?: string }) {
  const done = counts.succeeded + counts.failed + counts.canceled + counts.skipped;
  const title = SEGMENTS.filter((s) => counts[s]).map((s) => `${counts[s]} ${STEP_LABEL[s]}`).join(", ") || "not started";
  return (
    <div className={`flex items-center gap-2 ${className}`} title={title}>
      <div className="flex h-1.5 w-full min-w-16 overflow-hidden rounded-full bg-surface-2" role="progressbar" aria-valuenow={done} aria-valuemin={0} aria-valuemax={total} aria-label={title}>
        {total > 0 && SEGMENTS.map((s) => (counts[s] ? <div key={s} className={STEP_TONE[s].bar} style={{ width: `${(counts[s] / total) * 100}%` }} /> : null))}
      </div>
      <span className="shrink-0 text-xs text-muted tabular-nums">
        {done}/{total}
      </span>
    </div>
  );
}
