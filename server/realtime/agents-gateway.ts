// Socket.IO namespace /agents: the push transport of the agent protocol. Every event is parsed
// with the shared zod schemas and answered through its ack; the coordinator does the work.
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
  type AgentClientToServer,
  type AgentServerToClient,
} from "@/lib/protocol";
import type { Coordinator } from "@/server/coordinator/coordinator";
import type { TokenService, VerifiedToken } from "@/server/auth/tokens";
import type { MessageService } from "@/server/messaging/message-service";
import { MESSAGE_LIMITS, ackMessagesSchema, sendManySchema, sendMessageSchema, type MessageView } from "@/lib/messaging";
import { AppError, HTTP_STATUS, describeZodError } from "@/server/errors";
import { AGENT_SOCKET_RULES, can, deniedMessage } from "@/lib/policy";
import { RateLimiter, type BucketLimit } from "@/server/gateway/rate-limit";
import type { RequestStats } from "@/server/gateway/request-stats";
import { systemClock } from "@/server/core/clock";
import { log } from "@/server/log";

interface AgentSocketData {
  token: VerifiedToken;
  agentId?: string;
  /** Set once the mailbox backlog was pushed; new messages wait for it so order holds. */
  mailboxReady?: boolean;
}

type AgentSocket = Socket<AgentClientToServer, AgentServerToClient, Record<string, never>, AgentSocketData>;

function toAck(e: unknown): Ack {
  if (e instanceof AppError) return { ok: false, error: { code: e.code, message: e.message } };
  log.error("unhandled error in agent socket handler", { error: (e as Error)?.stack ?? String(e) });
  return { ok: false, error: { code: "INTERNAL", message: "Internal error; the server logged the details." } };
}

function parse<T extends z.ZodType>(schema: T, v: unknown): z.infer<T> {
  const r = schema.safeParse(v);
  if (!r.success) throw new AppError("BAD_REQUEST", `Invalid message: ${describeZodError(r.error.issues)}.`);
  return r.data;
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

export interface AgentsGatewayDeps {
  coordinator: Coordinator;
  tokens: TokenService;
  messages: MessageService;
  stats?: RequestStats;
  /** Events per connection (a runaway or hostile agent cannot flood the coordinator). */
  eventLimit?: BucketLimit;
}

export function attachAgentsGateway(io: Server, deps: AgentsGatewayDeps) {
  const nsp = io.of("/agents") as unknown as Namespace<AgentClientToServer, AgentServerToClient, Record<string, never>, AgentSocketData>;
  const { coordinator } = deps;
  /** agentId → its socket. One live connection per agent: a newer one replaces the old. */
  const sockets = new Map<string, AgentSocket>();

  nsp.use(async (socket, next) => {
    try {
      const token = (socket.handshake.auth as { token?: unknown })?.token;
      const verified = await deps.tokens.verify(typeof token === "string" ? token : undefined);
      if (!can({ kind: "token", scope: verified.scope }, "agent")) throw new AppError("FORBIDDEN", deniedMessage({ kind: "token", scope: verified.scope }, "agent"));
      socket.data.token = verified;
      next();
    } catch (e) {
      next(new Error(e instanceof AppError ? e.message : "authentication failed"));
    }
  });

  nsp.on("connection", (socket) => {
    const limiter = new RateLimiter(deps.eventLimit ?? { perSecond: 2000, burst: 4000 }, systemClock, 1);
    /**
     * Every event goes through here: its rule in lib/policy.ts (AGENT_SOCKET_RULES; an event
     * without one is not listened to at all), the connection's rate limit, tracking, then the
     * handler, whose errors become the ack.
     */
    const on = (event: keyof AgentClientToServer, fn: (arg: unknown) => Promise<unknown>) => {
      const rule = AGENT_SOCKET_RULES[event];
      if (!rule) throw new Error(`no authorization rule for socket event ${event}`);
      const run = handler(socket, async (arg: unknown) => {
        if (!can({ kind: "token", scope: socket.data.token.scope }, rule)) throw new AppError("FORBIDDEN", deniedMessage({ kind: "token", scope: socket.data.token.scope }, rule));
        const v = limiter.take("events");
        if (!v.ok) throw new AppError("RATE_LIMITED", `Too many events on this connection; retry in ${Math.ceil(v.retryAfterMs)} ms.`);
        return fn(arg);
      });
      (socket as unknown as { on(e: string, l: (...args: unknown[]) => void): void }).on(event, (...args: unknown[]) => {
        const started = performance.now();
        // `agent:drain` has only an ack; the others an argument and an ack.
        const [arg, ack] = typeof args[0] === "function" ? [undefined, args[0]] : [args[0], args[1]];
        run(arg, (r: Ack) => {
          deps.stats?.record(`socket ${event}`, r.ok ? 200 : (HTTP_STATUS[r.error.code as keyof typeof HTTP_STATUS] ?? 500), performance.now() - started, `token:${socket.data.token.name}`);
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
        const r = await coordinator.registerAgent(parsed, socket.data.token, "socket", (id) => {
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
          pushMessages(socket, deps.messages.unread(r.agentId, 0, Number.POSITIVE_INFINITY));
          socket.data.mailboxReady = true;
        });
        return r;
    });
    on("message:send", async (v: unknown) => deps.messages.send({ agentId: agentId() }, parse(sendMessageSchema, v)));
    on("message:sendMany", async (v: unknown) => ({ results: await deps.messages.sendMany({ agentId: agentId() }, parse(sendManySchema, v).messages) }));
    on("message:ack", async (v: unknown) => ({ acked: await deps.messages.ack(agentId(), parse(ackMessagesSchema, v).upTo) }));
    on("agent:heartbeat", async (hb: unknown) => ({ cancel: await coordinator.heartbeat(agentId(), parse(heartbeatSchema, hb)) }));
    on("agent:drain", async () => coordinator.drainAgent(agentId()));
    on("task:accept", async (v: unknown) => {
      const r = parse(acceptSchema, v);
      await coordinator.accept(agentId(), r.taskId, r.attempt);
    });
    on("task:progress", async (v: unknown) => coordinator.progress(agentId(), parse(progressSchema, v)));
    on("task:complete", async (v: unknown) => {
      const r = parse(completeSchema, v);
      await coordinator.complete(agentId(), r.taskId, r.attempt, r.result);
    });
    on("task:fail", async (v: unknown) => {
      const r = parse(failSchema, v);
      await coordinator.fail(agentId(), r.taskId, r.attempt, r.error, r.retryable, r.result);
    });
    on("task:release", async (v: unknown) => {
      const r = parse(releaseSchema, v);
      await coordinator.release(agentId(), r.taskId, r.attempt, r.reason);
    });

    socket.on("disconnect", (why) => {
      const id = socket.data.agentId;
      if (id && sockets.get(id) === socket) {
        sockets.delete(id);
        coordinator.agentDisconnected(id, `connection lost (${why})`);
        log.info("agent disconnected", { id });
      }
    });
  });

  coordinator.bus.on("tasksAssigned", (list) => {
    for (const { agentId, assignment } of list) sockets.get(agentId)?.emit("task:assigned", assignment);
    // An assignment to an agent without a socket is not lost: its lease expires and the task
    // is retried, or the agent gets it back in `held` when it re-registers.
  });
  coordinator.bus.on("attemptsCanceled", (list) => {
    for (const c of list) sockets.get(c.agentId)?.emit("task:cancel", { taskId: c.taskId, attempt: c.attempt, reason: c.reason });
  });
  deps.messages.bus.on("delivered", (list) => {
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
  deps.tokens.onRevoke((tokenId) => {
    for (const s of sockets.values()) if (s.data.token.id === tokenId) s.disconnect(true);
  });
  return nsp;
}
