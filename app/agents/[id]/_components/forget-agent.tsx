"use client";
import { useRouter } from "next/navigation";
import { useForgetAgent } from "@/lib/client/use-agents";
import { ConfirmButton } from "@/components/confirm-button";
import { ErrorNotice } from "@/components/error-notice";
import { IfCan } from "@/components/if-can";

/**
 * Forget an offline agent, for operators: it leaves the fleet, its tasks keep their history. A
 * connected agent has nothing to forget, so it gets no button; the server still refuses one that
 * reconnected meanwhile or still holds tasks, and its sentence shows here.
 */
export function ForgetAgent({ agent }: { agent: { id: string; name: string; status: string } }) {
  if (agent.status !== "offline") return null;
  return (
    <IfCan permission="operate">
      <ForgetButton agent={agent} />
    </IfCan>
  );
}

function ForgetButton({ agent }: { agent: { id: string; name: string } }) {
  const router = useRouter();
  const forget = useForgetAgent(() => router.replace("/"));
  return (
    <div className="flex flex-col items-stretch gap-2 sm:items-end">
      <ConfirmButton
        testId="forget-agent"
        variant="danger"
        question={`Remove ${agent.name} from the fleet? Its tasks keep their history.`}
        confirmLabel="Yes, forget"
        pending={forget.isPending}
        onConfirm={() => forget.mutate({ id: agent.id })}
      >
        Forget agent
      </ConfirmButton>
      <ErrorNotice error={forget.error} title="Could not forget" />
    </div>
  );
}
