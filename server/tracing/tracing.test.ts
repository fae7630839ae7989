// [TRACING] Task spans from the coordinator's real events (a real Coordinator over the in-memory
// store, on a fake clock), exported to an InMemorySpanExporter: structure, times, attributes,
// status, the ids an agent is told, the submitting request as parent, and a restart.
import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { SpanKind, SpanStatusCode, type SpanContext } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { agentCardSchema, taskSpecSchema, type Assignment } from "@/lib/protocol";
import { Coordinator } from "@/server/coordinator/coordinator";
import { FakeClock } from "@/server/core/clock";
import type { TaskState } from "@/server/core/scheduler";
import { createMemoryStore } from "@/server/store/memory";
import type { Store } from "@/server/store/ports";
import { planTaskSpans, type TraceEvent } from "./task-spans";
import { attemptSpanIdOf, formatTraceparent, parseTraceparent, taskSpanIdOf, traceIdOf } from "./trace-ids";
import { Tracing } from "./tracing";

const INCOMING = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
const TOKEN = { id: "tok_1", hash: "h" };

const ms = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;
const attr = (s: ReadableSpan, k: string) => s.attributes[k];

interface Rig {
  clock: FakeClock;
  store: Store;
  coordinator: Coordinator;
  tracing: Tracing;
  exporter: InMemorySpanExporter;
  /** What agents were sent, as the socket transport sends it (with traceparent). */
  sent: Assignment[];
}

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) {
    await r.coordinator.stop();
    await r.tracing.shutdown();
  }
});

async function rig(opts: { store?: Store; clock?: FakeClock } = {}): Promise<Rig> {
  const clock = opts.clock ?? new FakeClock();
  const store = opts.store ?? createMemoryStore();
  const coordinator = new Coordinator({ store, clock, heartbeatIntervalMs: 10_000, leaseTtlMs: 60_000, defaultStrategy: "least-loaded", manualTicks: true, recordInsight: false });
  const exporter = new InMemorySpanExporter();
  const tracing = new Tracing({ serviceName: "switchboard-test", spanProcessor: new SimpleSpanProcessor(exporter), trpcProcedures: ["tasks.submit", "tasks.find"] });
  tracing.watch({ bus: coordinator.bus, history: (id) => store.tasks.events(id, 1000), agentName: (id) => coordinator.agent(id)?.name ?? null });
  const sent: Assignment[] = [];
  coordinator.bus.on("tasksAssigned", (list) => sent.push(...list.map((a) => tracing.withTraceparent(a.assignment))));
  await coordinator.start();
  const r = { clock, store, coordinator, tracing, exporter, sent };
  rigs.push(r);
  return r;
}

/** Runs `fn` as the handler of a fake API request; the request's span ends when `fn` is done. */
async function inRequest<T>(tracing: Tracing, method: string, path: string, headers: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const req = { method, headers } as unknown as IncomingMessage;
  const res = Object.assign(new EventEmitter(), { statusCode: 201, writableFinished: true }) as unknown as ServerResponse;
  try {
    return await (tracing.serveHttp(req, res, new URL(path, "http://localhost"), fn) as Promise<T>);
  } finally {
    res.emit("finish");
  }
}

const submit = (r: Rig, over: Record<string, unknown> = {}) =>
  r.coordinator.submit([taskSpecSchema.parse({ title: "build it", requires: ["build:2"], retry: { maxAttempts: 3, backoffMs: 1000 }, ...over })], { submittedBy: { kind: "user", name: "ada", role: "operator", by: null } });

const register = (r: Rig, name = "builder-1") => r.coordinator.registerAgent(agentCardSchema.parse({ name, capabilities: ["build:3"] }), TOKEN, "socket");

const spansOf = (r: Rig, taskId: string) => r.exporter.getFinishedSpans().filter((s) => s.attributes["switchboard.task.id"] === taskId);
const tpSpanId = (tp: string | undefined) => tp!.split("-")[2];
const tpTraceId = (tp: string | undefined) => tp!.split("-")[1];

describe("[tracing] task spans", () => {
  it("submit → queue → failed attempt → retry → success: one task span under the submitting request", async () => {
    const r = await rig();
    const t0 = r.clock.now();
    const [task] = await inRequest(r.tracing, "POST", "/api/v1/tasks", { traceparent: INCOMING }, () => submit(r));
    r.clock.advance(100); // nobody can run it yet: it waits in the queue
    const { agentId } = await register(r);
    expect(r.sent.map((a) => a.attempt)).toEqual([1]);
    r.clock.advance(50);
    await r.coordinator.accept(agentId, task.id, 1);
    r.clock.advance(200);
    await r.coordinator.fail(agentId, task.id, 1, "boom: exit 3", true);
    const failedAt = r.clock.now();
    r.clock.advance(10_000); // past the backoff
    await r.coordinator.tickNow();
    const assigned2 = r.clock.now();
    expect(r.sent.map((a) => a.attempt)).toEqual([1, 2]);
    r.clock.advance(20);
    await r.coordinator.accept(agentId, task.id, 2);
    r.clock.advance(300);
    await r.coordinator.complete(agentId, task.id, 2, { ok: true });
    const doneAt = r.clock.now();
    await r.tracing.flush();

    const incoming = parseTraceparent(INCOMING)!;
    const http = r.exporter.getFinishedSpans().find((s) => s.kind === SpanKind.SERVER && s.name === "POST /api/v1/tasks")!;
    expect(http.parentSpanContext?.spanId).toBe(incoming.spanId);
    expect(http.spanContext().traceId).toBe(incoming.traceId);
    expect(http.attributes["http.route"]).toBe("/api/v1/tasks");
    expect(http.attributes["http.response.status_code"]).toBe(201);

    const spans = spansOf(r, task.id);
    const root = spans.find((s) => s.name === "task")!;
    const queues = spans.filter((s) => s.name === "task.queue").sort((a, b) => ms(a.startTime) - ms(b.startTime));
    const attempts = spans.filter((s) => s.name === "task.attempt").sort((a, b) => ms(a.startTime) - ms(b.startTime));
    expect(spans).toHaveLength(5);

    // The task span: a child of the submitting request's span, from submit to the end.
    expect(root.spanContext().traceId).toBe(incoming.traceId);
    expect(root.parentSpanContext?.spanId).toBe(http.spanContext().spanId);
    expect(root.spanContext().spanId).toBe(taskSpanIdOf(task.id, t0));
    expect([ms(root.startTime), ms(root.endTime)]).toEqual([t0, doneAt]);
    expect(root.status.code).toBe(SpanStatusCode.UNSET);
    expect(root.attributes).toMatchObject({
      "switchboard.task.status": "succeeded",
      "switchboard.task.attempts": 2,
      "switchboard.task.failures": 1,
      "switchboard.task.requires": ["build:2"],
      "switchboard.task.submitted_by": "user:ada",
      "switchboard.task.title": "build it",
    });
    expect(root.events.map((e) => e.name)).toEqual(["retry_scheduled"]);
    expect(root.resource.attributes["service.name"]).toBe("switchboard-test");

    // Two waits: from submit until an agent came, and from the failure until the retry ran.
    for (const s of [...queues, ...attempts]) {
      expect(s.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
      expect(s.spanContext().traceId).toBe(incoming.traceId);
    }
    expect(queues.map((s) => [ms(s.startTime) - t0, ms(s.endTime) - t0, attr(s, "switchboard.queue.after"), attr(s, "switchboard.attempt")])).toEqual([
      [0, 100, "submit", 1],
      [failedAt - t0, assigned2 - t0, "retry", 2],
    ]);

    // Two attempts, the first failed (ERROR, with the agent's error), the second succeeded.
    const [a1, a2] = attempts;
    expect([ms(a1.startTime) - t0, ms(a1.endTime) - t0]).toEqual([100, failedAt - t0]);
    expect(a1.status).toEqual({ code: SpanStatusCode.ERROR, message: "boom: exit 3" });
    expect(a1.attributes).toMatchObject({ "switchboard.attempt": 1, "switchboard.attempt.outcome": "failed", "switchboard.agent.id": agentId, "switchboard.agent.name": "builder-1" });
    expect(a1.events.map((e) => [e.name, ms(e.time) - t0])).toEqual([["started", 150]]);
    expect([ms(a2.startTime), ms(a2.endTime)]).toEqual([assigned2, doneAt]);
    expect(a2.status.code).toBe(SpanStatusCode.UNSET);
    expect(a2.attributes).toMatchObject({ "switchboard.attempt": 2, "switchboard.attempt.outcome": "succeeded" });

    // What each agent was told is exactly where its attempt span sits.
    expect(r.sent.map((a) => a.traceparent)).toEqual([
      formatTraceparent({ traceId: incoming.traceId, spanId: a1.spanContext().spanId, traceFlags: 1 }),
      formatTraceparent({ traceId: incoming.traceId, spanId: a2.spanContext().spanId, traceFlags: 1 }),
    ]);
    expect(a1.spanContext().spanId).toBe(attemptSpanIdOf(task.id, 1));

    // A socket report on attempt 2 lands inside attempt 2's span.
    r.tracing.socketEvent("task:complete", { taskId: task.id, attempt: 2 }, 4, { ok: true }, agentId);
    r.tracing.socketEvent("agent:heartbeat", {}, 1, { ok: true }, agentId); // not traced
    await r.tracing.flush();
    const sockets = r.exporter.getFinishedSpans().filter((s) => s.name.startsWith("socket "));
    expect(sockets.map((s) => s.name)).toEqual(["socket task:complete"]);
    expect(sockets[0].parentSpanContext?.spanId).toBe(a2.spanContext().spanId);
    expect(sockets[0].spanContext().traceId).toBe(incoming.traceId);
  });

  it("an operator's retry is a second task span in the submitter's trace", async () => {
    const r = await rig();
    const { agentId } = await register(r);
    const [task] = await inRequest(r.tracing, "POST", "/api/v1/tasks", { traceparent: INCOMING }, () => submit(r));
    await r.coordinator.fail(agentId, task.id, 1, "bad input", false);
    r.clock.advance(1_000);
    await r.coordinator.retry(task.id);
    await r.coordinator.complete(agentId, task.id, 2, null);
    await r.tracing.flush();

    const traceId = parseTraceparent(INCOMING)!.traceId;
    expect(r.sent.map((a) => tpTraceId(a.traceparent))).toEqual([traceId, traceId]);
    const roots = spansOf(r, task.id).filter((s) => s.name === "task");
    expect(roots.map((s) => [s.attributes["switchboard.task.status"], s.spanContext().traceId])).toEqual([
      ["failed", traceId],
      ["succeeded", traceId],
    ]);
    expect(roots[1].spanContext().spanId).not.toBe(roots[0].spanContext().spanId);
    expect(spansOf(r, task.id).find((s) => s.name === "task.attempt" && s.attributes["switchboard.attempt"] === 2)?.spanContext().spanId).toBe(tpSpanId(r.sent[1].traceparent));
  });

  it("outside a traced request: a new trace derived from the task id; a lost attempt is an ERROR", async () => {
    const r = await rig();
    const { agentId } = await register(r);
    const [task] = await submit(r, { retry: { maxAttempts: 1, backoffMs: 0 } });
    await r.coordinator.accept(agentId, task.id, 1);
    r.coordinator.agentDisconnected(agentId);
    r.clock.advance(61_000); // the lease runs out: no retries left, the task is dead
    await r.coordinator.tickNow();
    await r.tracing.flush();

    const spans = spansOf(r, task.id);
    const root = spans.find((s) => s.name === "task")!;
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.spanContext().traceId).toBe(traceIdOf(task.id));
    expect(tpTraceId(r.sent[0].traceparent)).toBe(traceIdOf(task.id));
    expect(root.status.code).toBe(SpanStatusCode.ERROR);
    expect(root.attributes["switchboard.task.status"]).toBe("dead");
    const attempt = spans.find((s) => s.name === "task.attempt")!;
    expect(attempt.spanContext().spanId).toBe(tpSpanId(r.sent[0].traceparent));
    expect(attempt.attributes["switchboard.attempt.outcome"]).toBe("lease_expired");
    expect(attempt.status.code).toBe(SpanStatusCode.ERROR);
    // The loss ended the task at once: no zero-length "wait" after it.
    expect(spans.filter((s) => s.name === "task.queue")).toHaveLength(1);
  });

  it("after a restart the spans come from the stored history, with the ids the agent was given", async () => {
    const clock = new FakeClock();
    const store = createMemoryStore();
    const before = await rig({ store, clock });
    const [task] = await inRequest(before.tracing, "POST", "/api/trpc/tasks.submit", { traceparent: INCOMING }, () => submit(before));
    const t0 = clock.now();
    const { agentId } = await register(before);
    clock.advance(30);
    await before.coordinator.accept(agentId, task.id, 1);
    const told = before.sent[0].traceparent;
    // The submitter's trace is in memory only: that is what a restart loses.
    expect(tpTraceId(told)).toBe(parseTraceparent(INCOMING)!.traceId);
    await before.coordinator.stop();
    await before.tracing.shutdown();
    rigs.splice(rigs.indexOf(before), 1);

    clock.advance(1_000);
    const after = await rig({ store, clock });
    const again = await register(after);
    expect(again.held).toEqual([{ taskId: task.id, attempt: 1 }]);
    clock.advance(500);
    await after.coordinator.complete(agentId, task.id, 1, null);
    await after.tracing.flush();

    const spans = spansOf(after, task.id);
    const root = spans.find((s) => s.name === "task")!;
    const attempt = spans.find((s) => s.name === "task.attempt")!;
    expect(root.spanContext().traceId).toBe(traceIdOf(task.id));
    expect(ms(root.startTime)).toBe(t0);
    expect(root.attributes["switchboard.task.status"]).toBe("succeeded");
    expect(attempt.spanContext().spanId).toBe(tpSpanId(told));
    expect(attempt.attributes["switchboard.agent.name"]).toBe("builder-1");
    expect(attempt.events.map((e) => e.name)).toEqual(["started"]);
  });
});

describe("[tracing] plans and ids", () => {
  const base = (over: Partial<TaskState> = {}): TaskState =>
    ({
      id: "t_x",
      title: "x",
      requirements: [],
      labelSelector: {},
      priority: 0,
      strategy: null,
      status: "canceled",
      attempt: 0,
      failures: 0,
      maxAttempts: 3,
      runId: null,
      stepId: null,
      template: null,
      submittedBy: null,
      error: "canceled by operator",
      createdAt: 1_000_000,
      updatedAt: 1_000_500,
      finishedAt: 1_000_500,
      ...over,
    }) as TaskState;
  const ev = (type: TraceEvent["type"], at: number, attempt = 0, message: string | null = null): TraceEvent => ({ type, at, attempt, agentId: attempt ? "ag_1" : null, agentName: attempt ? "a" : null, message });

  it("canceled while queued: a task span and its wait, neither an error", () => {
    const plan = planTaskSpans(base(), [ev("submitted", 1_000_000), ev("canceled", 1_000_500, 0, "canceled by operator")], null);
    expect(plan.task.error).toBeNull();
    expect(plan.children.map((c) => [c.name, c.start, c.end, c.attributes["switchboard.queue.outcome"]])).toEqual([["task.queue", 1_000_000, 1_000_500, "canceled"]]);
  });

  it("an operator's retry is a new life: only it is planned, from the requeue, with its own span id", () => {
    const events = [
      ev("submitted", 1_000_000),
      ev("assigned", 1_000_010, 1),
      ev("failed", 1_000_020, 1, "bad input"),
      ev("requeued", 1_005_000, 1, "retried by operator"),
      ev("assigned", 1_005_100, 2),
      ev("succeeded", 1_005_200, 2),
    ];
    const plan = planTaskSpans(base({ status: "succeeded", attempt: 2, error: null, finishedAt: 1_005_200 }), events, null);
    expect([plan.task.start, plan.task.end, plan.task.spanId]).toEqual([1_005_000, 1_005_200, taskSpanIdOf("t_x", 1_005_000)]);
    expect(plan.children.map((c) => [c.name, c.attributes["switchboard.attempt"], c.attributes["switchboard.queue.after"]])).toEqual([
      ["task.queue", 2, "requeue"],
      ["task.attempt", 2, undefined],
    ]);
  });

  it("workflow steps carry their run and step; a parent's trace wins over the derived one", () => {
    const parent: SpanContext = { traceId: "a".repeat(32), spanId: "b".repeat(16), traceFlags: 1 };
    const plan = planTaskSpans(base({ runId: "run_1", stepId: "build", template: "ci@2" }), [ev("submitted", 1_000_000), ev("canceled", 1_000_500)], parent);
    expect(plan.traceId).toBe(parent.traceId);
    expect(plan.task.attributes).toMatchObject({ "switchboard.workflow.run_id": "run_1", "switchboard.workflow.step_id": "build", "switchboard.workflow.template": "ci@2" });
  });

  it("traceparent: parsed leniently, malformed ones start a new trace", () => {
    expect(parseTraceparent(INCOMING)).toMatchObject({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 1, isRemote: true });
    expect(parseTraceparent(INCOMING.toUpperCase())?.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(parseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-extra")?.traceFlags).toBe(0);
    for (const bad of [undefined, "", "garbage", `ff${INCOMING.slice(2)}`, `${INCOMING}-extra`, "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"]) {
      expect(parseTraceparent(bad)).toBeNull();
    }
    expect(formatTraceparent(parseTraceparent(INCOMING)!)).toBe(INCOMING);
    expect(traceIdOf("t_1")).toMatch(/^[0-9a-f]{32}$/);
    expect(attemptSpanIdOf("t_1", 1)).not.toBe(attemptSpanIdOf("t_1", 2));
  });

  it("request spans have bounded names", async () => {
    const r = await rig();
    const names: string[] = [];
    for (const [method, path] of [
      ["POST", "/api/trpc/tasks.submit"],
      ["GET", "/api/trpc/tasks.find,tasks.submit"],
      ["GET", "/api/trpc/no.such.thing"],
      ["GET", "/api/v1/tasks/t_123"],
      ["GET", "/api/v1/nothing/here/123"],
      ["POST", "/mcp"],
    ]) {
      await inRequest(r.tracing, method, path, {}, async () => names.push(path));
    }
    await r.tracing.flush();
    expect(r.exporter.getFinishedSpans().map((s) => s.name)).toEqual([
      "POST /api/trpc/tasks.submit",
      "GET /api/trpc/(batch)",
      "GET /api/trpc/unknown",
      "GET /api/v1/tasks/:id",
      "GET /api/v1/(unmatched)",
      "POST /mcp",
    ]);
    expect(r.exporter.getFinishedSpans().every((s) => s.parentSpanContext === undefined)).toBe(true);
  });
});
