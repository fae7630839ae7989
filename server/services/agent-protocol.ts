// The agent protocol: an agent, through its API token, registers, heartbeats, claims work,
// reports on the attempts it holds and uses its mailbox. One set of operations for the socket,
// HTTP and MCP transports; the ownership checks live here: a token acts only as the agents it
// registered, and reports only on tasks those agents hold.
import type { AgentCard, Assignment, Heartbeat } from "@/lib/protocol";
import type { MessageView, SendManyResult, SendMessage, SendResult } from "@/lib/messaging";
import type { CancelNotice } from "@/server/core/scheduler";
import type { Caller, ServiceContext } from "./context";
import { tokenOf } from "./context";

/** The transport an agent speaks: pull agents (HTTP, MCP) get work only while a claim is open. */
export type AgentTransport = "socket" | "http" | "mcp";

export async function registerAgent(s: ServiceContext, caller: Caller, card: AgentCard, transport: AgentTransport, bind?: (agentId: string) => void) {
  return s.mutate(caller, "agent.register", (p) => s.deps.coordinator.registerAgent(card, tokenOf(p), transport, bind));
}

/** The agent's id for a name or id, checked to be this caller's. */
export async function ownAgent(s: ServiceContext, caller: Caller, idOrName: string): Promise<string> {
  return s.read(caller, "agent.heartbeat", (p) => {
    const id = s.deps.coordinator.agentNamed(idOrName)?.id ?? idOrName;
    s.deps.coordinator.agentOwnedBy(id, tokenOf(p).id);
    return id;
  });
}

/** Runs `fn` for an agent of this caller's token (the check every agent operation makes). */
function asAgent<T>(s: ServiceContext, caller: Caller, op: Parameters<ServiceContext["mutate"]>[1], agentId: string, fn: () => Promise<T>): Promise<T> {
  return s.mutate(caller, op, async (p) => {
    s.deps.coordinator.agentOwnedBy(agentId, tokenOf(p).id);
    return fn();
  });
}

/** Runs `fn` with the agent holding `taskId`, which must belong to this caller's token. */
function asHolder<T>(s: ServiceContext, caller: Caller, op: Parameters<ServiceContext["mutate"]>[1], taskId: string, fn: (agentId: string) => Promise<T>): Promise<T> {
  return s.mutate(caller, op, (p) => fn(s.deps.coordinator.holderOf(taskId, tokenOf(p).id)));
}

export const heartbeat = (s: ServiceContext, caller: Caller, agentId: string, hb: Heartbeat): Promise<CancelNotice[]> =>
  asAgent(s, caller, "agent.heartbeat", agentId, () => s.deps.coordinator.heartbeat(agentId, hb));

export const claim = (s: ServiceContext, caller: Caller, agentId: string, waitMs: number, signal?: AbortSignal): Promise<Assignment[]> =>
  asAgent(s, caller, "agent.claim", agentId, async () => {
    const tasks = await s.deps.coordinator.claim(agentId, waitMs, signal);
    const tracing = s.deps.tracing;
    return tracing ? tasks.map((t) => tracing.withTraceparent(t)) : tasks;
  });

/** A claim's answer never reached the agent: the work goes back to the queue. */
export const returnUndelivered = (s: ServiceContext, agentId: string, tasks: Assignment[]) => s.deps.coordinator.returnUndelivered(agentId, tasks);

export const drainSelf = (s: ServiceContext, caller: Caller, agentId: string) => asAgent(s, caller, "agent.drain", agentId, () => s.deps.coordinator.drainAgent(agentId));

export const stop = (s: ServiceContext, caller: Caller, agentId: string) => asAgent(s, caller, "agent.stop", agentId, () => s.deps.coordinator.agentStopped(agentId));

export type Report = { taskId: string; attempt: number };

/**
 * Reports name the task; the holder is found from it (HTTP, MCP). A socket names its agent
 * already (`agentId`), and is checked against the holder by the scheduler's fencing.
 */
const holder = <T>(s: ServiceContext, caller: Caller, op: Parameters<ServiceContext["mutate"]>[1], r: Report, agentId: string | undefined, fn: (agentId: string) => Promise<T>) =>
  agentId === undefined ? asHolder(s, caller, op, r.taskId, fn) : asAgent(s, caller, op, agentId, () => fn(agentId));

export const accept = (s: ServiceContext, caller: Caller, r: Report, agentId?: string) =>
  holder(s, caller, "agent.accept", r, agentId, (a) => s.deps.coordinator.accept(a, r.taskId, r.attempt));

export const progress = (
  s: ServiceContext,
  caller: Caller,
  r: Report & { percent?: number; message?: string; logs: { stream: "stdout" | "stderr" | "info"; line: string }[] },
  agentId?: string,
) => holder(s, caller, "agent.progress", r, agentId, (a) => s.deps.coordinator.progress(a, r));

export const complete = (s: ServiceContext, caller: Caller, r: Report & { result?: unknown }, agentId?: string) =>
  holder(s, caller, "agent.complete", r, agentId, (a) => s.deps.coordinator.complete(a, r.taskId, r.attempt, r.result));

export const fail = (s: ServiceContext, caller: Caller, r: Report & { error: string; retryable: boolean; result?: unknown }, agentId?: string) =>
  holder(s, caller, "agent.fail", r, agentId, (a) => s.deps.coordinator.fail(a, r.taskId, r.attempt, r.error, r.retryable, r.result));

export const release = (s: ServiceContext, caller: Caller, r: Report & { reason: string }, agentId?: string) =>
  holder(s, caller, "agent.release", r, agentId, (a) => s.deps.coordinator.release(a, r.taskId, r.attempt, r.reason));

export const send = (s: ServiceContext, caller: Caller, agentId: string, m: SendMessage): Promise<SendResult> =>
  asAgent(s, caller, "agent.send", agentId, () => s.deps.messages.send({ agentId }, m));

export const sendMany = (s: ServiceContext, caller: Caller, agentId: string, messages: unknown[]): Promise<SendManyResult[]> =>
  asAgent(s, caller, "agent.send", agentId, () => s.deps.messages.sendMany({ agentId }, messages));

export const inbox = (s: ServiceContext, caller: Caller, agentId: string, q: { after: number; limit: number; waitMs: number }): Promise<MessageView[]> =>
  asAgent(s, caller, "agent.inbox", agentId, () => s.deps.messages.inbox(agentId, q.after, q.limit, q.waitMs));

export const ack = (s: ServiceContext, caller: Caller, agentId: string, upTo: number): Promise<number> =>
  asAgent(s, caller, "agent.ack", agentId, () => s.deps.messages.ack(agentId, upTo));

/** Unacknowledged messages to push after a (re)connect (the socket's own mailbox replay). */
export const unread = (s: ServiceContext, agentId: string) => s.deps.messages.unread(agentId, 0, Number.POSITIVE_INFINITY);
