"use client";
import Link from "next/link";
import { memo, useState } from "react";
import type { RunSummary } from "@/lib/api";
import { formatTimestamp } from "@/lib/client/format";
import { useApprovals, useDecideApproval } from "@/lib/client/use-approvals";
import type { StepRow } from "@/lib/client/use-runs";
import { Button } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { inputClass } from "@/components/field";
import { IfCan } from "@/components/if-can";
import { Loading } from "@/components/panel";
import { TimeAgo } from "@/components/time-ago";

/** An approval step may carry its (interpolated) description. */
type GateStep = StepRow & { description?: string | null };

/** The comment box and the two buttons; only operators and admins get them. */
function Decision({ run, step }: { run: RunSummary; step: GateStep }) {
  const decide = useDecideApproval();
  const [comment, setComment] = useState("");
  const send = (decision: "approve" | "reject") => decide.mutate({ runId: run.id, stepId: step.id, decision, comment: comment.trim() || undefined });
  return (
    <>
      <textarea
        data-testid="approval-comment"
        aria-label={`Comment on ${step.title}`}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        rows={2}
        maxLength={2000}
        placeholder="Comment (optional)"
        className={`${inputClass} mt-3`}
      />
      <div className="mt-2 grid grid-cols-2 gap-2">
        <Button variant="primary" className="min-h-12 text-base" data-testid="approval-approve" disabled={decide.isPending} onClick={() => send("approve")}>
          Approve
        </Button>
        <Button variant="danger" className="min-h-12 text-base" data-testid="approval-reject" disabled={decide.isPending} onClick={() => send("reject")}>
          Reject
        </Button>
      </div>
      {decide.error && (
        <div className="mt-2">
          <ErrorNotice error={decide.error} title="Could not record the decision" />
        </div>
      )}
    </>
  );
}

const ApprovalRow = memo(function ApprovalRow({ run, step }: { run: RunSummary; step: GateStep }) {
  return (
    <li data-testid="approval-row" data-run-id={run.id} data-step-id={step.id} className="rounded-lg border border-amber-500/40 bg-surface p-3 sm:p-4">
      <div className="flex flex-wrap items-start justify-between gap-x-3 gap-y-1">
        <div className="min-w-0">
          <h2 className="font-semibold break-words">{step.title}</h2>
          <Link href={`/runs/${run.id}?step=${encodeURIComponent(step.id)}`} className="text-sm text-accent hover:underline">
            {run.templateName}@v{run.templateVersion} · <span className="font-mono text-xs">{run.id}</span>
          </Link>
        </div>
        <div className="text-xs text-muted">
          waiting <TimeAgo at={step.startedAt} never="—" />
        </div>
      </div>
      {step.description && <p className="mt-2 text-sm break-words whitespace-pre-wrap">{step.description}</p>}
      <p className="mt-1 text-xs text-muted">
        Started by {run.triggeredBy}
        {step.approvalDeadline ? ` · decides itself at ${formatTimestamp(step.approvalDeadline)}` : ""}
      </p>
      <IfCan permission="operate" fallback={<p className="mt-2 text-xs text-muted">An operator or admin decides this gate.</p>}>
        <Decision run={run} step={step} />
      </IfCan>
    </li>
  );
});

export function ApprovalInbox() {
  const { data, error, isPending } = useApprovals();
  if (isPending) return <Loading label="Loading approvals…" />;
  if (error) return <ErrorNotice error={error} title="Could not load approvals" />;
  if (data.length === 0) {
    return (
      <p className="py-10 text-center text-sm text-muted" data-testid="approvals-empty">
        Nothing waits for a decision.
      </p>
    );
  }
  return (
    <ul className="mx-auto max-w-3xl space-y-3" data-testid="approval-list">
      {data.map(({ run, step }) => (
        <ApprovalRow key={`${run.id}/${step.id}`} run={run} step={step} />
      ))}
    </ul>
  );
}
