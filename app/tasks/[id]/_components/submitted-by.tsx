import Link from "next/link";
import type { Submitter } from "@/lib/protocol";
import { submitterText } from "@/lib/client/submitter";

/**
 * "Submitted by admin (admin)", "… token deploy-bot (submit, made by alice)", "… workflow
 * release-train (triggered by bob)"; a workflow's name links to the run the task is a step of.
 */
export function SubmittedBy({ submitter, runId }: { submitter: Submitter | null; runId: string | null }) {
  const t = submitterText(submitter);
  if (!submitter || !t) {
    return (
      <span data-testid="task-submitter" data-kind="">
        Submitter not recorded
      </span>
    );
  }
  return (
    <span data-testid="task-submitter" data-kind={submitter.kind}>
      Submitted by {t.kind}
      {submitter.kind === "workflow" ? (
        <Link href={runId ? `/runs/${runId}` : `/workflows/${encodeURIComponent(t.name)}`} className="font-medium text-accent hover:underline">
          {t.name}
        </Link>
      ) : (
        <span className="font-medium text-fg">{t.name}</span>
      )}
      {t.detail && ` (${t.detail})`}
    </span>
  );
}
