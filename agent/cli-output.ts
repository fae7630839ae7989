// Human-readable rendering for the CLI: aligned tables and short relative times.

import type { TaskEventView, TaskLogLine, TaskView, WaitingExplanation } from "../lib/api";

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

export function ago(at: number | null, now = Date.now()): string {
  if (at == null) return "-";
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function taskTable(tasks: TaskView[], now = Date.now()): string {
  if (tasks.length === 0) return "no tasks";
  return table(
    ["ID", "STATUS", "ATTEMPT", "AGENT", "CREATED", "TITLE"],
    tasks.map((t) => [t.id, t.status, `${t.attempt}/${t.maxAttempts ?? "?"}`, t.agentName ?? t.agentId ?? "-", ago(t.createdAt, now), clip(t.title, 60)]),
  );
}

const time = (at: number) => new Date(at).toISOString().slice(11, 23);

export function logLine(log: Pick<TaskLogLine, "at" | "stream" | "line">): string {
  return `${time(log.at)} ${log.stream === "stderr" ? "!" : " "} ${log.line}`;
}

export function taskDetail(detail: { task: TaskView; events: TaskEventView[]; logs: TaskLogLine[]; waiting: WaitingExplanation | null }, now = Date.now()): string {
  const { task, events, logs, waiting } = detail;
  const out: string[] = [];
  const field = (name: string, value: string) => out.push(`${`${name}:`.padEnd(10)} ${value}`);
  field("task", `${task.id}  ${task.title}`);
  field("status", `${task.status}${task.progress != null && task.status === "running" ? ` (${task.progress}%)` : ""}`);
  field("attempt", `${task.attempt} of ${task.maxAttempts}`);
  if (task.agentName || task.agentId) field("agent", task.agentName ?? task.agentId ?? "");
  if (task.command) field("command", task.command);
  field("created", ago(task.createdAt, now));
  if (waiting) field("waiting", waiting.message);
  if (task.error) field("error", task.error.split("\n").join("\n           "));
  if (task.result !== undefined && task.result !== null) field("result", JSON.stringify(task.result));
  if (events.length > 0) {
    out.push("", "events:");
    for (const e of events) out.push(`  ${time(e.at)}  ${e.type.padEnd(15)} #${e.attempt}${e.message ? `  ${e.message}` : ""}`);
  }
  if (logs.length > 0) {
    out.push("", "logs:");
    for (const log of logs) out.push(`  ${logLine(log)}`);
  }
  return out.join("\n");
}
