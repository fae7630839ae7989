"use client";
import Link from "next/link";
import type { RecommendationView } from "@/lib/api";
import { useDrainAgent } from "@/lib/client/use-agents";
import { ConfirmButton } from "@/components/confirm-button";
import { ErrorNotice } from "@/components/error-notice";
import { IfCan } from "@/components/if-can";
import { actionView } from "@/components/insight/recommendation-action";

/** Rules over the measured data: what to change, why (evidence), what it should do, and how. */
export function RecommendationList({ recommendations }: { recommendations: RecommendationView[] }) {
  if (recommendations.length === 0) return <p className="text-sm text-muted" data-testid="recommendations-empty">Nothing to recommend for this range: capacity covers the demand and no agent fails more than the rest.</p>;
  return (
    <ol className="space-y-4" data-testid="recommendation-list">
      {recommendations.map((r) => (
        <li key={`${r.kind}-${r.subject.dim}-${r.subject.key}`} data-testid="recommendation" data-kind={r.kind} className="min-w-0 rounded-md border border-line px-3 py-2.5">
          <p className="font-medium break-words first-letter:uppercase" data-testid="recommendation-title">
            {r.title}
          </p>
          {r.evidence.length > 0 && (
            <ul className="mt-1 list-disc space-y-0.5 pl-4 text-sm text-muted" aria-label="Evidence">
              {r.evidence.map((e) => (
                <li key={e} className="break-words">
                  {e}
                </li>
              ))}
            </ul>
          )}
          <p className="mt-1.5 text-sm break-words">
            <span className="font-medium">Expected effect: </span>
            {r.effect}
          </p>
          <RecommendationAction recommendation={r} />
        </li>
      ))}
    </ol>
  );
}

function RecommendationAction({ recommendation: r }: { recommendation: RecommendationView }) {
  const a = actionView(r.action);
  if (!a) return null;
  if (a.kind === "instruction") {
    return (
      <div className="mt-2 rounded-md bg-surface-2 px-3 py-2 text-sm" data-testid="recommendation-instruction">
        <p className="break-words">
          <span className="font-medium">To do: </span>
          {a.text}
        </p>
      </div>
    );
  }
  return (
    <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
      <IfCan
        permission="operate"
        fallback={
          <p className="text-muted" data-testid="recommendation-instruction">
            To do: an operator can drain{" "}
            <Link href={`/agents/${encodeURIComponent(a.agentId)}`} className="text-accent underline">
              {a.agentName}
            </Link>
            .
          </p>
        }
      >
        <DrainAction agentId={a.agentId} agentName={a.agentName} label={a.label} />
      </IfCan>
    </div>
  );
}

function DrainAction({ agentId, agentName, label }: { agentId: string; agentName: string; label: string }) {
  const drain = useDrainAgent();
  if (drain.isSuccess) {
    return (
      <p role="status" className="text-emerald-700 dark:text-emerald-300" data-testid="recommendation-drained">
        {agentName} is draining: it finishes what it holds and takes nothing new.{" "}
        <Link href={`/agents/${encodeURIComponent(agentId)}`} className="text-accent underline">
          Open {agentName}
        </Link>
      </p>
    );
  }
  return (
    <>
      <ConfirmButton
        testId="recommendation-drain"
        variant="danger"
        question={`Drain ${agentName}? It finishes current work and takes no new tasks.`}
        confirmLabel="Yes, drain"
        pending={drain.isPending}
        onConfirm={() => drain.mutate({ id: agentId, drain: true })}
      >
        {label}
      </ConfirmButton>
      <ErrorNotice error={drain.error} title={`Could not drain ${agentName}`} />
    </>
  );
}
