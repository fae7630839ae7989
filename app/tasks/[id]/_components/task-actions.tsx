"use client";
import { useRouter } from "next/navigation";
import type { TaskRow } from "@/lib/client/cache-patches";
import { RETRYABLE, isTerminalStatus } from "@/lib/client/cache-patches";
import { useCan } from "@/lib/client/use-can";
import { useCancelTask, useRetryTask } from "@/lib/client/use-tasks";
import { ConfirmButton } from "@/components/confirm-button";
import { ErrorNotice } from "@/components/error-notice";

/** Cancel (while not finished) and Retry (after failing, dying or being canceled), for operators. */
export function TaskActions({ task }: { task: TaskRow }) {
  const router = useRouter();
  const cancel = useCancelTask();
  const retry = useRetryTask();
  const canCancel = !isTerminalStatus(task.status);
  const canRetry = RETRYABLE.includes(task.status);
  const mayOperate = useCan("operate");
  if (!mayOperate || (!canCancel && !canRetry)) return null;
  return (
    <div className="flex flex-col items-stretch gap-2 sm:items-end">
      <div className="flex flex-wrap gap-2">
        {canCancel && (
          <ConfirmButton
            testId="cancel-task"
            variant="danger"
            question="Cancel this task?"
            confirmLabel="Yes, cancel"
            pending={cancel.isPending}
            onConfirm={() => {
              retry.reset();
              cancel.mutate({ id: task.id });
            }}
          >
            Cancel task
          </ConfirmButton>
        )}
        {canRetry && (
          <ConfirmButton
            testId="retry-task"
            variant="primary"
            question="Run this task again?"
            confirmLabel="Yes, retry"
            pending={retry.isPending}
            onConfirm={() => {
              cancel.reset();
              retry.mutate(
                { id: task.id },
                // A retry that creates a new task (rather than a new attempt) opens it.
                { onSuccess: (t) => t.id !== task.id && router.push(`/tasks/${t.id}`) },
              );
            }}
          >
            Retry
          </ConfirmButton>
        )}
      </div>
      <ErrorNotice error={cancel.error} title="Could not cancel" />
      <ErrorNotice error={retry.error} title="Could not retry" />
    </div>
  );
}
