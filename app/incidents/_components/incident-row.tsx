import Link from "next/link";
import { memo } from "react";
import type { IncidentView } from "@/lib/api";
import { INCIDENT_KIND_META, IncidentIcon } from "@/components/incident-kind";
import { TimeAgo } from "@/components/time-ago";

/**
 * One incident on the timeline. Pushed incidents (negative local ids, see `applyIncidents`) are
 * marked new. The message names agents and tasks, so it is text.
 */
export const IncidentRow = memo(function IncidentRow({ incident: i }: { incident: IncidentView }) {
  const meta = INCIDENT_KIND_META[i.kind];
  const live = i.id < 0;
  return (
    <li
      data-testid="incident-row"
      data-kind={i.kind}
      data-agent-id={i.agentId ?? undefined}
      data-task-id={i.taskId ?? undefined}
      data-live={live || undefined}
      className="grid min-w-0 grid-cols-[2rem_minmax(0,1fr)] gap-x-3 rounded-md border border-line bg-surface px-3 py-2.5 md:rounded-none md:border-x-0 md:border-t-0 md:bg-transparent"
    >
      <span className={`flex size-8 items-center justify-center rounded-full ${meta.tone}`} title={meta.label}>
        <IncidentIcon kind={i.kind} />
      </span>
      <div className="min-w-0">
        <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
          <span className="text-sm font-medium">{meta.label}</span>
          {live && <span className="rounded bg-accent/15 px-1.5 text-[11px] font-medium text-accent">new</span>}
          {i.agentId && (
            <Link href={`/agents/${encodeURIComponent(i.agentId)}`} data-testid="incident-agent" className="max-w-full min-w-0 truncate text-sm text-accent hover:underline">
              {i.agentName ?? i.agentId}
            </Link>
          )}
          {i.taskId && (
            <Link href={`/tasks/${encodeURIComponent(i.taskId)}`} data-testid="incident-task" className="max-w-full min-w-0 truncate font-mono text-xs text-accent hover:underline">
              {i.taskId}
            </Link>
          )}
          <span className="ml-auto text-xs whitespace-nowrap text-muted">
            <TimeAgo at={i.at} />
          </span>
        </div>
        <p data-testid="incident-message" className="mt-0.5 text-sm break-words whitespace-pre-wrap text-muted">
          {i.message}
        </p>
      </div>
    </li>
  );
});
