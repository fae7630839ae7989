import { describe, expect, test } from "vitest";
import type { Capability } from "@/lib/protocol";
import { FakeClock } from "./clock";
import { Scheduler, type AgentRegistration, type NewTask, type Outbox, type SchedulerOptions, type TaskState } from "./scheduler";

const TTL = 30_000;

/** random() = 0 makes every backoff exactly half its base: 500 ms for the first retry at 1000 ms. */
function setup(over: Partial<SchedulerOptions> = {}) {
  const clock = new FakeClock();
  const s = new Scheduler({ clock, leaseTtlMs: TTL, defaultStrategy: "least-loaded", random: () => 0, ...over });
  return { clock, s };
}

const caps = (spec: Record<string, number>): Capability[] => Object.entries(spec).map(([name, level]) => ({ name, level }));

function register(s: Scheduler, name: string, over: Partial<AgentRegistration> = {}) {
  return s.registerAgent({ id: `id-${name}`, name, kind: "sdk", capabilities: [], labels: {}, slots: 1, version: "1.0.0", tokenId: null, ...over })
    .agent;
}

function submit(s: Scheduler, id: string, over: Partial<NewTask> = {}): TaskState {
  return s.submit({ id, title: `task ${id}`, ...over });
}

const types = (o: Outbox) => o.history.map((h) => h.type);
const holderOf = (s: Scheduler, taskId: string) => s.tasks.get(taskId)?.agentId ?? null;

/** Runs a task to `assigned` on a fresh fleet of the given agents and clears the outbox. */
function assigned(agentNames: string[] = ["a"], task: Partial<NewTask> = {}) {
  const env = setup();
  const agents = agentNames.map((n) => register(env.s, n));
  const t = submit(env.s, "t1", task);
  expect(env.s.dispatch()).toBe(1);
  env.s.drain();
  return { ...env, agents, t };
}

describe("lifecycle", () => {
  test("[SCHEDULER]: a task goes submitted → assigned → running → succeeded, with the outbox of each step", () => {
    const { s, clock } = setup();
    const a = register(s, "a");
    let o = s.drain();
    expect([...o.agents]).toEqual([a.id]);
    expect(o.history).toEqual([]);

    const t = submit(s, "t1", { command: "make", payload: { n: 1 }, timeoutMs: 60_000 });
    o = s.drain();
    expect([...o.tasks.keys()]).toEqual(["t1"]);
    expect(t).toMatchObject({ status: "queued", attempt: 0, failures: 0, agentId: null, maxAttempts: 3 });
    expect(o.history).toEqual([{ taskId: "t1", at: clock.now(), type: "submitted", attempt: 0, agentId: null, message: null }]);
    expect(o.assignments).toEqual([]);

    clock.advance(100);
    expect(s.dispatch()).toBe(1);
    o = s.drain();
    expect(t).toMatchObject({ status: "assigned", attempt: 1, agentId: a.id, assignedAt: clock.now(), leaseExpiresAt: clock.now() + TTL });
    expect(a.tasks).toEqual(new Set(["t1"]));
    expect(types(o)).toEqual(["assigned"]);
    expect(o.history[0]).toMatchObject({ attempt: 1, agentId: a.id, message: "assigned to a" });
    expect(o.assignments).toEqual([
      {
        agentId: a.id,
        assignment: { taskId: "t1", attempt: 1, title: "task t1", command: "make", payload: { n: 1 }, timeoutMs: 60_000, leaseExpiresAt: clock.now() + TTL, submittedBy: null },
      },
    ]);
    expect(o.agents.has(a.id)).toBe(true);
    expect(s.counts()).toEqual({ queued: 0, assigned: 1, running: 0 });

    clock.advance(100);
    expect(s.accept(a.id, "t1", 1)).toEqual({ ok: true, value: undefined });
    o = s.drain();
    expect(t).toMatchObject({ status: "running", startedAt: clock.now(), leaseExpiresAt: clock.now() + TTL });
    expect(types(o)).toEqual(["started"]);
    expect(o.tasks.get("t1")).toBe(t);

    clock.advance(100);
    expect(s.progress(a.id, "t1", 1, 40, "compiling").ok).toBe(true);
    o = s.drain();
    expect(t.progress).toBe(40);
    expect(t.leaseExpiresAt).toBe(clock.now() + TTL);
    expect(o.history).toEqual([{ taskId: "t1", at: clock.now(), type: "progress", attempt: 1, agentId: a.id, message: "compiling" }]);

    clock.advance(100);
    expect(s.complete(a.id, "t1", 1, { ok: 1 }).ok).toBe(true);
    o = s.drain();
    expect(t).toMatchObject({ status: "succeeded", result: { ok: 1 }, progress: 100, finishedAt: clock.now(), agentId: a.id, leaseExpiresAt: null });
    expect(types(o)).toEqual(["succeeded"]);
    expect(o.tasks.get("t1")).toBe(t);
    expect(o.agents.has(a.id)).toBe(true);
    expect(o.cancels).toEqual([]);
    expect(a.tasks.size).toBe(0);
    expect(s.tasks.has("t1")).toBe(false);
    expect(s.counts()).toEqual({ queued: 0, assigned: 0, running: 0 });
  });

  test("[SCHEDULER]: progress on an assigned task starts it; a second accept is a no-op", () => {
    const { s, agents: [a] } = assigned();
    expect(s.progress(a.id, "t1", 1, 10).ok).toBe(true);
    let o = s.drain();
    expect(s.tasks.get("t1")!.status).toBe("running");
    expect(types(o)).toEqual(["started"]);
    expect(s.accept(a.id, "t1", 1).ok).toBe(true);
    o = s.drain();
    expect(types(o)).toEqual([]);
  });

  test("[SCHEDULER]: dispatch with nothing to do assigns nothing and writes nothing", () => {
    const { s } = setup();
    register(s, "a");
    s.drain();
    expect(s.dispatch()).toBe(0);
    expect(s.drain()).toEqual({ forgotten: [], tasks: new Map(), agents: new Set(), sampled: new Set(), history: [], assignments: [], cancels: [], incidents: [] });
  });
});

describe("dispatch", () => {
  test("[SCHEDULER]: an agent never gets more tasks than it has slots", () => {
    const { s } = setup();
    const a = register(s, "a", { slots: 2 });
    for (const id of ["t1", "t2", "t3"]) submit(s, id);
    expect(s.dispatch()).toBe(2);
    expect(a.tasks.size).toBe(2);
    expect(s.agentStatus(a)).toBe("busy");
    expect(s.dispatch()).toBe(0);
    expect(s.complete(a.id, "t1", 1, null).ok).toBe(true);
    expect(s.dispatch()).toBe(1);
    expect([...a.tasks].sort()).toEqual(["t2", "t3"]);
  });

  test("[SCHEDULER]: higher priority first, then submission order", () => {
    const { s } = setup();
    const a = register(s, "a");
    submit(s, "low", { priority: 0 });
    submit(s, "high", { priority: 5 });
    submit(s, "mid", { priority: 2 });
    submit(s, "high2", { priority: 5 });
    const order: string[] = [];
    while (s.dispatch() === 1) {
      const id = [...a.tasks][0];
      order.push(id);
      s.complete(a.id, id, 1, null);
    }
    expect(order).toEqual(["high", "high2", "mid", "low"]);
  });

  test("[SCHEDULER]: priority and age order holds across tasks with different requirements", () => {
    const { s } = setup();
    const a = register(s, "a", { capabilities: caps({ ts: 1, go: 1 }) });
    submit(s, "go-old", { requirements: caps({ go: 1 }), priority: 1 });
    submit(s, "ts-urgent", { requirements: caps({ ts: 1 }), priority: 3 });
    submit(s, "any-old", { priority: 1 });
    submit(s, "ts-old", { requirements: caps({ ts: 1 }), priority: 1 });
    const order: string[] = [];
    while (s.dispatch() === 1) {
      const id = [...a.tasks][0];
      order.push(id);
      s.complete(a.id, id, 1, null);
    }
    expect(order).toEqual(["ts-urgent", "go-old", "any-old", "ts-old"]);
  });

  test("[SCHEDULER]: tasks go only to agents with the capabilities and labels they need", () => {
    const { s } = setup();
    const ts = register(s, "ts", { capabilities: caps({ ts: 3 }), slots: 4 });
    const go = register(s, "go", { capabilities: caps({ go: 1 }), labels: { region: "eu" }, slots: 4 });
    submit(s, "needs-go", { requirements: caps({ go: 1 }) });
    submit(s, "needs-ts2", { requirements: caps({ ts: 2 }) });
    submit(s, "needs-ts4", { requirements: caps({ ts: 4 }) });
    submit(s, "needs-eu", { labelSelector: { region: "eu" } });
    submit(s, "needs-us", { labelSelector: { region: "us" } });
    expect(s.dispatch()).toBe(3);
    expect(holderOf(s, "needs-go")).toBe(go.id);
    expect(holderOf(s, "needs-ts2")).toBe(ts.id);
    expect(holderOf(s, "needs-eu")).toBe(go.id);
    expect(s.tasks.get("needs-ts4")!.status).toBe("queued");
    expect(s.tasks.get("needs-us")!.status).toBe("queued");
  });

  test("[SCHEDULER]: a high-priority task nobody can run does not block others", () => {
    const { s } = setup();
    const a = register(s, "a", { capabilities: caps({ ts: 1 }) });
    submit(s, "gpu", { requirements: caps({ gpu: 1 }), priority: 100 });
    submit(s, "ts", { requirements: caps({ ts: 1 }) });
    expect(s.dispatch()).toBe(1);
    expect(holderOf(s, "ts")).toBe(a.id);
  });

  // requirementKey() joins label pairs with "," and "=", so these two different selectors share
  // one ready-queue group. The unmatchable one is the group's head; dispatch() finds no candidate
  // for it and skips the whole group, so the task that the agent does match is never dispatched.
  test("[SCHEDULER]: a task is not starved by an unrunnable task whose selector looks the same", () => {
    const { s } = setup();
    const a = register(s, "a", { labels: { gpu: "yes", zone: "x" } });
    submit(s, "odd", { labelSelector: { gpu: "yes,zone=x" } });
    submit(s, "fine", { labelSelector: { gpu: "yes", zone: "x" } });
    expect(s.dispatch()).toBe(1);
    expect(holderOf(s, "fine")).toBe(a.id);
  });

  test("[SCHEDULER]: an HTTP agent only gets work while it has a claim open, one task per claim", () => {
    const { s } = setup();
    const h = register(s, "http-1", { kind: "http", pull: true, slots: 4 });
    submit(s, "t1");
    submit(s, "t2");
    expect(h.pull).toBe(true);
    expect(s.dispatch()).toBe(0);
    s.setAwaitingClaim(h.id, true);
    expect(s.dispatch()).toBe(1);
    expect(h.awaitingClaim).toBe(false);
    expect([...h.tasks]).toEqual(["t1"]);
    expect(s.dispatch()).toBe(0);
    s.setAwaitingClaim(h.id, true);
    s.setAwaitingClaim(h.id, false);
    expect(s.dispatch()).toBe(0);
    s.setAwaitingClaim(h.id, true);
    expect(s.dispatch()).toBe(1);
    expect(h.tasks).toEqual(new Set(["t1", "t2"]));
  });

  test("[SCHEDULER]: round-robin spreads tasks over agents in registration order", () => {
    const { s } = setup({ defaultStrategy: "round-robin" });
    const [a, b, c] = ["a", "b", "c"].map((n) => register(s, n, { slots: 2 }));
    for (const id of ["t1", "t2", "t3", "t4"]) submit(s, id);
    expect(s.dispatch()).toBe(4);
    expect(["t1", "t2", "t3", "t4"].map((id) => holderOf(s, id))).toEqual([a.id, b.id, c.id, a.id]);
  });

  test("[SCHEDULER]: resource-aware picks the agent with headroom from its heartbeats", () => {
    const { s } = setup({ defaultStrategy: "resource-aware" });
    const a = register(s, "a");
    const b = register(s, "b");
    s.heartbeat(a.id, { cpu: 95, cpuCount: 1, memoryMb: 900, memoryTotalMb: 1000 });
    s.heartbeat(b.id, { cpu: 5, cpuCount: 1, memoryMb: 100, memoryTotalMb: 1000 });
    submit(s, "t1");
    s.dispatch();
    expect(holderOf(s, "t1")).toBe(b.id);
  });

  test("[SCHEDULER]: performance-weighted favours the agent that succeeds more", () => {
    const { s } = setup();
    const a = register(s, "a");
    const b = register(s, "b");
    for (let round = 0; round < 2; round++) {
      submit(s, `x${round}`, { maxAttempts: 1 });
      submit(s, `y${round}`, { maxAttempts: 1 });
      expect(s.dispatch()).toBe(2);
      expect(s.fail(a.id, [...a.tasks][0], 1, "boom", false).ok).toBe(true);
      expect(s.complete(b.id, [...b.tasks][0], 1, null).ok).toBe(true);
    }
    submit(s, "t", { strategy: "performance-weighted" });
    s.dispatch();
    expect(holderOf(s, "t")).toBe(b.id);
  });
});

describe("leases and retries", () => {
  test("[SCHEDULER]: a lease that runs out without a heartbeat schedules a retry with backoff", () => {
    const { s, clock, agents: [a], t } = assigned(["a", "b"], { backoffMs: 1000 });
    clock.advance(TTL - 1);
    s.tick();
    expect(t.status).toBe("assigned");
    expect(s.drain().history).toEqual([]);

    clock.advance(1);
    s.tick();
    const o = s.drain();
    expect(types(o)).toEqual(["lease_expired", "retry_scheduled"]);
    expect(o.history[0]).toMatchObject({ attempt: 1, agentId: a.id, message: `no heartbeat from a for ${TTL} ms` });
    expect(o.history[1]).toMatchObject({ attempt: 1, agentId: null, message: "retry 2 of 3 in 500 ms" });
    expect(o.assignments).toEqual([]);
    expect(t).toMatchObject({ status: "queued", failures: 1, agentId: null, leaseExpiresAt: null, notBefore: clock.now() + 500 });
    expect(t.avoidAgentIds).toEqual([a.id]);
    expect(t.error).toMatch(/lease expired/);
    expect(a.tasks.size).toBe(0);
  });

  test("[SCHEDULER]: after the backoff the retry goes to a different agent", () => {
    const { s, clock, agents: [a, b], t } = assigned(["a", "b"]);
    clock.advance(TTL);
    s.tick();
    // a comes back and is free; least-loaded would pick it (registered first) but it lost the last attempt.
    register(s, "a");
    s.heartbeat(b.id, {});
    expect(s.dispatch()).toBe(0);
    clock.advance(499);
    s.tick();
    expect(s.dispatch()).toBe(0);
    clock.advance(1);
    s.tick();
    s.drain();
    expect(s.dispatch()).toBe(1);
    const o = s.drain();
    expect(t).toMatchObject({ status: "assigned", attempt: 2, agentId: b.id });
    expect(o.assignments.map((x) => [x.agentId, x.assignment.attempt])).toEqual([[b.id, 2]]);
    expect(a.tasks.size).toBe(0);
  });

  test("[SCHEDULER]: anti-affinity is a preference: the same agent gets the retry if it is the only one", () => {
    const { s, clock, agents: [a], t } = assigned(["a"]);
    clock.advance(TTL);
    s.tick();
    register(s, "a");
    clock.advance(500);
    s.tick();
    expect(s.dispatch()).toBe(1);
    expect(t).toMatchObject({ agentId: a.id, attempt: 2 });
  });

  test("[SCHEDULER]: heartbeats, accepts and progress renew the lease", () => {
    const { s, clock, agents: [a], t } = assigned(["a"]);
    clock.advance(TTL - 1);
    expect(s.heartbeat(a.id, {}).ok).toBe(true);
    expect(t.leaseExpiresAt).toBe(clock.now() + TTL);
    clock.advance(TTL - 1);
    s.tick();
    expect(t.status).toBe("assigned");
    s.accept(a.id, "t1", 1);
    clock.advance(TTL - 1);
    s.tick();
    expect(t.status).toBe("running");
    s.progress(a.id, "t1", 1);
    clock.advance(TTL - 1);
    s.tick();
    expect(t.status).toBe("running");
    clock.advance(1);
    s.tick();
    expect(t.status).toBe("queued");
  });

  test("[SCHEDULER]: losing the last attempt makes the task dead", () => {
    const { s, clock, agents: [a], t } = assigned(["a"], { maxAttempts: 1 });
    clock.advance(TTL);
    s.tick();
    const o = s.drain();
    expect(types(o)).toEqual(["lease_expired", "dead"]);
    expect(o.history[1]).toMatchObject({ agentId: a.id, attempt: 1 });
    expect(o.history[1].message).toMatch(/attempt 1 of 1, no retries left/);
    expect(t).toMatchObject({ status: "dead", failures: 1, finishedAt: clock.now() });
    expect(s.tasks.has("t1")).toBe(false);
    expect(a.tasks.size).toBe(0);
  });

  test("[SCHEDULER]: a non-retryable failure fails the task at once", () => {
    const { s, clock, agents: [a], t } = assigned(["a"], { maxAttempts: 5 });
    s.accept(a.id, "t1", 1);
    s.drain();
    expect(s.fail(a.id, "t1", 1, "bad input", false, { partial: true }).ok).toBe(true);
    const o = s.drain();
    expect(types(o)).toEqual(["failed"]);
    expect(o.history[0]).toMatchObject({ message: "bad input", agentId: a.id, attempt: 1 });
    expect(t).toMatchObject({ status: "failed", error: "bad input", result: { partial: true }, failures: 1, finishedAt: clock.now() });
    expect(s.tasks.has("t1")).toBe(false);
  });

  test("[SCHEDULER]: a retryable failure records the failed attempt, then schedules a retry", () => {
    const { s, clock, agents: [a], t } = assigned(["a"], { maxAttempts: 2, backoffMs: 2000 });
    expect(s.fail(a.id, "t1", 1, "flaky", true).ok).toBe(true);
    const o = s.drain();
    expect(types(o)).toEqual(["attempt_failed", "retry_scheduled"]);
    expect(t).toMatchObject({ status: "queued", failures: 1, notBefore: clock.now() + 1000, agentId: null });
    // A reported failure is not a lost agent: no anti-affinity.
    expect(t.avoidAgentIds).toEqual([]);
  });

  test("[SCHEDULER]: a task whose attempts are used up by failures ends failed", () => {
    const { s, clock, agents: [a], t } = assigned(["a"], { maxAttempts: 2 });
    s.fail(a.id, "t1", 1, "first", true);
    clock.advance(500);
    s.tick();
    expect(s.dispatch()).toBe(1);
    s.drain();
    expect(s.fail(a.id, "t1", 2, "second", true).ok).toBe(true);
    const o = s.drain();
    expect(types(o)).toEqual(["failed"]);
    expect(o.history[0].message).toBe("second (attempt 2 of 2, no retries left)");
    expect(t).toMatchObject({ status: "failed", failures: 2, attempt: 2, error: "second" });
    expect(s.tasks.has("t1")).toBe(false);
  });

  test("[SCHEDULER]: the second retry waits twice as long as the first", () => {
    const { s, clock, agents: [a], t } = assigned(["a"], { maxAttempts: 3, backoffMs: 1000 });
    s.fail(a.id, "t1", 1, "x", true);
    expect(t.notBefore).toBe(clock.now() + 500);
    clock.advance(500);
    s.tick();
    s.dispatch();
    s.fail(a.id, "t1", 2, "x", true);
    expect(t.notBefore).toBe(clock.now() + 1000);
  });
});

describe("stale reports", () => {
  function reassigned() {
    const env = assigned(["a", "b"]);
    env.clock.advance(TTL);
    env.s.tick();
    for (const a of env.agents) env.s.heartbeat(a.id, {});
    env.clock.advance(500);
    env.s.tick();
    expect(env.s.dispatch()).toBe(1);
    expect(env.t).toMatchObject({ agentId: env.agents[1].id, attempt: 2 });
    env.s.drain();
    return env;
  }

  const snapshot = (t: TaskState) => ({ status: t.status, attempt: t.attempt, agentId: t.agentId, lease: t.leaseExpiresAt, failures: t.failures });

  test("[SCHEDULER]: the old holder cannot report on a task reassigned after its lease expired", () => {
    const { s, agents: [a], t } = reassigned();
    const before = snapshot(t);
    for (const r of [s.accept(a.id, "t1", 1), s.progress(a.id, "t1", 1, 50), s.complete(a.id, "t1", 1, "late"), s.fail(a.id, "t1", 1, "x", false), s.release(a.id, "t1", 1, "x")]) {
      expect(r).toMatchObject({ ok: false, code: "STALE_ATTEMPT" });
    }
    expect(snapshot(t)).toEqual(before);
    const o = s.drain();
    expect(new Set(types(o))).toEqual(new Set(["report_rejected"]));
    expect(o.history[0]).toMatchObject({ agentId: a.id, attempt: 1 });
    expect(o.history[0].message).toMatch(/not assigned to this agent/);
    expect(o.assignments).toEqual([]);
    expect(o.cancels).toEqual([]);
  });

  test("[SCHEDULER]: the new holder cannot report with the superseded attempt number", () => {
    const { s, agents: [, b], t } = reassigned();
    const before = snapshot(t);
    const r = s.complete(b.id, "t1", 1, null);
    expect(r).toMatchObject({ ok: false, code: "STALE_ATTEMPT" });
    expect(!r.ok && r.message).toMatch(/attempt 1 was superseded by attempt 2/);
    expect(snapshot(t)).toEqual(before);
    expect(s.complete(b.id, "t1", 2, null).ok).toBe(true);
  });

  test("[SCHEDULER]: another agent cannot report on a task it does not hold", () => {
    const { s, agents: [a, b], t } = assigned(["a", "b"]);
    expect(t.agentId).toBe(a.id);
    const before = snapshot(t);
    expect(s.complete(b.id, "t1", 1, null)).toMatchObject({ ok: false, code: "STALE_ATTEMPT" });
    expect(s.fail(b.id, "t1", 1, "x", false)).toMatchObject({ ok: false, code: "STALE_ATTEMPT" });
    expect(snapshot(t)).toEqual(before);
    expect(types(s.drain())).toEqual(["report_rejected", "report_rejected"]);
  });

  test("[SCHEDULER]: reports after completion are stale and change nothing", () => {
    const { s, agents: [a], t } = assigned(["a"]);
    s.complete(a.id, "t1", 1, "first");
    s.drain();
    const r = s.complete(a.id, "t1", 1, "second");
    expect(r).toMatchObject({ ok: false, code: "STALE_ATTEMPT" });
    expect(!r.ok && r.message).toMatch(/no longer active/);
    expect(s.fail(a.id, "t1", 1, "x", true)).toMatchObject({ ok: false, code: "STALE_ATTEMPT" });
    expect(t).toMatchObject({ status: "succeeded", result: "first" });
    const o = s.drain();
    expect(o.history).toEqual([]);
    expect(o.tasks.size).toBe(0);
  });

  test("[SCHEDULER]: a report on a task waiting out its backoff is stale", () => {
    const { s, agents: [a], t } = assigned(["a"]);
    s.fail(a.id, "t1", 1, "x", true);
    s.drain();
    expect(s.complete(a.id, "t1", 1, null)).toMatchObject({ ok: false, code: "STALE_ATTEMPT" });
    expect(t).toMatchObject({ status: "queued", failures: 1 });
  });
});

describe("cancel", () => {
  test("[SCHEDULER]: canceling a queued task ends it without a notice and it is never dispatched", () => {
    const { s, clock } = setup();
    const t = submit(s, "t1");
    s.drain();
    const r = s.cancel("t1", "not needed");
    expect(r).toEqual({ ok: true, value: t });
    const o = s.drain();
    expect(types(o)).toEqual(["canceled"]);
    expect(o.history[0].message).toBe("not needed");
    expect(o.cancels).toEqual([]);
    expect(t).toMatchObject({ status: "canceled", error: "not needed", finishedAt: clock.now() });
    register(s, "a");
    expect(s.dispatch()).toBe(0);
    expect(s.explain("t1")).toBeNull();
  });

  test("[SCHEDULER]: canceling an assigned task tells the holder and frees its slot", () => {
    const { s, agents: [a], t } = assigned(["a"]);
    s.accept(a.id, "t1", 1);
    s.drain();
    expect(s.cancel("t1", "operator").ok).toBe(true);
    const o = s.drain();
    expect(o.cancels).toEqual([{ agentId: a.id, taskId: "t1", attempt: 1, reason: "operator" }]);
    expect(types(o)).toEqual(["canceled"]);
    expect(o.history[0].agentId).toBe(a.id);
    expect(t.status).toBe("canceled");
    expect(a.tasks.size).toBe(0);
    expect(s.complete(a.id, "t1", 1, null)).toMatchObject({ ok: false, code: "STALE_ATTEMPT" });
  });

  test("[SCHEDULER]: canceling a finished task is NOT_FOUND", () => {
    const { s, agents: [a], t } = assigned(["a"]);
    s.complete(a.id, "t1", 1, null);
    s.drain();
    expect(s.cancel("t1", "late")).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(s.cancel("nope", "x")).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(t.status).toBe("succeeded");
    expect(s.drain().history).toEqual([]);
  });

  test("[SCHEDULER]: a task canceled during its backoff does not come back", () => {
    const { s, clock, agents: [a], t } = assigned(["a"]);
    s.fail(a.id, "t1", 1, "x", true);
    s.cancel("t1", "stop");
    clock.advance(10_000);
    s.tick();
    expect(s.dispatch()).toBe(0);
    expect(t.status).toBe("canceled");
  });
});

describe("requeue and release", () => {
  test("[SCHEDULER]: an operator requeue gives a finished task a new life with a fresh budget", () => {
    const { s, agents: [a], t } = assigned(["a"], { maxAttempts: 1 });
    s.fail(a.id, "t1", 1, "boom", true);
    expect(t.status).toBe("failed");
    s.drain();
    s.requeue(t, "operator retry");
    let o = s.drain();
    expect(types(o)).toEqual(["requeued"]);
    expect(o.history[0].message).toBe("operator retry");
    expect(t).toMatchObject({ status: "queued", failures: 0, agentId: null, error: null, finishedAt: null, notBefore: null });
    expect(s.tasks.get("t1")).toBe(t);
    expect(s.dispatch()).toBe(1);
    o = s.drain();
    // The attempt number keeps counting so reports from the old life stay fenced off.
    expect(o.assignments[0].assignment.attempt).toBe(2);
    expect(s.complete(a.id, "t1", 1, null)).toMatchObject({ ok: false, code: "STALE_ATTEMPT" });
    expect(s.complete(a.id, "t1", 2, null).ok).toBe(true);
    expect(t.status).toBe("succeeded");
  });

  test("[SCHEDULER]: a released task is requeued at once without counting a failure", () => {
    const { s, agents: [a], t } = assigned(["a"], { maxAttempts: 1 });
    s.accept(a.id, "t1", 1);
    s.drain();
    expect(s.release(a.id, "t1", 1, "shutting down").ok).toBe(true);
    let o = s.drain();
    expect(types(o)).toEqual(["released"]);
    expect(o.history[0]).toMatchObject({ agentId: a.id, attempt: 1, message: "shutting down" });
    expect(t).toMatchObject({ status: "queued", failures: 0, agentId: null, startedAt: null, notBefore: null });
    expect(a.tasks.size).toBe(0);
    expect(s.dispatch()).toBe(1);
    o = s.drain();
    expect(o.assignments[0]).toMatchObject({ agentId: a.id, assignment: { attempt: 2 } });
  });
});

describe("agents", () => {
  test("[SCHEDULER]: reconnecting under the same name returns held tasks and renews their leases", () => {
    const { s, clock, agents: [a], t } = assigned(["a"]);
    s.accept(a.id, "t1", 1);
    clock.advance(TTL - 10);
    s.disconnectAgent(a.id);
    expect(s.agentStatus(a)).toBe("offline");
    const r = s.registerAgent({ id: "some-new-id", name: "a", kind: "sdk", capabilities: [], labels: {}, slots: 1, version: "2", tokenId: null });
    expect(r.agent).toBe(a);
    expect(r.agent.id).toBe("id-a");
    expect(r.held).toEqual([{ taskId: "t1", attempt: 1 }]);
    expect(a.version).toBe("2");
    expect(t.leaseExpiresAt).toBe(clock.now() + TTL);
    clock.advance(TTL - 1);
    s.tick();
    expect(t.status).toBe("running");
    expect(s.complete(a.id, "t1", 1, null).ok).toBe(true);
  });

  test("[SCHEDULER]: a disconnect does not expire leases before the TTL", () => {
    const { s, clock, agents: [a], t } = assigned(["a"]);
    s.disconnectAgent(a.id);
    expect(s.drain().agents.has(a.id)).toBe(true);
    clock.advance(TTL - 1);
    s.tick();
    expect(t).toMatchObject({ status: "assigned", agentId: a.id });
    clock.advance(1);
    s.tick();
    expect(t).toMatchObject({ status: "queued", agentId: null });
  });

  test("[SCHEDULER]: a disconnected agent gets no new work", () => {
    const { s } = setup();
    const a = register(s, "a");
    s.disconnectAgent(a.id);
    submit(s, "t1");
    expect(s.dispatch()).toBe(0);
    expect(s.explain("t1")?.code).toBe("agents_offline");
  });

  test("[SCHEDULER]: an agent silent for longer than the TTL is marked offline by tick", () => {
    const { s, clock } = setup();
    const a = register(s, "a");
    s.drain();
    clock.advance(TTL);
    s.tick();
    expect(s.agentStatus(a)).toBe("online");
    clock.advance(1);
    s.tick();
    expect(s.agentStatus(a)).toBe("offline");
    expect(s.drain().agents.has(a.id)).toBe(true);
    submit(s, "t1");
    expect(s.dispatch()).toBe(0);
  });

  test("[SCHEDULER]: a draining agent gets no new work but finishes what it holds", () => {
    const { s } = setup();
    const a = register(s, "a", { slots: 2 });
    const t = submit(s, "t1");
    expect(s.dispatch()).toBe(1);
    expect(s.drainAgent(a.id).ok).toBe(true);
    expect(s.agentStatus(a)).toBe("draining");
    submit(s, "t2");
    expect(s.dispatch()).toBe(0);
    expect(s.explain("t2")).toEqual({ code: "all_busy", message: "All 1 matching agent(s) are busy (1/2 slots used), 1 draining." });
    expect(s.complete(a.id, "t1", 1, null).ok).toBe(true);
    expect(t.status).toBe("succeeded");
    expect(s.dispatch()).toBe(0);
    expect(s.drainAgent("nobody")).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });

  test("[SCHEDULER]: a heartbeat lists tasks the agent no longer holds so it can stop them", () => {
    const { s, agents: [a] } = assigned(["a"]);
    const r = s.heartbeat(a.id, { taskIds: ["t1", "gone"], cpu: 12 });
    expect(r).toEqual({ ok: true, value: [{ agentId: a.id, taskId: "gone", attempt: 0, reason: "this task is no longer assigned to you" }] });
    expect(a.cpu).toBe(12);
    expect(s.heartbeat("nobody", {})).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });
});

describe("timeouts", () => {
  test("[SCHEDULER]: a task running past timeoutMs plus grace is failed and its holder told to stop", () => {
    const { s, clock, agents: [a], t } = assigned(["a"], { timeoutMs: 1000 });
    s.accept(a.id, "t1", 1);
    s.drain();
    clock.advance(1000 + 5000);
    s.tick();
    expect(t.status).toBe("running");
    clock.advance(1);
    s.tick();
    const o = s.drain();
    expect(o.cancels).toEqual([{ agentId: a.id, taskId: "t1", attempt: 1, reason: "timed out" }]);
    expect(types(o)).toEqual(["attempt_failed", "retry_scheduled"]);
    expect(o.history[0].message).toBe("timed out after 1000 ms");
    expect(t).toMatchObject({ status: "queued", failures: 1, agentId: null });
    expect(a.tasks.size).toBe(0);
  });

  test("[SCHEDULER]: the timeout grace is configurable and the last attempt ends failed", () => {
    const clock = new FakeClock();
    const s = new Scheduler({ clock, leaseTtlMs: TTL, defaultStrategy: "least-loaded", random: () => 0, timeoutGraceMs: 0 });
    const a = register(s, "a");
    const t = submit(s, "t1", { timeoutMs: 200, maxAttempts: 1 });
    s.dispatch();
    s.accept(a.id, "t1", 1);
    s.drain();
    clock.advance(201);
    s.tick();
    const o = s.drain();
    expect(types(o)).toEqual(["failed"]);
    expect(o.cancels).toHaveLength(1);
    expect(t.status).toBe("failed");
  });

  test("[SCHEDULER]: a task that was never started is not timed out (its lease covers it)", () => {
    const { s, clock, t } = assigned(["a"], { timeoutMs: 100 });
    clock.advance(10_000);
    s.tick();
    expect(t.status).toBe("assigned");
  });
});

describe("explain", () => {
  test("[SCHEDULER]: explains why a queued task waits as the fleet changes", () => {
    const { s, clock } = setup();
    submit(s, "t1", { requirements: caps({ gpu: 2 }) });
    expect(s.explain("t1")).toEqual({ code: "no_capable_agent", message: "No agent has registered yet; start one with `switchboard agent`." });

    register(s, "cpu-only", { capabilities: caps({ shell: 1 }) });
    expect(s.explain("t1")).toEqual({ code: "no_capable_agent", message: "No agent has capability gpu." });

    register(s, "small", { capabilities: caps({ gpu: 1 }) });
    expect(s.explain("t1")?.message).toBe("No agent has capability gpu at level 2 or higher (best: small at level 1).");

    const big = register(s, "big", { capabilities: caps({ gpu: 3 }), labels: { region: "eu" } });
    expect(s.explain("t1")?.code).toBe("ready");

    submit(s, "t2", { requirements: caps({ gpu: 2 }) });
    expect(s.explain("t2")).toEqual({ code: "queued_behind", message: "1 task(s) ahead of it in the queue; 1 matching agent(s) have free slots." });

    expect(s.dispatch()).toBe(1);
    expect(holderOf(s, "t1")).toBe(big.id);
    expect(s.explain("t1")).toBeNull();
    expect(s.explain("t2")).toEqual({ code: "all_busy", message: "All 1 matching agent(s) are busy (1/1 slots used)." });

    s.fail(big.id, "t1", 1, "x", true);
    expect(s.explain("t1")?.code).toBe("backoff");
    expect(s.explain("t1")?.message).toMatch(/\(1s; retry 2 of 3\)/);
    // After its backoff the retry joins the queue behind t2, which waited meanwhile.
    clock.advance(500);
    s.tick();
    expect(s.explain("t1")).toEqual({ code: "queued_behind", message: "1 task(s) ahead of it in the queue; 1 matching agent(s) have free slots." });
    expect(s.explain("missing")).toBeNull();
  });
});

describe("restore", () => {
  test("[SCHEDULER]: a restored assigned task gives its holder one lease period before a retry", () => {
    const { s, clock } = setup();
    s.restoreAgent({ id: "id-a", name: "a", kind: "sdk", capabilities: [], labels: {}, slots: 1, version: "1", tokenId: null, lastHeartbeatAt: null, wasConnected: true, offlineReason: null });
    const t = restoredTask("t1", "id-a");
    s.restore(t);
    expect(s.agents.get("id-a")!.tasks.has("t1")).toBe(true);
    expect(t.leaseExpiresAt).toBe(clock.now() + TTL);
    const r = s.registerAgent({ id: "x", name: "a", kind: "sdk", capabilities: [], labels: {}, slots: 1, version: "1", tokenId: null });
    expect(r.held).toEqual([{ taskId: "t1", attempt: 3 }]);
    expect(s.accept("id-a", "t1", 3).ok).toBe(true);
  });

  test("[SCHEDULER]: a restored queued task is dispatched", () => {
    const { s } = setup();
    const a = register(s, "a");
    s.restore({ ...restoredTask("t1", null), status: "queued", leaseExpiresAt: null });
    expect(s.dispatch()).toBe(1);
    expect(holderOf(s, "t1")).toBe(a.id);
  });

  // restore() only links the task to its holder when the holder is in memory; tick() finds
  // expired leases by walking agents' task sets, so a task whose holder is unknown (agent row
  // deleted, or tasks restored before agents) stays `assigned` forever.
  test("[SCHEDULER]: a restored task whose holder is unknown is still retried after one lease period", () => {
    const { s, clock } = setup();
    const t = restoredTask("t1", "id-gone");
    s.restore(t);
    clock.advance(TTL);
    s.tick();
    expect(t.status).toBe("queued");
  });

  function restoredTask(id: string, agentId: string | null): TaskState {
    const probe = setup().s.submit({ id, title: id });
    return { ...probe, status: "assigned", attempt: 3, agentId };
  }
});
