// The agent SDK: connect to the /agents namespace, register, take assignments, run them
// through a handler and report back. The command runner (runner.ts) is built on it, and a
// custom agent is a handler plus a card:
//
//   const agent = await connectAgent({ server, token, card: { name: "a1", slots: 2 },
//     onTask: async (task, ctx) => { ctx.log("working"); return { ok: true }; },
//     onMessage: async (m, ctx) => { if (m.body === "ping") await ctx.reply("pong"); } });
//
// Messages (see lib/messaging.ts and inbox.ts) are handled one at a time in seq order and
// acknowledged cumulatively after the handler returns; `agent.send` and `agent.reply` go
// through the same ordered, reconnect-surviving queue as the task reports.

import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { io, type Socket } from "socket.io-client";
import { z } from "zod";
import {
  ackSchema,
  agentCardSchema,
  assignmentSchema,
  cancelNoticeSchema,
  completeSchema,
  LIMITS,
  registeredSchema,
  type Ack,
  type AgentCard,
  type AgentCardInput,
  type Assignment,
  type CancelNotice,
  type LogStream,
  type Registered,
  type Resources,
} from "../lib/protocol";
import type { AgentClientToServer, AgentServerToClient } from "../lib/agent-socket-events";
import { sendMessageSchema, type MessageView, type SendMessage, type SendMessageInput, type SendResult } from "../lib/messaging";
import { reconcileHeld, type AttemptRef } from "./held-tasks";
import { accepts, describeSubmitter } from "../lib/accept-from";
import { MessageInbox, messageViewSchema } from "./inbox";
import { MessageOutbox } from "./message-outbox";
import { LogBatcher } from "./log-batcher";
import { createSelfSampler } from "./process-tree-sampler";
import { ReportQueue, TransportClosedError, type Report } from "./report-queue";

export { ApiError, createHttpClient, type HttpClient } from "./http-client";

// ---- Public types ----

export interface TaskContext {
  readonly taskId: string;
  readonly attempt: number;
  /** Fires when the task is canceled, its lease is lost, or the agent gives it back; stop then. */
  readonly signal: AbortSignal;
  log(line: string, stream?: LogStream): void;
  progress(percent?: number, message?: string): void;
}

/** Return the result (any JSON) to complete the task; throw to fail it. */
export type TaskHandler = (task: Assignment, ctx: TaskContext) => unknown;

/** Throw this (or any error with `retryable: false`) when retrying cannot help. */
export class TaskError extends Error {
  readonly retryable: boolean;
  readonly result: unknown;
  constructor(message: string, options: { retryable?: boolean; result?: unknown } = {}) {
    super(message);
    this.retryable = options.retryable ?? true;
    this.result = options.result;
  }
}

/** Why a task's signal fired. The SDK sends no outcome for an aborted task. */
export type AbortKind = "canceled" | "stale" | "released" | "closed";
export class TaskAbortedError extends Error {
  constructor(
    readonly kind: AbortKind,
    message: string,
  ) {
    super(message);
  }
}

export type TaskOutcome = AttemptRef & { title: string; durationMs: number } & (
    | { status: "succeeded" }
    | { status: "failed"; error: string; retryable: boolean }
    | { status: AbortKind; reason: string }
  );

/** Fatal: the server refused the agent (bad token, invalid card); it will not retry. */
export class AgentRejectedError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Options of a reply: everything of a send but the address and the thread link. */
export type ReplyOptions = Omit<SendMessageInput, "to" | "body" | "replyTo">;

export interface MessageContext {
  /** Replies to the sender of this message (see Agent.reply). */
  reply(body: string, options?: ReplyOptions): Promise<SendResult>;
  /** Acknowledges this message (and every earlier one) now, before the handler returns. */
  ack(): Promise<void>;
}

/**
 * Called for each message of this agent's mailbox, one at a time, in seq order. The SDK acks
 * the message when the handler settles — also when it throws: the error is logged and the
 * message counts as handled, because a message that always fails would otherwise block the
 * mailbox (which is strictly ordered) and come back on every reconnect.
 */
export type MessageHandler = (message: MessageView, ctx: MessageContext) => unknown;

/** A send or reply the server refused (invalid address, no recipient, too large, …). */
export class MessageSendError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export interface AgentLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface ConnectAgentOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:3000. */
  server: string;
  token: string;
  card: AgentCardInput;
  onTask: TaskHandler;
  /** Without one, messages are only emitted as `message` events and acked right after. */
  onMessage?: MessageHandler;
  /** Measured for every heartbeat; defaults to this process's CPU and RSS. */
  resources?: () => Resources | Promise<Resources>;
  logger?: AgentLogger;
  /** Socket.IO path; the server's default is /socket.io. */
  path?: string;
  reconnectDelayMs?: number;
  reconnectDelayMaxMs?: number;
  ackTimeoutMs?: number;
  logFlushMs?: number;
  logFlushLines?: number;
  /** Reports kept while offline before progress reports are dropped (outcomes never are). */
  maxQueuedReports?: number;
}

export interface AgentEvents {
  connected: [];
  disconnected: [reason: string];
  reconnecting: [attempt: number];
  registered: [registration: Registered];
  /** A task arrived (before it is accepted or run). */
  taskAssigned: [task: Assignment];
  taskStarted: [task: Assignment];
  taskFinished: [outcome: TaskOutcome];
  /** A new message arrived (emitted once per message, before the handler runs). */
  message: [message: MessageView];
  /** A fatal error; the agent has stopped. */
  error: [error: Error];
  closed: [];
}

export interface Agent extends EventEmitter<AgentEvents> {
  /** Stable across reconnects of the same name. */
  readonly agentId: string;
  readonly card: AgentCard;
  /** Tasks whose handler is still running. */
  readonly runningTasks: readonly AttemptRef[];
  readonly draining: boolean;
  /** Resolves when the agent stops: null after close(), the error after a fatal rejection. */
  readonly stopped: Promise<Error | null>;
  /** Sends a message as this agent; queued while disconnected, resolves once the server stored it. */
  send(input: SendMessageInput): Promise<SendResult>;
  /** Replies to a message: addressed to its sending agent by id, in its thread. Throws when the
   * sender is not an agent (e.g. a script using an API token). */
  reply(to: MessageView, body: string, options?: ReplyOptions): Promise<SendResult>;
  /** Tells the server to send no more work; resolves when every running handler has ended. */
  drain(): Promise<void>;
  /** Aborts every running task and gives it back to the server without using an attempt. */
  releaseAll(reason?: string): Promise<void>;
  /** Releases what still runs, waits up to `flushTimeoutMs` for queued reports, disconnects. */
  close(options?: { flushTimeoutMs?: number }): Promise<void>;
}

// ---- Implementation ----

interface TaskEntry {
  assignment: Assignment;
  phase: "accepting" | "running" | "reporting";
  controller: AbortController;
  batcher: LogBatcher;
  startedAt: number;
  /** Settles when the handler has returned or thrown (or the task was dropped before it ran). */
  handlerDone: Promise<void>;
  markHandlerDone: () => void;
}

type ReportEvent = Exclude<keyof AgentClientToServer, "agent:register" | "agent:heartbeat" | "message:ack">;
type ProgressPayload = Parameters<AgentClientToServer["task:progress"]>[0];
type ReportPayload<E extends ReportEvent> = E extends "agent:drain" ? undefined : Parameters<AgentClientToServer[E]>[0];

const heartbeatAckSchema = z.object({ cancel: z.array(cancelNoticeSchema).default([]) });
const sendResultSchema = z.looseObject({ messageId: z.string(), threadId: z.string(), recipients: z.array(z.string()) });
const sendManyAnswerSchema = z.object({ results: z.array(ackSchema) });
const silentLogger: AgentLogger = { info() {}, warn() {} };

// Fatal registration answers; anything else (timeouts, UNAVAILABLE) is retried by reconnecting.
const FATAL_CODES = new Set(["UNAUTHORIZED", "FORBIDDEN", "BAD_REQUEST"]);

/** Connects, registers and resolves once the first registration succeeded. */
export function connectAgent(options: ConnectAgentOptions): Promise<Agent> {
  const parsedCard = agentCardSchema.safeParse(options.card);
  if (!parsedCard.success) {
    const issue = parsedCard.error.issues[0];
    return Promise.reject(new AgentRejectedError(`invalid agent card: ${issue.path.join(".") || "card"}: ${issue.message}`, "BAD_REQUEST"));
  }
  return new AgentConnection(options, parsedCard.data).start();
}

class AgentConnection extends EventEmitter<AgentEvents> implements Agent {
  agentId = "";
  draining = false;
  readonly stopped: Promise<Error | null>;

  readonly #options: ConnectAgentOptions;
  readonly #log: AgentLogger;
  readonly #socket: Socket<AgentServerToClient, AgentClientToServer>;
  readonly #queue: ReportQueue;
  readonly #tasks = new Map<string, TaskEntry>();
  readonly #inFlight = new Set<(error: Error) => void>();
  readonly #resources: () => Resources | Promise<Resources>;
  readonly #ackTimeoutMs: number;
  readonly #inbox: MessageInbox;
  readonly #outbox: MessageOutbox;
  #registered = false;
  #closing = false;
  #closed: Promise<void> | undefined;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #heartbeatBusy = false;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #unreachableLogged = false;
  #resolveStopped!: (error: Error | null) => void;
  #firstRegistration!: { resolve: (agent: Agent) => void; reject: (error: Error) => void; settled: boolean };

  constructor(
    options: ConnectAgentOptions,
    readonly card: AgentCard,
  ) {
    super();
    this.#options = options;
    this.#log = options.logger ?? silentLogger;
    this.#ackTimeoutMs = options.ackTimeoutMs ?? 30_000;
    const sampler = createSelfSampler();
    this.#resources = options.resources ?? (() => sampler.sample());
    this.stopped = new Promise((resolve) => (this.#resolveStopped = resolve));
    this.#queue = new ReportQueue((report) => this.#send(report.event, report.payload), {
      maxPending: options.maxQueuedReports ?? 10_000,
      onDrop: () => this.#log.warn("dropped a progress report: too many reports waiting for the connection"),
      coalesce: mergeProgress,
    });
    this.#inbox = new MessageInbox({
      handle: (message) => this.#handleMessage(message),
      sendAck: async (upTo) => {
        const ack = await this.#send("message:ack", { upTo });
        if (!ack.ok) {
          this.#log.warn(`message ack up to ${upTo} was refused: ${ack.error.message}`);
          throw new Error(ack.error.message);
        }
      },
    });
    this.#outbox = new MessageOutbox({
      canSend: () => this.#queue.size === 0 && this.#registered && this.#socket.connected,
      sendBatch: async (messages) => {
        const ack = await this.#send("message:sendMany", { messages });
        if (!ack.ok) return messages.map(() => ack);
        const answer = sendManyAnswerSchema.safeParse(ack.data);
        if (!answer.success || answer.data.results.length !== messages.length) {
          return messages.map(() => ({ ok: false as const, error: { code: "INTERNAL", message: "malformed answer to message:sendMany" } }));
        }
        return answer.data.results as Ack[];
      },
      fallback: (message) => this.#report("message:send", message),
    });
    this.#socket = io(new URL("/agents", options.server).toString(), {
      path: options.path ?? "/socket.io",
      auth: { token: options.token },
      // WebSocket only: agents are long-lived, and skipping long-polling avoids the
      // sticky-session requirement behind load balancers.
      transports: ["websocket"],
      reconnection: true,
      reconnectionAttempts: Infinity,
      // Back-off 300 ms doubling to 2 s, each ±50 % (Socket.IO's jitter, so a fleet does not come
      // back in step): after a restart an agent is back within ~2 s of the server, not 5. An
      // attempt against a server that is down is a refused TCP connection — cheap to repeat.
      reconnectionDelay: options.reconnectDelayMs ?? 300,
      reconnectionDelayMax: options.reconnectDelayMaxMs ?? 2_000,
      autoConnect: false,
    });
  }

  get runningTasks(): AttemptRef[] {
    return [...this.#tasks.values()].filter((t) => t.phase !== "reporting").map(refOf);
  }

  start(): Promise<Agent> {
    const promise = new Promise<Agent>((resolve, reject) => (this.#firstRegistration = { resolve, reject, settled: false }));
    this.#wireSocket();
    this.#socket.connect();
    return promise;
  }

  // -- Connection lifecycle --

  #wireSocket() {
    const socket = this.#socket;
    socket.on("connect", () => {
      this.#unreachableLogged = false;
      this.#log.info(`connected to ${this.#options.server}`);
      this.emit("connected");
      this.#register();
    });
    socket.on("disconnect", (reason) => this.#onDisconnect(reason));
    socket.on("connect_error", (error) => {
      if (!socket.active) {
        // The server's middleware refused us (e.g. unknown token); Socket.IO does not retry that.
        this.#fail(new AgentRejectedError(`the server refused the connection: ${error.message}`, "UNAUTHORIZED"));
      } else if (!this.#unreachableLogged) {
        this.#unreachableLogged = true;
        this.#log.warn(`cannot reach ${this.#options.server}: ${error.message}`);
      }
    });
    socket.io.on("reconnect_attempt", (attempt) => {
      // Every attempt for the first few, then every tenth, so a long outage stays readable.
      if (attempt <= 5 || attempt % 10 === 0) this.#log.info(`reconnecting (attempt ${attempt})`);
      this.emit("reconnecting", attempt);
    });
    socket.on("task:assigned", (raw) => this.#onAssigned(raw));
    socket.on("messages:received", (raw) => {
      if (!Array.isArray(raw)) return this.#log.warn("ignored a malformed messages:received: not an array");
      for (const one of raw) {
        const parsed = messageViewSchema.safeParse(one);
        if (parsed.success) this.#inbox.push(parsed.data as MessageView);
        else this.#log.warn(`ignored a malformed message in messages:received: ${parsed.error.issues[0]?.message}`);
      }
    });
    socket.on("task:cancel", (raw) => {
      const notice = cancelNoticeSchema.safeParse(raw);
      if (notice.success) this.#onCancel(notice.data);
      else this.#log.warn(`ignored a malformed task:cancel: ${notice.error.issues[0]?.message}`);
    });
  }

  #register() {
    this.#socket.timeout(this.#ackTimeoutMs).emit("agent:register", this.card, (err, raw) => {
      if (!this.#socket.connected || this.#closing) return;
      const ack = err ? null : ackSchema.safeParse(raw);
      if (ack?.success && ack.data.ok) {
        const registration = registeredSchema.safeParse(ack.data.data);
        if (registration.success) return this.#onRegistered(registration.data);
        return this.#fail(new AgentRejectedError(`the server answered agent:register with an unexpected shape: ${registration.error.issues[0]?.message}`));
      }
      if (ack?.success && !ack.data.ok && FATAL_CODES.has(ack.data.error.code)) {
        return this.#fail(new AgentRejectedError(`the server rejected the registration: ${ack.data.error.message}`, ack.data.error.code));
      }
      const why = err ? err.message : ack?.success && !ack.data.ok ? ack.data.error.message : "malformed answer";
      this.#log.warn(`registration failed (${why}); reconnecting`);
      this.#socket.disconnect();
      this.#reconnectLater(this.#options.reconnectDelayMaxMs ?? 5_000);
    });
  }

  #onRegistered(registration: Registered) {
    this.agentId = registration.agentId;
    this.#registered = true;
    this.#log.info(`registered as ${registration.agentId} (name ${this.card.name}, ${this.card.slots} slot${this.card.slots === 1 ? "" : "s"})`);

    const locals = [...this.#tasks.values()].map((t) => ({ ...refOf(t), phase: t.phase }));
    const { release, abandon } = reconcileHeld(locals, registration.held);
    for (const local of abandon) {
      const entry = this.#tasks.get(local.taskId);
      if (entry) this.#abort(entry, "stale", "the server no longer assigns this attempt to us");
    }
    for (const ref of release) void this.#report("task:release", { ...ref, reason: "agent no longer runs this task" });
    if (this.draining) void this.#report("agent:drain", undefined);

    this.#queue.open();
    void this.#inbox.flush(); // an ack cut by the disconnect
    this.#startHeartbeats(registration.heartbeatIntervalMs);
    this.emit("registered", registration);
    if (!this.#firstRegistration.settled) {
      this.#firstRegistration.settled = true;
      this.#firstRegistration.resolve(this);
    }
  }

  #onDisconnect(reason: string) {
    this.#registered = false;
    this.#queue.close();
    this.#stopHeartbeats();
    // Socket.IO buffers emits made while the link is half-dead and replays them before our
    // re-registration; we resend from our own queue instead, so drop its buffer.
    this.#socket.sendBuffer = [];
    for (const reject of [...this.#inFlight]) reject(new TransportClosedError(reason));
    this.#inFlight.clear();
    if (this.#closing) return;
    this.#log.warn(`disconnected: ${reason}`);
    this.emit("disconnected", reason);
    if (reason === "io server disconnect") {
      // Socket.IO does not reconnect after a server-side disconnect; an agent should.
      const delay = this.#options.reconnectDelayMaxMs ?? 5_000;
      this.#log.info(`the server closed the connection; reconnecting in ${delay} ms`);
      this.#reconnectLater(delay);
    }
  }

  /** For the cases Socket.IO's own backoff does not cover; the timer keeps the process alive meanwhile. */
  #reconnectLater(delayMs: number) {
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => !this.#closing && this.#socket.connect(), delayMs);
  }

  #fail(error: Error) {
    if (this.#closing) return;
    // Before the first registration the error goes to connectAgent's caller instead.
    if (this.#firstRegistration.settled) this.#log.warn(error.message);
    this.#closing = true;
    this.#inbox.stop();
    for (const entry of this.#tasks.values()) this.#abort(entry, "closed", error.message);
    this.#shutdownSocket();
    if (!this.#firstRegistration.settled) {
      this.#firstRegistration.settled = true;
      this.#firstRegistration.reject(error);
    } else if (this.listenerCount("error") > 0) {
      this.emit("error", error);
    }
    this.#resolveStopped(error);
  }

  #shutdownSocket() {
    this.#stopHeartbeats();
    clearTimeout(this.#reconnectTimer);
    this.#queue.close();
    this.#socket.disconnect();
    this.emit("closed");
  }

  // -- Sending --

  /** One emit with its ack; rejects with TransportClosedError when the link is down or drops. */
  #send(event: string, payload: unknown): Promise<Ack> {
    if (!this.#registered || !this.#socket.connected) return Promise.reject(new TransportClosedError());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#inFlight.delete(onClosed);
        resolve({ ok: false, error: { code: "UNAVAILABLE", message: `no answer to ${event} within ${this.#ackTimeoutMs} ms` } });
      }, this.#ackTimeoutMs);
      const onClosed = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      this.#inFlight.add(onClosed);
      const onAck = (raw: unknown) => {
        if (!this.#inFlight.delete(onClosed)) return; // already settled by timeout or disconnect
        clearTimeout(timer);
        const ack = ackSchema.safeParse(raw);
        resolve(ack.success ? ack.data : { ok: false, error: { code: "INTERNAL", message: `malformed ack for ${event}` } });
      };
      // The event names and payloads were checked by #report's signature; the socket's
      // per-event typing cannot follow a runtime event name.
      const emit: (event: string, ...args: unknown[]) => unknown = this.#socket.emit.bind(this.#socket) as never;
      if (payload === undefined) emit(event, onAck);
      else emit(event, payload, onAck);
    });
  }

  #report<E extends ReportEvent>(event: E, payload: ReportPayload<E>, droppable = false): Promise<Ack> {
    const report: Report = { event, payload, droppable };
    return this.#queue.push(report);
  }

  // -- Heartbeats --

  #startHeartbeats(intervalMs: number) {
    this.#stopHeartbeats();
    void this.#heartbeat();
    this.#heartbeatTimer = setInterval(() => void this.#heartbeat(), Math.max(100, intervalMs));
  }

  #stopHeartbeats() {
    clearInterval(this.#heartbeatTimer);
    this.#heartbeatTimer = undefined;
  }

  async #heartbeat() {
    if (this.#heartbeatBusy || !this.#registered) return;
    this.#heartbeatBusy = true;
    try {
      const resources = await Promise.resolve(this.#resources()).catch((error: Error) => {
        this.#log.warn(`could not measure resources: ${error.message}`);
        return {};
      });
      const taskIds = this.runningTasks.map((t) => t.taskId);
      // Heartbeats bypass the report queue: a late one is worthless, and it must not wait
      // behind a backlog of logs.
      const ack = await this.#send("agent:heartbeat", { ...resources, taskIds });
      if (!ack.ok) return this.#log.warn(`heartbeat rejected: ${ack.error.message}`);
      const data = heartbeatAckSchema.safeParse(ack.data ?? {});
      if (data.success) data.data.cancel.forEach((notice) => this.#onCancel(notice));
    } catch (error) {
      if (!(error instanceof TransportClosedError)) this.#log.warn(`heartbeat failed: ${(error as Error).message}`);
    } finally {
      this.#heartbeatBusy = false;
    }
  }

  // -- Tasks --

  #onAssigned(raw: unknown) {
    const parsed = assignmentSchema.safeParse(raw);
    if (!parsed.success) {
      this.#log.warn(`ignored a malformed task:assigned: ${parsed.error.issues[0]?.message}`);
      return;
    }
    const task = parsed.data;
    this.emit("taskAssigned", task);
    const existing = this.#tasks.get(task.taskId);
    const live = existing && !existing.controller.signal.aborted ? existing : undefined;
    if (live?.assignment.attempt === task.attempt) return; // a repeated push of what we run
    if (live) this.#abort(live, "stale", `superseded by attempt ${task.attempt}`);

    const busy = [...this.#tasks.values()].filter((t) => t.phase !== "reporting").length;
    if (this.draining || this.#closing || busy >= this.card.slots) {
      const reason = this.draining || this.#closing ? "agent is draining" : `agent has no free slot (${this.card.slots} in use)`;
      this.#log.info(`released task ${task.taskId}: ${reason}`);
      void this.#report("task:release", { taskId: task.taskId, attempt: task.attempt, reason });
      return;
    }
    // The server only offers tasks this agent accepts; checked again here, before anything runs,
    // so a mistake (or a compromised server) cannot make a locked-down runner execute a command.
    if (!accepts(this.card.acceptFrom, task.submittedBy)) {
      const why = `refused: submitted by ${describeSubmitter(task.submittedBy)}; this agent accepts only ${this.card.acceptFrom.join(", ")}`;
      this.#log.warn(`task ${task.taskId} ${why}`);
      void this.#report("task:fail", { taskId: task.taskId, attempt: task.attempt, error: why, retryable: false });
      return;
    }
    void this.#run(task);
  }

  async #run(task: Assignment) {
    let markHandlerDone!: () => void;
    const handlerDone = new Promise<void>((resolve) => (markHandlerDone = resolve));
    const entry: TaskEntry = {
      assignment: task,
      phase: "accepting",
      controller: new AbortController(),
      startedAt: Date.now(),
      handlerDone,
      markHandlerDone,
      batcher: new LogBatcher({
        flushMs: this.#options.logFlushMs,
        maxLines: this.#options.logFlushLines,
        emit: (batch) => void this.#report("task:progress", { ...refOf(entry), ...batch }, true).then((ack) => this.#checkStale(entry, ack)),
      }),
    };
    this.#tasks.set(task.taskId, entry);

    const accepted = await this.#report("task:accept", refOf(entry));
    if (entry.controller.signal.aborted || !accepted.ok) {
      if (!accepted.ok) this.#log.warn(`task ${task.taskId} was not accepted: ${accepted.error.message}`);
      this.#forget(entry);
      entry.markHandlerDone();
      return;
    }

    entry.phase = "running";
    this.#log.info(`task ${task.taskId} attempt ${task.attempt} started: ${task.title}`);
    this.emit("taskStarted", task);

    const ctx: TaskContext = {
      taskId: task.taskId,
      attempt: task.attempt,
      signal: entry.controller.signal,
      log: (line, stream) => entry.batcher.log(line, stream),
      progress: (percent, message) => entry.batcher.progress(percent, message),
    };
    let outcome: { ok: true; result: unknown } | { ok: false; error: string; retryable: boolean; result?: unknown };
    try {
      outcome = { ok: true, result: await this.#options.onTask(task, ctx) };
    } catch (error) {
      outcome = failureOf(error);
    }
    entry.markHandlerDone();

    const aborted = entry.controller.signal.reason;
    if (aborted instanceof TaskAbortedError) {
      // Whoever aborted owns the report: a cancel needs none, a release was already sent.
      this.#forget(entry);
      this.#finished(entry, { status: aborted.kind, reason: aborted.message });
      return;
    }
    entry.batcher.stop();
    entry.phase = "reporting";

    if (outcome.ok) {
      const problem = resultProblem(outcome.result);
      if (problem) outcome = { ok: false, error: `the task's result cannot be sent: ${problem}`, retryable: false };
    } else {
      // An error the server would refuse must not turn a failure into a silent lease expiry.
      outcome.error = outcome.error.slice(0, LIMITS.errorLength);
      if (resultProblem(outcome.result)) outcome.result = undefined;
    }
    const ack = outcome.ok
      ? await this.#report("task:complete", { ...refOf(entry), result: outcome.result })
      : await this.#report("task:fail", { ...refOf(entry), error: outcome.error, retryable: outcome.retryable, result: outcome.result });
    this.#forget(entry);
    if (!ack.ok) this.#log.warn(`task ${task.taskId}: the server did not take the outcome: ${ack.error.message}`);
    this.#finished(entry, outcome.ok ? { status: "succeeded" } : { status: "failed", error: outcome.error, retryable: outcome.retryable });
  }

  #finished(entry: TaskEntry, result: { status: "succeeded" } | { status: "failed"; error: string; retryable: boolean } | { status: AbortKind; reason: string }) {
    const outcome = { ...refOf(entry), title: entry.assignment.title, durationMs: Date.now() - entry.startedAt, ...result } as TaskOutcome;
    const seconds = (outcome.durationMs / 1000).toFixed(1);
    const detail = result.status === "succeeded" ? "" : `: ${firstLine("error" in result ? result.error : result.reason)}`;
    this.#log.info(`task ${entry.assignment.taskId} finished: ${result.status} after ${seconds}s${detail}`);
    this.emit("taskFinished", outcome);
  }

  #onCancel(notice: CancelNotice) {
    const entry = this.#tasks.get(notice.taskId);
    if (!entry || entry.assignment.attempt !== notice.attempt || entry.phase === "reporting") return;
    this.#abort(entry, "canceled", notice.reason);
  }

  #checkStale(entry: TaskEntry, ack: Ack) {
    if (!ack.ok && ack.error.code === "STALE_ATTEMPT" && this.#tasks.get(entry.assignment.taskId) === entry && entry.phase !== "reporting") {
      this.#abort(entry, "stale", ack.error.message);
    }
  }

  #abort(entry: TaskEntry, kind: AbortKind, reason: string) {
    if (entry.controller.signal.aborted) return;
    entry.batcher.stop({ discard: kind !== "released" });
    entry.controller.abort(new TaskAbortedError(kind, reason));
    // A stale attempt is dropped at once so that a newer attempt of the same task can run.
    if (kind === "stale") this.#forget(entry);
  }

  #forget(entry: TaskEntry) {
    if (this.#tasks.get(entry.assignment.taskId) === entry) this.#tasks.delete(entry.assignment.taskId);
  }

  // -- Messages --

  async #handleMessage(message: MessageView) {
    this.emit("message", message);
    const handler = this.#options.onMessage;
    if (!handler) return;
    const ctx: MessageContext = {
      reply: (body, options) => this.reply(message, body, options),
      ack: () => this.#inbox.ackNow(message.seq),
    };
    try {
      await handler(message, ctx);
    } catch (error) {
      // Logged and acked all the same: see MessageHandler.
      this.#log.warn(`message ${message.seq} (${message.id}) handler failed: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  async send(input: SendMessageInput): Promise<SendResult> {
    const parsed = sendMessageSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new MessageSendError(`invalid message: ${issue?.path.join(".") || "message"}: ${issue?.message}`, "BAD_REQUEST");
    }
    if (this.#closing) throw new MessageSendError("the agent is closed", "UNAVAILABLE");
    // Every send carries an idempotency key, so one resent after a lost answer or a
    // reconnect is stored once (the server answers a repeat with the first send's result).
    const ack = await this.#sendMessage({ ...parsed.data, key: parsed.data.key ?? randomUUID() });
    if (!ack.ok) throw new MessageSendError(`the server did not take the message: ${ack.error.message}`, ack.error.code);
    const result = sendResultSchema.safeParse(ack.data);
    if (!result.success) throw new MessageSendError(`the server answered message:send with an unexpected shape: ${result.error.issues[0]?.message}`, "INTERNAL");
    return result.data as SendResult;
  }

  /** Batched with other sends while connected (see MessageOutbox); otherwise via the ordered report queue. */
  #sendMessage(payload: SendMessage): Promise<Ack> {
    return this.#outbox.send(payload);
  }

  reply(to: MessageView, body: string, options: ReplyOptions = {}): Promise<SendResult> {
    if (!to.from.agentId) {
      return Promise.reject(
        new MessageSendError(`cannot reply to message ${to.id}: its sender "${to.from.name}" is not an agent (sent with an API token)`, "BAD_REQUEST"),
      );
    }
    return this.send({ ...options, to: { agent: to.from.agentId }, body, replyTo: to.id });
  }

  // -- Public controls --

  async drain(): Promise<void> {
    if (!this.draining) {
      this.draining = true;
      const running = this.runningTasks.length;
      this.#log.info(`draining: no new tasks; waiting for ${running} running task${running === 1 ? "" : "s"}`);
      void this.#report("agent:drain", undefined);
    }
    await this.#handlersDone();
  }

  async releaseAll(reason = "agent is shutting down"): Promise<void> {
    const entries = [...this.#tasks.values()].filter((t) => t.phase !== "reporting" && !t.controller.signal.aborted);
    const acks = entries.map((entry) => {
      this.#abort(entry, "released", reason);
      this.#log.info(`released task ${entry.assignment.taskId}: ${reason}`);
      return this.#report("task:release", { ...refOf(entry), reason });
    });
    await Promise.all(acks);
  }

  close(options: { flushTimeoutMs?: number } = {}): Promise<void> {
    this.#closed ??= this.#close(options.flushTimeoutMs ?? 5_000);
    return this.#closed;
  }

  async #close(flushTimeoutMs: number) {
    if (this.#closing) return; // already stopped by a fatal error
    this.draining = true;
    const released = this.releaseAll("agent is closing");
    // Acks of handled messages go too; a handler still running is not waited for (its message
    // stays unacknowledged and comes again on the next start).
    await withTimeout(Promise.all([released, this.#outbox.whenIdle().then(() => this.#queue.whenIdle()), this.#inbox.flush()]), flushTimeoutMs);
    if (this.#closing) return;
    this.#closing = true;
    this.#inbox.stop();
    for (const entry of this.#tasks.values()) this.#abort(entry, "closed", "agent closed");
    this.#shutdownSocket();
    this.#log.info("stopped");
    this.#resolveStopped(null);
  }

  async #handlersDone() {
    // Loop: a task accepted while waiting (assigned just before the drain) must be waited for too.
    for (;;) {
      const pending = [...this.#tasks.values()].filter((t) => t.phase !== "reporting");
      if (pending.length === 0) return;
      await Promise.all(pending.map((t) => t.handlerDone));
    }
  }
}

const refOf = (entry: TaskEntry): AttemptRef => ({ taskId: entry.assignment.taskId, attempt: entry.assignment.attempt });

function failureOf(error: unknown): { ok: false; error: string; retryable: boolean; result?: unknown } {
  if (error instanceof Error) {
    const extra = error as Error & { retryable?: unknown; result?: unknown };
    return { ok: false, error: error.message || error.name, retryable: extra.retryable !== false, result: extra.result };
  }
  return { ok: false, error: String(error), retryable: true };
}

/** Why the server would refuse this result (too large, not JSON), or undefined if it is fine. */
function resultProblem(result: unknown): string | undefined {
  try {
    const checked = completeSchema.safeParse({ taskId: "t", attempt: 1, result });
    return checked.success ? undefined : checked.error.issues[0]?.message;
  } catch (error) {
    return `not serialisable as JSON (${(error as Error).message})`;
  }
}

/** Two waiting progress reports of the same attempt become one, within the server's line limit. */
function mergeProgress(waiting: Report, next: Report): Report | undefined {
  if (waiting.event !== "task:progress" || next.event !== "task:progress") return undefined;
  const a = waiting.payload as ProgressPayload;
  const b = next.payload as ProgressPayload;
  if (a.taskId !== b.taskId || a.attempt !== b.attempt) return undefined;
  const logs = [...(a.logs ?? []), ...(b.logs ?? [])];
  if (logs.length > LIMITS.logLinesPerReport) return undefined;
  const payload: ProgressPayload = { taskId: a.taskId, attempt: a.attempt, logs };
  const percent = b.percent ?? a.percent;
  const message = b.message ?? a.message;
  if (percent !== undefined) payload.percent = percent;
  if (message !== undefined) payload.message = message;
  return { ...waiting, payload };
}

const firstLine = (text: string) => text.split("\n", 1)[0];

function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    promise.then(
      () => (clearTimeout(timer), resolve()),
      () => (clearTimeout(timer), resolve()),
    );
  });
}
