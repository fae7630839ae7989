"use client";
import type { AgentView } from "@/lib/api";
import { useDrainAgent } from "@/lib/client/use-agents";
import { Button } from "@/components/button";
import { ConfirmButton } from "@/components/confirm-button";
import { ErrorNotice } from "@/components/error-notice";
import { IfCan } from "@/components/if-can";

/** Drain (finish current work, take no more) or resume, for operators. */
export function DrainControl({ agent }: { agent: Pick<AgentView, "id" | "name" | "draining"> }) {
  return (
    <IfCan permission="operate">
      <DrainButtons agent={agent} />
    </IfCan>
  );
}

function DrainButtons({ agent }: { agent: Pick<AgentView, "id" | "name" | "draining"> }) {
  const drain = useDrainAgent();
  return (
    <div className="flex flex-col items-stretch gap-2 sm:items-end">
      {agent.draining ? (
        <Button variant="primary" data-testid="resume-agent" disabled={drain.isPending} onClick={() => drain.mutate({ id: agent.id, drain: false })}>
          {drain.isPending ? "Working…" : "Resume"}
        </Button>
      ) : (
        <ConfirmButton
          testId="drain-agent"
          variant="danger"
          question="Finish current work and take no new tasks?"
          confirmLabel="Yes, drain"
          pending={drain.isPending}
          onConfirm={() => drain.mutate({ id: agent.id, drain: true })}
        >
          Drain
        </ConfirmButton>
      )}
      <ErrorNotice error={drain.error} title={agent.draining ? "Could not resume" : "Could not drain"} />
    </div>
  );
}
