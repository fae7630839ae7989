"use client";
import Link from "next/link";
import { memo } from "react";
import type { DeadLetterRow } from "@/lib/client/dead-letter-patches";
import { errorMessage } from "@/lib/client/error-message";
import { formatTimestamp } from "@/lib/client/format";
import type { RequeueResult } from "@/lib/client/use-dead-letters";
import { useRetryTask } from "@/lib/client/use-tasks";
import { Button } from "@/components/button";
import { TimeAgo } from "@/components/time-ago";

/**
 * One dead task: title, id, when it died and its final error, with every attempt's error behind
 * a disclosure. Errors and titles come from agents and submitters, so they are text.
 */
export const DeadLetterRowItem = memo(function DeadLetterRowItem({
  row,
  mayOperate,
  selected,
  onSelect,
  refused,
  onResult,
}: {
  row: DeadLetterRow;
  mayOperate: boolean;
  selected: boolean;
  onSelect: (id: string, on: boolean) => void;
  /** Why the last requeue of this task was refused, if it was. */
  refused: string | null | undefined;
  onResult: (r: RequeueResult) => void;
}) {
  const { task, attempts } = row;
  return (
    <li data-testid="dead-letter-row" data-task-id={task.id} className="min-w-0 rounded-md border border-line bg-surface">
      <div className="flex min-w-0 items-start gap-1 px-3 py-2.5">
        {mayOperate && (
          <label className="-my-1.5 -ml-2.5 flex size-10 shrink-0 items-center justify-center">
            <input type="checkbox" className="size-4" data-testid="dead-letter-select" aria-label={`Select ${task.title}`} checked={selected} onChange={(e) => onSelect(task.id, e.target.checked)} />
          </label>
        )}
        <div className="min-w-0 flex-1">
          <div className="font-medium break-words" data-testid="dead-letter-title">
            {task.title}
          </div>
          <div className="mt-0.5 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-muted">
            <Link href={`/tasks/${encodeURIComponent(task.id)}`} className="font-mono break-all text-accent hover:underline" data-testid="dead-letter-link">
              {task.id}
            </Link>
            <span>
              died <TimeAgo at={task.finishedAt} never="—" />
            </span>
            <span>
              attempt {task.attempt}/{task.maxAttempts}
            </span>
            {task.runId && <span>workflow step {task.stepId}</span>}
          </div>
          <p data-testid="dead-letter-error" className="mt-1 line-clamp-3 text-sm break-words whitespace-pre-wrap text-rose-800 dark:text-rose-300" title={task.error ?? undefined}>
            {task.error ?? "No error was recorded."}
          </p>
          {refused && (
            <p role="alert" data-testid="dead-letter-refused" className="mt-1 text-sm break-words text-amber-800 dark:text-amber-300">
              Not requeued: {refused}
            </p>
          )}
          <details className="mt-1">
            <summary className="flex min-h-10 cursor-pointer items-center text-sm text-accent select-none" data-testid="dead-letter-attempts-toggle">
              Error history ({attempts.length} {attempts.length === 1 ? "entry" : "entries"})
            </summary>
            {attempts.length === 0 ? (
              <p className="text-sm text-muted">No attempt errors were recorded.</p>
            ) : (
              <ol className="space-y-2 border-l border-line pl-3" data-testid="dead-letter-attempts">
                {attempts.map((a, i) => (
                  <li key={`${a.at}-${a.type}-${i}`} data-event-type={a.type} className="min-w-0 text-sm">
                    <div className="flex flex-wrap items-baseline gap-x-2 text-xs text-muted">
                      <span className="font-medium text-fg">{a.type.replace(/_/g, " ")}</span>
                      <span>attempt {a.attempt}</span>
                      {a.agentName && <span className="min-w-0 break-all">on {a.agentName}</span>}
                      <time className="tabular-nums" dateTime={new Date(a.at).toISOString()}>
                        {formatTimestamp(a.at)}
                      </time>
                    </div>
                    {a.message && <p className="mt-0.5 break-words whitespace-pre-wrap">{a.message}</p>}
                  </li>
                ))}
              </ol>
            )}
          </details>
        </div>
        {mayOperate && <RequeueButton id={task.id} onResult={onResult} />}
      </div>
    </li>
  );
});

/** Requeues this one task (`tasks.retry`); the answer, or the refusal's sentence, goes to `onResult`. */
function RequeueButton({ id, onResult }: { id: string; onResult: (r: RequeueResult) => void }) {
  const retry = useRetryTask();
  const requeue = async () => {
    // mutateAsync: the row leaves the list as soon as the task is queued again, before a
    // mutate() callback would run.
    try {
      await retry.mutateAsync({ id });
      onResult({ id, ok: true, message: null });
    } catch (e) {
      onResult({ id, ok: false, message: errorMessage(e) });
    }
  };
  return (
    <Button data-testid="requeue-one" className="shrink-0" disabled={retry.isPending} onClick={() => void requeue()}>
      {retry.isPending ? "Requeueing…" : "Requeue"}
    </Button>
  );
}
