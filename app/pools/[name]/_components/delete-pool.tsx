"use client";
import { useRouter } from "next/navigation";
import type { PoolView } from "@/lib/api/pools";
import { useDeletePool } from "@/lib/client/use-pools";
import { ConfirmButton } from "@/components/confirm-button";
import { ErrorNotice } from "@/components/error-notice";

/** Admins: delete the pool; its agents are drained and stopped, its token revoked. */
export function DeletePool({ pool: p }: { pool: PoolView }) {
  const router = useRouter();
  const remove = useDeletePool();
  return (
    <div className="flex flex-col items-end gap-2">
      <ConfirmButton
        variant="danger"
        question={p.instances.length ? `Delete ${p.name}? Its ${p.instances.length} ${p.instances.length === 1 ? "agent is" : "agents are"} stopped.` : `Delete ${p.name}?`}
        confirmLabel="Delete"
        onConfirm={() => remove.mutate({ id: p.id }, { onSuccess: () => router.push("/pools") })}
        pending={remove.isPending}
        testId="pool-delete"
      >
        Delete pool
      </ConfirmButton>
      <ErrorNotice error={remove.error} title="Not deleted" />
    </div>
  );
}
