"use client";
import Link from "next/link";
import { memo } from "react";
import type { AgentView } from "@/lib/api";
import { formatCpu, formatMemory } from "@/lib/client/format";
import { AcceptFromCompact } from "@/components/accept-from";
import { AgentHealth } from "@/components/agent-health";
import { AgentKindBadge } from "@/components/agent-kind";
import { AGENT_STATUS_TONE } from "@/components/status-badge";
import { Sparkline } from "@/components/sparkline";
import { TimeAgo } from "@/components/time-ago";

/**
 * One agent in the fleet grid. Memoized on the agent object: the cache replaces an agent only
 * when it changed, so a heartbeat re-renders one tile, not 500. Off-screen tiles skip layout and
 * paint (content-visibility).
 */
export const AgentTile = memo(function AgentTile({ agent }: { agent: AgentView }) {
  const tone = AGENT_STATUS_TONE[agent.status];
  const shown = agent.currentTasks.slice(0, 2);
  const more = agent.currentTasks.length - shown.length;
  return (
    <li
      data-testid="agent-tile"
      data-agent-name={agent.name}
      data-agent-id={agent.id}
      data-status={agent.status}
      data-health={agent.health}
      data-draining={agent.draining}
      className={`relative min-w-0 overflow-hidden rounded-lg border bg-surface pl-1 ${agent.health === "unhealthy" ? "border-orange-500/60" : "border-line"}`}
      style={{ contentVisibility: "auto", containIntrinsicSize: "auto 150px" }}
    >
      <span aria-hidden className={`absolute inset-y-0 left-0 w-1 ${tone.bar}`} />
      <div className="px-3 pt-1.5 pb-2.5">
        <div className="flex min-h-10 items-center gap-2">
          <Link href={`/agents/${agent.id}`} className="min-w-0 flex-1 truncate font-medium hover:underline">
            {agent.name}
          </Link>
          <AgentKindBadge kind={agent.kind} />
        </div>
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted">
          <span className={`font-medium ${tone.text}`}>{agent.status}</span>
          {agent.draining && agent.status !== "draining" && <span className="font-medium text-amber-800 dark:text-amber-300">draining</span>}
          <span title="slots used / slots" className="tabular-nums">
            {agent.slotsUsed}/{agent.slots} slots
          </span>
          <span title="last heartbeat">
            ♥ <TimeAgo at={agent.lastHeartbeatAt} />
          </span>
          <AcceptFromCompact rules={agent.acceptFrom} />
        </div>
        {agent.health !== "healthy" && <AgentHealth agent={agent} clamp className="mt-1 text-xs" />}
        <ul className="mt-1.5 min-h-10 text-sm">
          {shown.length === 0 ? (
            <li className="flex min-h-10 items-center text-muted">{agent.status === "offline" ? "—" : "idle"}</li>
          ) : (
            shown.map((t) => (
              <li key={t.id} className="min-w-0">
                <Link href={`/tasks/${t.id}`} className="flex min-h-10 items-center truncate text-accent hover:underline" data-testid="agent-current-task">
                  <span className="truncate">{t.title}</span>
                </Link>
              </li>
            ))
          )}
          {more > 0 && <li className="text-xs text-muted">+{more} more</li>}
        </ul>
        <div className="mt-1 flex items-center justify-between gap-2">
          <Sparkline samples={agent.samples} width={110} height={24} />
          <span className="shrink-0 text-right text-xs text-muted tabular-nums">
            <span className="text-sky-700 dark:text-sky-400">{formatCpu(agent.cpu)}</span> · <span className="text-violet-600 dark:text-violet-400">{formatMemory(agent.memoryMb)}</span>
          </span>
        </div>
      </div>
    </li>
  );
});
