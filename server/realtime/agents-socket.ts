// Socket.IO namespace /agents: the push transport of the agent protocol. Every event is parsed
// with the shared zod schemas, handed to one service operation (server/services/agent-protocol)
// and answered through its ack; this module only binds sockets to agents and pushes.
import type { Namespace, Server, Socket } from "socket.io";
import type { z } from "zod";
import {
  acceptSchema,
  agentCardSchema,
  completeSchema,
  failSchema,
  heartbeatSchema,
  progressSchema,
  releaseSchema,
  type Ack,
} from "@/lib/protocol";
import type { AgentClientToServer, AgentServerToClient } from "@/lib/agent-socket-events";
import { STOPPED_BY_OWNER } from "@/server/coordinator/coordinator";
import { SERVER_STOPPED } from "@/server/core/scheduler/registry";
import type { VerifiedToken } from "@/server/auth/tokens";
import type { Caller, ServiceContext } from "@/server/services/context";
import * as agentProtocol from "@/server/services/agent-protocol";
import { MESSAGE_LIMITS, ackMessagesSchema, sendManySchema, sendMessageSchema, type MessageView } from "@/lib/messaging";
import { AppError, HTTP_STATUS, assertWellFormed, describeZodError, retryAfterMsOf } from "@/server/errors";
import { AGENT_SOCKET_OPERATIONS } from "@/lib/policy";
import { RateLimiter, type BucketLimit } from "@/server/admission/rate-limit";
import type { RequestStats } from "@/server/admission/request-stats";
import { systemClock } from "@/server/core/clock";
import { log } from "@/server/log";
import { agentTokenAuth } from "./agent-token-auth";

interface AgentSocketData {
  token: VerifiedToken;
  agentId?: string;
  /** Set once the mailbox backlog was pushed; new messages wait for it so order holds. */
  mailboxReady?: boolean;
  /** Why the server closed this connection, if it did. */
  kickedBecause?: string;
}

type AgentSocket = Socket<AgentClientToServer, AgentServerToClient, Record<string, never>, AgentSocketData>;

function toAck(e: unknown): Ack {
  if (e instanceof AppError) {
    const retryAfterMs = retryAfterMsOf(e);
    return { ok: false, error: retryAfterMs === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, retryAfterMs } };
  }
  log.error("unhandled error in agent socket handler", { error: (e as Error)?.stack ?? String(e) });
  return { ok: false, error: { code: "INTERNAL", message: "Internal error; the server logged the details." } };
}

function parse<T extends z.ZodType>(schema: T, v: unknown): z.infer<T> {
  const r = schema.safeParse(v);
  if (!r.success) throw new AppError("BAD_REQUEST", `Invalid message: ${describeZodError(r.error.issues)}.`);
  return r.data;
}

/** Socket.IO's disconnect reason as the sentence an operator reads on the agent's tile. */
export function offlineReason(why: string): string {
  if (why === "client namespace disconnect") return STOPPED_BY_OWNER;
  if (why === "ping timeout") return "connection lost: it stopped answering pings";
  if (why === "server shutting down") return SERVER_STOPPED;
  if (why === "server namespace disconnect") return "disconnected by the server";
  return `connection lost (${why})`;
}

function pushMessages(socket: AgentSocket, messages: MessageView[]) {
  for (let i = 0; i < messages.length; i += MESSAGE_LIMITS.batch) socket.emit("messages:received", messages.slice(i, i + MESSAGE_LIMITS.batch));
}

/** Wraps a handler: a missing ack callback or a thrown error never crashes the server. */
function handler<A>(socket: AgentSocket, fn: (arg: A) => Promise<unknown>) {
  return (arg: A, ack?: unknown) => {
    const reply = typeof ack === "function" ? (ack as (r: Ack) => void) : () => {};
    fn(arg).then(
      (data) => reply(data === undefined ? { ok: true } : { ok: true, data }),
      (e) => reply(toAck(e)),
    );
  };
}

export interface AgentsSocketDeps {
  services: ServiceContext;
  stats?: RequestStats;
  /** Events per connection (a runaway or hostile agent cannot flood the coordinator). */
  eventLimit?: BucketLimit;
}

export function attachAgentsSocket(io: Server, deps: AgentsSocketDeps) {
  const nsp = io.of("/agents") as unknown as Namespace<AgentClientToServer, AgentServerToClient, Record<string, never>, AgentSocketData>;
  const svc = deps.services;
  const { coordinator, messages, tokens } = svc.deps;
  /** agentId → its socket. One live connection per agent: a newer one replaces the old. */
  const sockets = new Map<string, AgentSocket>();

  nsp.use(agentTokenAuth(tokens) as unknown as Parameters<typeof nsp.use>[0]);

  nsp.on("connection", (socket) => {
    const limiter = new RateLimiter(deps.eventLimit ?? { perSecond: 2000, burst: 4000 }, systemClock, 1);
    /**
     * Every event goes through here: its rule in lib/policy.ts (AGENT_SOCKET_RULES; an event
     * without one is not listened to at all), the connection's rate limit, tracking, then the
     * handler, whose errors become the ack.
     */
    const caller: Caller = { principal: { kind: "token", token: socket.data.token }, ip: socket.handshake.address };
    const on = (event: keyof AgentClientToServer, fn: (arg: unknown) => Promise<unknown>) => {
      const op = AGENT_SOCKET_OPERATIONS[event];
      if (!op) throw new Error(`no authorization rule for socket event ${event}`);
      const run = handler(socket, async (arg: unknown) => {
        svc.authorize(caller, op);
        const v = limiter.take("events");
        if (!v.ok) throw new AppError("RATE_LIMITED", `Too many events on this connection; retry in ${Math.ceil(v.retryAfterMs)} ms.`, { retryAfterMs: Math.ceil(v.retryAfterMs) });
        assertWellFormed(arg);
        return fn(arg);
      });
      (socket as unknown as { on(e: string, l: (...args: unknown[]) => void): void }).on(event, (...args: unknown[]) => {
        const started = performance.now();
        // `agent:drain` has only an ack; the others an argument and an ack.
        const [arg, ack] = typeof args[0] === "function" ? [undefined, args[0]] : [args[0], args[1]];
        run(arg, (r: Ack) => {
          const ms = performance.now() - started;
          deps.stats?.record(`socket ${event}`, r.ok ? 200 : (HTTP_STATUS[r.error.code as keyof typeof HTTP_STATUS] ?? 500), ms, `token:${socket.data.token.name}`);
          svc.deps.tracing?.socketEvent(event, arg, ms, r, socket.data.agentId);
          if (typeof ack === "function") ack(r);
        });
      });
    };
    const agentId = () => {
      if (!socket.data.agentId) throw new AppError("BAD_REQUEST", "Register first: emit agent:register with your agent card.");
      return socket.data.agentId;
    };

    on("agent:register", async (card: unknown) => {
      const parsed = parse(agentCardSchema, card);
      const r = await agentProtocol.registerAgent(svc, caller, parsed, "socket", (id) => {
        // Bound before the registration commits: its batch may already assign work to us.
        const previous = sockets.get(id);
        if (previous && previous.id !== socket.id) {
          previous.data.agentId = undefined; // its disconnect must not mark the agent offline
          previous.disconnect(true);
        }
        socket.data.agentId = id;
        sockets.set(id, socket);
      });
      log.info("agent registered", { agent: parsed.name, id: r.agentId, held: r.held.length });
      // Whatever it has not acknowledged comes again, in order, right after the register ack.
      socket.data.mailboxReady = false;
      setImmediate(() => {
        pushMessages(socket, agentProtocol.unread(svc, r.agentId));
        socket.data.mailboxReady = true;
      });
      return r;
    });
    on("message:send", async (v: unknown) => agentProtocol.send(svc, caller, agentId(), parse(sendMessageSchema, v)));
    on("message:sendMany", async (v: unknown) => ({ results: await agentProtocol.sendMany(svc, caller, agentId(), parse(sendManySchema, v).messages) }));
    on("message:ack", async (v: unknown) => ({ acked: await agentProtocol.ack(svc, caller, agentId(), parse(ackMessagesSchema, v).upTo) }));
    on("agent:heartbeat", async (hb: unknown) => ({ cancel: await agentProtocol.heartbeat(svc, caller, agentId(), parse(heartbeatSchema, hb)) }));
    on("agent:drain", async () => agentProtocol.drainSelf(svc, caller, agentId()));
    on("task:accept", async (v: unknown) => agentProtocol.accept(svc, caller, parse(acceptSchema, v), agentId()));
    on("task:progress", async (v: unknown) => agentProtocol.progress(svc, caller, parse(progressSchema, v), agentId()));
    on("task:complete", async (v: unknown) => agentProtocol.complete(svc, caller, parse(completeSchema, v), agentId()));
    on("task:fail", async (v: unknown) => agentProtocol.fail(svc, caller, parse(failSchema, v), agentId()));
    on("task:release", async (v: unknown) => agentProtocol.release(svc, caller, parse(releaseSchema, v), agentId()));

    socket.on("disconnect", (why) => {
      const id = socket.data.agentId;
      if (id && sockets.get(id) === socket) {
        sockets.delete(id);
        coordinator.agentDisconnected(id, socket.data.kickedBecause ?? offlineReason(why));
        log.info("agent disconnected", { id, why });
      }
    });
  });

  coordinator.bus.on("tasksAssigned", (list) => {
    const tracing = svc.deps.tracing;
    for (const { agentId, assignment } of list) sockets.get(agentId)?.emit("task:assigned", tracing ? tracing.withTraceparent(assignment) : assignment);
    // An assignment to an agent without a socket is not lost: its lease expires and the task
    // is retried, or the agent gets it back in `held` when it re-registers.
  });
  coordinator.bus.on("attemptsCanceled", (list) => {
    for (const c of list) sockets.get(c.agentId)?.emit("task:cancel", { taskId: c.taskId, attempt: c.attempt, reason: c.reason });
  });
  messages.bus.on("delivered", (list) => {
    // One push per recipient per write, not one per message.
    const byAgent = new Map<string, MessageView[]>();
    for (const { agentId, message } of list) {
      const mine = byAgent.get(agentId);
      if (mine) mine.push(message);
      else byAgent.set(agentId, [message]);
    }
    for (const [agentId, messages] of byAgent) {
      const s = sockets.get(agentId);
      if (s?.data.mailboxReady) pushMessages(s, messages);
    }
  });
  tokens.onRevoke((tokenId) => {
    for (const s of sockets.values()) {
      if (s.data.token.id !== tokenId) continue;
      s.data.kickedBecause = "disconnected by the server: its token was revoked";
      s.disconnect(true);
    }
  });
  return nsp;
}
