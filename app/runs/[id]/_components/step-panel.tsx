"use client";
// The selected step: a side panel from lg up (the page makes room for it), a bottom sheet below
// (half the screen, taller on request; the page scrolls the step out from under it). Marked
// `data-overlay`, so the graph knows what it covers. Shows what the step
// did (agent, attempt, result, error, gate decisions, its task's live log) and what can be done
// with it (decide an approval; re-run from it once the run has ended).
import Link from "next/link";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { isTerminalStatus } from "@/lib/client/cache-patches";
import { formatJson, formatTimestamp } from "@/lib/client/format";
import { useDecideApproval } from "@/lib/client/use-approvals";
import { useCan } from "@/lib/client/use-can";
import { useRerunStep, type RunRow, type StepRow } from "@/lib/client/use-runs";
import { useTaskDetail } from "@/lib/client/use-tasks";
import { Button, buttonClass } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { inputClass } from "@/components/field";
import { Elapsed } from "@/components/workflows/elapsed";
import { isRunFinished } from "@/lib/client/run-patches";
import { copyIndex, titleParts, titleText } from "@/components/workflows/placeholders";
import { StepStatusBadge } from "@/components/workflows/step-status";
import { StepTitle } from "@/components/workflows/step-title";
import { LogStream } from "@/app/tasks/[id]/_components/log-stream";

const RERUNNABLE: StepRow["status"][] = ["failed", "canceled", "skipped"];

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="mt-0.5 text-sm break-words">{children}</dd>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="space-y-1.5">
      <h3 className="text-xs font-semibold tracking-wide text-muted uppercase">{title}</h3>
      {children}
    </section>
  );
}

function StepLog({ taskId }: { taskId: string }) {
  const { data, error } = useTaskDetail(taskId);
  if (error) return <ErrorNotice error={error} title="Could not load the log" />;
  if (!data) return <p className="text-sm text-muted">Loading the log…</p>;
  return <LogStream logs={data.logs} live={!isTerminalStatus(data.task.status)} />;
}

function ApprovalActions({ run, step }: { run: RunRow; step: StepRow }) {
  const decide = useDecideApproval();
  const [comment, setComment] = useState("");
  const send = (decision: "approve" | "reject") => decide.mutate({ runId: run.id, stepId: step.id, decision, comment: comment.trim() || undefined });
  return (
    <Section title="Decision">
      <textarea
        data-testid="step-comment"
        aria-label="Comment"
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        rows={2}
        maxLength={2000}
        placeholder="Comment (optional)"
        className={inputClass}
      />
      <div className="grid grid-cols-2 gap-2">
        <Button variant="primary" className="min-h-12" data-testid="approve-step" disabled={decide.isPending} onClick={() => send("approve")}>
          Approve
        </Button>
        <Button variant="danger" className="min-h-12" data-testid="reject-step" disabled={decide.isPending} onClick={() => send("reject")}>
          Reject
        </Button>
      </div>
      {step.approvalDeadline && <p className="text-xs text-muted">Decides itself at {formatTimestamp(step.approvalDeadline)} if nobody does.</p>}
      <ErrorNotice error={decide.error} title="Could not record the decision" />
    </Section>
  );
}

function Rerun({ run, step }: { run: RunRow; step: StepRow }) {
  const rerun = useRerunStep();
  return (
    <Section title="Re-run">
      <p className="text-sm text-muted">Runs this step again, then everything after it. Steps that succeeded upstream keep their results.</p>
      <Button variant="primary" data-testid="rerun-step" disabled={rerun.isPending} onClick={() => rerun.mutate({ id: run.id, fromStep: step.id })}>
        {rerun.isPending ? "Starting…" : "Re-run from here"}
      </Button>
      <ErrorNotice error={rerun.error} title="Could not re-run" />
    </Section>
  );
}

export function StepPanel({ run, step, onClose }: { run: RunRow; step: StepRow; onClose: () => void }) {
  const ref = useRef<HTMLElement>(null);
  const [tall, setTall] = useState(false);
  const known = { index: copyIndex(step) };
  const pendingRefs = titleParts(step.title, known).flatMap((p) => (p.kind === "ref" ? [p] : []));
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, [step.id]);

  const mayOperate = useCan("operate");
  const hasResult = step.result !== undefined && step.result !== null;
  const canDecide = mayOperate && step.status === "waiting_approval" && !isRunFinished(run.status);
  const canRerun = mayOperate && isRunFinished(run.status) && RERUNNABLE.includes(step.status);

  return (
    <aside
      ref={ref}
      tabIndex={-1}
      aria-label={`Step ${titleText(step.title, known)}`}
      data-testid="step-panel"
      data-overlay
      data-step-id={step.id}
      data-status={step.status}
      className={`fixed inset-x-0 bottom-0 z-30 flex flex-col rounded-t-xl border-t border-line bg-surface shadow-[0_-8px_30px_rgb(0_0_0/0.18)] outline-none lg:top-14 lg:right-0 lg:left-auto lg:max-h-none lg:w-[28rem] lg:rounded-none lg:border-t-0 lg:border-l lg:shadow-xl ${tall ? "max-h-[88dvh]" : "max-h-[55dvh]"}`}
    >
      <header className="flex items-start gap-1 border-b border-line py-2 pr-2 pl-4">
        <div className="min-w-0 flex-1 py-1.5">
          <h2 className="font-semibold break-words">
            <StepTitle title={step.title} known={known} />
          </h2>
          <div className="mt-1 flex flex-wrap items-center gap-2 text-xs text-muted">
            <StepStatusBadge status={step.status} />
            <span className="font-mono">{step.id}</span>
            <span>{step.type}</span>
          </div>
        </div>
        <button
          type="button"
          onClick={() => setTall((t) => !t)}
          aria-label={tall ? "Make the panel shorter" : "Make the panel taller"}
          aria-pressed={tall}
          data-testid="step-panel-size"
          className="flex size-11 shrink-0 items-center justify-center rounded-md text-muted hover:bg-surface-2 hover:text-fg lg:hidden"
        >
          <svg aria-hidden viewBox="0 0 16 16" className={`size-4 transition-transform ${tall ? "rotate-180" : ""}`} fill="none" stroke="currentColor" strokeWidth="1.75">
            <path d="M4 10l4-4 4 4" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </button>
        <button type="button" onClick={onClose} aria-label="Close" data-testid="step-panel-close" className="flex size-11 shrink-0 items-center justify-center rounded-md text-xl text-muted hover:bg-surface-2 hover:text-fg">
          ×
        </button>
      </header>
      <div className="min-h-0 flex-1 space-y-4 overflow-y-auto overscroll-contain px-4 py-3">
        {pendingRefs.length > 0 && (
          <p className="text-xs text-muted" data-testid="step-title-refs">
            The title is completed when the step starts:{" "}
            {pendingRefs.map((r, i) => (
              <span key={i}>
                {i > 0 && "; "}
                <code className="font-mono">{r.label}</code> is {r.hint}
              </span>
            ))}
            .
          </p>
        )}
        {canDecide && <ApprovalActions run={run} step={step} />}
        {canRerun && <Rerun run={run} step={step} />}

        <dl className="grid grid-cols-2 gap-3">
          <Fact label="Attempt">{step.attempt}</Fact>
          <Fact label="Agent">
            {step.agentId ? (
              <Link href={`/agents/${step.agentId}`} className="text-accent hover:underline">
                {step.agentName ?? step.agentId}
              </Link>
            ) : (
              "—"
            )}
          </Fact>
          <Fact label="Started">{step.startedAt ? formatTimestamp(step.startedAt) : "—"}</Fact>
          <Fact label="Duration">
            <Elapsed from={step.startedAt} to={step.finishedAt ?? (step.status === "running" || step.status === "waiting_approval" ? null : step.startedAt)} />
          </Fact>
          {step.dependsOn.length > 0 && <Fact label="Depends on">{step.dependsOn.join(", ")}</Fact>}
          {step.taskId && (
            <Fact label="Task">
              <Link href={`/tasks/${step.taskId}`} className="font-mono text-xs text-accent hover:underline">
                {step.taskId}
              </Link>
            </Fact>
          )}
        </dl>

        {step.error && (
          <Section title="Error">
            <pre data-testid="step-error" className="font-mono text-xs whitespace-pre-wrap break-words text-red-700 dark:text-red-300">
              {step.error}
            </pre>
          </Section>
        )}

        {step.decisions.length > 0 && (
          <Section title="Gate decisions">
            <ol className="space-y-1.5" data-testid="step-decisions">
              {step.decisions.map((d, i) => (
                <li key={i} className="text-sm">
                  <span className={`font-medium ${d.decision === "approved" || d.decision === "passed" ? "text-emerald-800 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`}>{d.decision}</span>{" "}
                  <span className="text-muted">
                    by {d.by} · {formatTimestamp(d.at)}
                  </span>
                  {d.comment && <p className="mt-0.5 break-words whitespace-pre-wrap">{d.comment}</p>}
                </li>
              ))}
            </ol>
          </Section>
        )}

        {hasResult && (
          <Section title="Result">
            <pre data-testid="step-result" className="max-h-60 overflow-auto rounded-md border border-line bg-surface-2 px-3 py-2 font-mono text-xs whitespace-pre-wrap break-all">
              {formatJson(step.result)}
            </pre>
          </Section>
        )}

        {step.taskId ? (
          <Section title="Log">
            <StepLog key={step.taskId} taskId={step.taskId} />
          </Section>
        ) : step.type !== "approval" && step.status !== "skipped" ? (
          <p className="text-sm text-muted">{step.status === "pending" ? "Waits for the steps it depends on." : "No task yet."}</p>
        ) : null}

        {step.taskId && (
          <Link href={`/tasks/${step.taskId}`} className={buttonClass("secondary", "w-full")}>
            Open the task
          </Link>
        )}
      </div>
    </aside>
  );
}
