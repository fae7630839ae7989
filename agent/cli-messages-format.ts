// Rendering for the messaging commands: one line per message, an agent's status block.

import type { MessageView } from "../lib/messaging";
import type { AgentView } from "../lib/api";
import { ago } from "./cli-output";

/** `2026-11-24T08:39:49Z` — seconds are enough for messages, and the date matters for old ones. */
const stamp = (at: number) => `${new Date(at).toISOString().slice(0, 19)}Z`;

/** `#<seq> <time> <from> [<importance>] <body>`, the body folded onto one line. */
export function messageLine(m: Pick<MessageView, "seq" | "createdAt" | "from" | "importance" | "body">): string {
  const body = m.body.replace(/\r?\n/g, " ⏎ ");
  return `#${m.seq} ${stamp(m.createdAt)} ${m.from.name} [${m.importance}] ${body}`;
}

export function sentLine(result: { messageId: string; recipients: string[] }): string {
  return `sent ${result.messageId} to ${result.recipients.length > 0 ? result.recipients.join(", ") : "nobody"}`;
}

/** Finds an agent by id first, then by name. */
export function findAgent<A extends Pick<AgentView, "id" | "name">>(agents: readonly A[], key: string): A | undefined {
  return agents.find((a) => a.id === key) ?? agents.find((a) => a.name === key);
}

export function agentStatus(a: AgentView, now = Date.now()): string {
  const lines: string[] = [];
  const field = (name: string, value: string) => lines.push(`${`${name}:`.padEnd(13)} ${value}`);
  field("agent", `${a.name}  (${a.id})`);
  field("status", a.status);
  field("slots", `${a.slotsUsed ?? 0}/${a.slots} in use`);
  const tasks = a.currentTasks ?? [];
  field("tasks", tasks.length === 0 ? "-" : tasks.map((t) => `${t.id} ${t.title}`).join("\n" + " ".repeat(14)));
  field("heartbeat", ago(a.lastHeartbeatAt ?? null, now));
  const caps = a.capabilities ?? [];
  field("capabilities", caps.length === 0 ? "-" : caps.map((c) => `${c.name}:${c.level}`).join(", "));
  const channels = (a as AgentView & { channels?: string[] }).channels;
  if (channels && channels.length > 0) field("channels", channels.join(", "));
  const labels = Object.entries(a.labels ?? {});
  if (labels.length > 0) field("labels", labels.map(([k, v]) => `${k}=${v}`).join(", "));
  if (a.cpu != null || a.memoryMb != null) field("resources", `cpu ${a.cpu ?? "-"}%  mem ${a.memoryMb ?? "-"} MB`);
  if (a.version) field("version", a.version);
  return lines.join("\n");
}
