"use client";
import Link from "next/link";
import type { ReactNode } from "react";
import type { TaskRow } from "@/lib/client/cache-patches";
import { errorCode } from "@/lib/client/error-message";
import { formatCpu, formatMemory, formatTimestamp } from "@/lib/client/format";
import { useAgentDetail } from "@/lib/client/use-agents";
import { AcceptFrom } from "@/components/accept-from";
import { AgentKindBadge } from "@/components/agent-kind";
import { buttonClass } from "@/components/button";
import { CapabilityChips, LabelChips } from "@/components/capability-chips";
import { ErrorNotice } from "@/components/error-notice";
import { Loading, PageHeader, Panel } from "@/components/panel";
import { AgentHealth } from "@/components/agent-health";
import { AgentStatusBadge } from "@/components/status-badge";
import { TaskListItem } from "@/components/task-list-item";
import { TimeAgo } from "@/components/time-ago";
import { DrainControl } from "./drain-control";
import { ForgetAgent } from "./forget-agent";
import { ResourceChart } from "./resource-chart";
import { Conversation } from "@/components/messages/conversation";

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="mt-0.5 text-sm break-words">{children}</dd>
    </div>
  );
}

/** How work reaches it: pushed down its socket, or fetched by polling (an open claim: waiting now). */
function takesWork(agent: { kind: string; polling: boolean; status: string }): string {
  if (agent.kind !== "http" && agent.kind !== "mcp") return "pushed over its socket";
  if (agent.status === "offline") return "by polling";
  return agent.polling ? "by polling: waiting for work now" : "by polling (no claim open)";
}

function TaskList({ tasks, empty, testId }: { tasks: TaskRow[]; empty: string; testId: string }) {
  if (tasks.length === 0) return <p className="text-sm text-muted">{empty}</p>;
  return (
    <ul className="space-y-2" data-testid={testId}>
      {tasks.map((t) => (
        <TaskListItem key={t.id} task={t} compact />
      ))}
    </ul>
  );
}

export function AgentDetailView({ id }: { id: string }) {
  const { data, error, isPending } = useAgentDetail(id);
  if (isPending) return <Loading label="Loading agent…" />;
  if (error || !data) {
    return (
      <div className="space-y-4">
        <ErrorNotice error={!error || errorCode(error) === "NOT_FOUND" ? "This agent is not in the fleet: it was forgotten, or the address is wrong." : error} />
        <Link href="/" className={buttonClass("secondary")}>
          Back to the fleet
        </Link>
      </div>
    );
  }
  const { agent, currentTasks, recentTasks, samples } = data;
  return (
    <div className="space-y-4" data-testid="agent-detail" data-agent-name={agent.name} data-status={agent.status} data-health={agent.health} data-draining={agent.draining}>
      <PageHeader
        title={agent.name}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <AgentStatusBadge status={agent.status} />
            <AgentKindBadge kind={agent.kind} />
            <span className="font-mono text-xs break-all">{agent.id}</span>
          </span>
        }
        actions={
          <>
            <Link href={`/tasks?agent=${encodeURIComponent(agent.id)}`} className={buttonClass("secondary")}>
              All tasks of this agent
            </Link>
            <DrainControl agent={agent} />
            <ForgetAgent agent={agent} />
          </>
        }
      />
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
        <Panel title="Agent">
          <dl className="grid grid-cols-2 gap-3">
            <div className="col-span-2 min-w-0">
              <dt className="text-xs text-muted">Health</dt>
              <dd className="mt-0.5 text-sm">
                <AgentHealth agent={agent} />
                {agent.draining && (
                  <p data-testid="agent-draining" className="mt-1 text-amber-800 dark:text-amber-300">
                    Draining: finishing its current work, taking no new tasks.
                  </p>
                )}
              </dd>
            </div>
            <div className="col-span-2 min-w-0">
              <dt className="text-xs text-muted">Submitters</dt>
              <dd className="mt-0.5">
                <AcceptFrom rules={agent.acceptFrom} />
              </dd>
            </div>
            <Fact label="Takes work">
              <span data-testid="agent-intake" data-polling={agent.polling}>
                {takesWork(agent)}
              </span>
            </Fact>
            <Fact label="Slots">
              {agent.slotsUsed}/{agent.slots} in use
            </Fact>
            <Fact label="Version">{agent.version || "—"}</Fact>
            <Fact label="Last heartbeat">
              <TimeAgo at={agent.lastHeartbeatAt} />
            </Fact>
            <Fact label="Connected">{agent.connectedAt ? formatTimestamp(agent.connectedAt) : "—"}</Fact>
            <Fact label="CPU">{formatCpu(agent.cpu)}</Fact>
            <Fact label="Memory">{formatMemory(agent.memoryMb)}</Fact>
            <div className="col-span-2">
              <dt className="mb-1 text-xs text-muted">Capabilities</dt>
              <dd>
                <CapabilityChips items={agent.capabilities} />
              </dd>
            </div>
            <div className="col-span-2">
              <dt className="mb-1 text-xs text-muted">Labels</dt>
              <dd>
                <LabelChips labels={agent.labels} />
              </dd>
            </div>
          </dl>
        </Panel>
        <Panel title="Resources, last hour">
          <ResourceChart samples={samples} />
        </Panel>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Panel title={`Current tasks (${currentTasks.length})`}>
          <TaskList tasks={currentTasks} empty="Idle." testId="agent-current-tasks" />
        </Panel>
        <Panel title="Recent tasks">
          <TaskList tasks={recentTasks} empty="No finished tasks yet." testId="agent-recent-tasks" />
        </Panel>
      </div>
      <Panel title="Messages">
        <Conversation target={{ agentId: agent.id, name: agent.name }} />
      </Panel>
    </div>
  );
}
