import Link from "next/link";
import type { TaskEventType, TaskEventView } from "@/lib/api";
import { formatTimestamp } from "@/lib/client/format";

const TONE: Partial<Record<TaskEventType, string>> = {
  succeeded: "text-emerald-800 dark:text-emerald-300",
  failed: "text-red-700 dark:text-red-300",
  dead: "text-rose-700 dark:text-rose-300",
  lease_expired: "text-amber-800 dark:text-amber-300",
  report_rejected: "text-amber-800 dark:text-amber-300",
  retry_scheduled: "text-amber-800 dark:text-amber-300",
  canceled: "text-muted",
};

/** The task's history, oldest first. */
export function EventHistory({ events }: { events: TaskEventView[] }) {
  if (events.length === 0) return <p className="text-sm text-muted">No events yet.</p>;
  return (
    <ol className="space-y-2" data-testid="task-events">
      {events.map((e) => (
        <li key={e.id} data-event-type={e.type} className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 text-sm">
          <span aria-hidden className="mt-1.5 size-2 rounded-full bg-line" />
          <div className="min-w-0">
            <div className="flex flex-wrap items-baseline gap-x-2">
              <span className={`font-medium ${TONE[e.type] ?? ""}`}>{e.type.replace(/_/g, " ")}</span>
              <span className="text-xs text-muted">attempt {e.attempt}</span>
              {e.agentId && (
                <Link href={`/agents/${e.agentId}`} className="truncate text-xs text-accent hover:underline">
                  {e.agentName ?? e.agentId}
                </Link>
              )}
              <time className="ml-auto text-xs text-muted tabular-nums" dateTime={new Date(e.at).toISOString()}>
                {formatTimestamp(e.at)}
              </time>
            </div>
            {e.message && <p className="mt-0.5 text-sm break-words whitespace-pre-wrap text-muted">{e.message}</p>}
          </div>
        </li>
      ))}
    </ol>
  );
}
