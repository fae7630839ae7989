import type { TaskStatus } from "@/lib/protocol";
import type { AgentStatus } from "@/lib/api";

/** Colour of each agent status: a dot/bar colour and a badge tone readable in light and dark. */
export const AGENT_STATUS_TONE: Record<AgentStatus, { bar: string; text: string; badge: string }> = {
  online: { bar: "bg-emerald-500", text: "text-emerald-800 dark:text-emerald-300", badge: "bg-emerald-500/15" },
  busy: { bar: "bg-sky-500", text: "text-sky-800 dark:text-sky-300", badge: "bg-sky-500/15" },
  draining: { bar: "bg-amber-500", text: "text-amber-800 dark:text-amber-300", badge: "bg-amber-500/15" },
  offline: { bar: "bg-zinc-400 dark:bg-zinc-600", text: "text-zinc-600 dark:text-zinc-400", badge: "bg-zinc-500/15" },
};

export const TASK_STATUS_TONE: Record<TaskStatus, string> = {
  queued: "bg-zinc-500/15 text-zinc-700 dark:text-zinc-300",
  assigned: "bg-indigo-500/15 text-indigo-700 dark:text-indigo-300",
  running: "bg-sky-500/15 text-sky-800 dark:text-sky-300",
  succeeded: "bg-emerald-500/15 text-emerald-800 dark:text-emerald-300",
  failed: "bg-red-500/15 text-red-700 dark:text-red-300",
  canceled: "bg-zinc-500/15 text-zinc-600 dark:text-zinc-400",
  dead: "bg-rose-700/20 text-rose-800 dark:text-rose-300",
};

const badge = "inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap";

export function AgentStatusBadge({ status }: { status: AgentStatus }) {
  const tone = AGENT_STATUS_TONE[status];
  return (
    <span className={`${badge} ${tone.badge} ${tone.text}`}>
      <span aria-hidden className={`size-1.5 rounded-full ${tone.bar}`} />
      {status}
    </span>
  );
}

export function TaskStatusBadge({ status, testId = "task-status" }: { status: TaskStatus; testId?: string }) {
  return (
    <span data-testid={testId} data-status={status} className={`${badge} ${TASK_STATUS_TONE[status]}`}>
      {status}
    </span>
  );
}
