"use client";
import Link from "next/link";
import { useCallback, type ReactNode } from "react";
import type { TaskRow } from "@/lib/client/cache-patches";
import { isTerminalStatus } from "@/lib/client/cache-patches";
import { formatDuration, formatJson, formatTimestamp } from "@/lib/client/format";
import { useNowText } from "@/lib/client/use-now";
import { useTaskDetail } from "@/lib/client/use-tasks";
import { buttonClass } from "@/components/button";
import { CapabilityChips, LabelChips } from "@/components/capability-chips";
import { ErrorNotice } from "@/components/error-notice";
import { Loading, PageHeader, Panel } from "@/components/panel";
import { ProgressBar } from "@/components/progress-bar";
import { TaskStatusBadge } from "@/components/status-badge";
import { EventHistory } from "./event-history";
import { LogStream } from "./log-stream";
import { SubmittedBy } from "./submitted-by";
import { TaskActions } from "./task-actions";
import { WhyWaiting } from "./why-waiting";

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="mt-0.5 text-sm break-words">{children}</dd>
    </div>
  );
}

function Elapsed({ from }: { from: number }) {
  const format = useCallback((now: number) => formatDuration(now - from), [from]);
  return <>{useNowText(format)}</>;
}

function Duration({ task }: { task: TaskRow }) {
  if (!task.startedAt) return <>—</>;
  if (task.finishedAt) return <>{formatDuration(task.finishedAt - task.startedAt)}</>;
  return isTerminalStatus(task.status) ? <>—</> : <Elapsed from={task.startedAt} />;
}

const time = (at: number | null) => (at ? formatTimestamp(at) : "—");

function Code({ children, testId }: { children: string; testId?: string }) {
  return (
    <pre data-testid={testId} className="max-h-80 overflow-auto rounded-md border border-line bg-surface-2 px-3 py-2 font-mono text-xs whitespace-pre-wrap break-all">
      {children}
    </pre>
  );
}

export function TaskDetailView({ id }: { id: string }) {
  const { data, error, isPending } = useTaskDetail(id);

  if (isPending) return <Loading label="Loading task…" />;
  if (error || !data) {
    return (
      <div className="space-y-4">
        <ErrorNotice error={error ?? "This task was not found."} />
        <Link href="/tasks" className={buttonClass("secondary")}>
          Back to tasks
        </Link>
      </div>
    );
  }

  const { task, events, logs, waiting } = data;
  const terminal = isTerminalStatus(task.status);
  const hasPayload = task.payload !== undefined && task.payload !== null;
  const hasResult = task.result !== undefined && task.result !== null;

  return (
    <div className="space-y-4" data-testid="task-detail" data-task-id={task.id}>
      <PageHeader
        title={<span data-testid="task-title">{task.title}</span>}
        subtitle={
          <>
            <span className="flex flex-wrap items-center gap-2">
              <TaskStatusBadge status={task.status} />
              <span data-testid="task-attempt">
                attempt {task.attempt}/{task.maxAttempts}
              </span>
              <span className="font-mono text-xs break-all">{task.id}</span>
            </span>
            <p className="mt-1">
              <SubmittedBy submitter={task.submittedBy} runId={task.runId} />
            </p>
          </>
        }
        actions={<TaskActions task={task} />}
      />

      {task.status === "queued" && waiting && <WhyWaiting waiting={waiting} notBefore={task.notBefore} />}

      {task.progress != null && !terminal && (
        <div className="flex items-center gap-3">
          <ProgressBar value={task.progress} />
          <span className="text-sm tabular-nums">{Math.round(task.progress)}%</span>
        </div>
      )}

      {task.error && (
        <Panel title={isTerminalStatus(task.status) ? "Error" : "Last attempt's error"} className="border-red-500/40">
          <pre data-testid="task-error" className="font-mono text-xs whitespace-pre-wrap break-words text-red-700 dark:text-red-300">
            {task.error}
          </pre>
        </Panel>
      )}

      <div className="grid gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <div className="min-w-0 space-y-4">
          <Panel title="Logs" actions={!terminal && <span className="text-xs text-muted">live</span>}>
            <LogStream logs={logs} live={!terminal} />
          </Panel>
          {(task.command || hasPayload) && (
            <Panel title="Work">
              <div className="space-y-3">
                {task.command && (
                  <div>
                    <div className="mb-1 text-xs text-muted">Command</div>
                    <Code testId="task-command">{task.command}</Code>
                  </div>
                )}
                {hasPayload && (
                  <div>
                    <div className="mb-1 text-xs text-muted">Payload</div>
                    <Code testId="task-payload">{formatJson(task.payload)}</Code>
                  </div>
                )}
              </div>
            </Panel>
          )}
          {hasResult && (
            <Panel title="Result">
              <Code testId="task-result">{formatJson(task.result)}</Code>
            </Panel>
          )}
        </div>

        <div className="min-w-0 space-y-4">
          <Panel title="Details">
            <dl className="grid grid-cols-2 gap-3">
              <Fact label="Agent">
                {task.agentId ? (
                  <Link href={`/agents/${task.agentId}`} className="text-accent hover:underline" data-testid="task-agent">
                    {task.agentName ?? task.agentId}
                  </Link>
                ) : (
                  "not assigned"
                )}
              </Fact>
              <Fact label="Priority">{task.priority}</Fact>
              <Fact label="Strategy">{task.strategy ?? "default"}</Fact>
              <Fact label="Timeout">{task.timeoutMs ? formatDuration(task.timeoutMs) : "none"}</Fact>
              <Fact label="Created">{time(task.createdAt)}</Fact>
              <Fact label="Assigned">{time(task.assignedAt)}</Fact>
              <Fact label="Started">{time(task.startedAt)}</Fact>
              <Fact label="Finished">{time(task.finishedAt)}</Fact>
              <Fact label="Duration">
                <Duration task={task} />
              </Fact>
              {task.leaseExpiresAt && !terminal && <Fact label="Lease expires">{time(task.leaseExpiresAt)}</Fact>}
              {task.notBefore && !terminal && <Fact label="Not before">{time(task.notBefore)}</Fact>}
              {task.idempotencyKey && <Fact label="Idempotency key">{task.idempotencyKey}</Fact>}
            </dl>
          </Panel>
          <Panel title="Requirements">
            <div className="space-y-3">
              <div>
                <div className="mb-1 text-xs text-muted">Capabilities</div>
                <CapabilityChips items={task.requirements} empty="any agent" />
              </div>
              <div>
                <div className="mb-1 text-xs text-muted">Labels</div>
                <LabelChips labels={task.labelSelector} empty="any" />
              </div>
            </div>
          </Panel>
          <Panel title="History">
            <EventHistory events={events} />
          </Panel>
        </div>
      </div>
    </div>
  );
}
