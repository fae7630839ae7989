// Detection and recovery decisions of the scheduler: agent health, stuck attempts (zombies),
// queue timeouts, and the incidents each produces.
import { describe, expect, test } from "vitest";
import { FakeClock } from "./clock";
import { Scheduler, type AgentRegistration, type NewTask } from "./scheduler";

const TTL = 6_000;
const BEAT = 2_000;

function setup() {
  const clock = new FakeClock();
  const s = new Scheduler({ clock, leaseTtlMs: TTL, heartbeatIntervalMs: BEAT, defaultStrategy: "least-loaded", random: () => 0 });
  return { clock, s };
}
const register = (s: Scheduler, name: string, over: Partial<AgentRegistration> = {}) =>
  s.registerAgent({ id: `id-${name}`, name, kind: "sdk", capabilities: [], labels: {}, slots: 1, version: "1", tokenId: null, ...over }).agent;
const submit = (s: Scheduler, id: string, over: Partial<NewTask> = {}) => s.submit({ id, title: `task ${id}`, ...over });
const kinds = (s: Scheduler) => s.drain().incidents.map((i) => i.kind);

describe("[RECOVERY] agent health", () => {
  test("healthy → unhealthy after 1.5 missed heartbeats → offline after the lease TTL, with reasons; a heartbeat heals", () => {
    const { s, clock } = setup();
    const a = register(s, "a");
    expect(a.health).toBe("healthy");
    s.drain();
    clock.advance(2_900);
    s.tick();
    expect(a.health).toBe("healthy");
    clock.advance(200); // 3.1 s silent
    s.tick();
    expect(a).toMatchObject({ health: "unhealthy", healthReason: "missed heartbeats" });
    expect(kinds(s)).toEqual(["agent_unhealthy"]);
    s.heartbeat(a.id, {});
    expect(a.health).toBe("healthy");
    expect(kinds(s)).toEqual(["agent_recovered"]);
    clock.advance(6_100);
    s.tick();
    expect(a).toMatchObject({ health: "offline", connected: false, healthReason: "missed heartbeats for longer than its 6.0 s lease" });
    expect(kinds(s)).toEqual(["agent_lost"]);
  });

  test("a dropped connection is offline at once, saying so", () => {
    const { s } = setup();
    const a = register(s, "a");
    s.drain();
    s.disconnectAgent(a.id, "transport close");
    expect(a).toMatchObject({ health: "offline", healthReason: "transport close" });
    expect(kinds(s)).toEqual(["agent_lost"]);
  });
});

describe("[RECOVERY] stuck attempts (zombies)", () => {
  test("an agent that heartbeats but makes no progress past the progress timeout: stuck event, cancel, reassigned elsewhere, agent unhealthy", () => {
    const { s, clock } = setup();
    const a = register(s, "a");
    const t = submit(s, "t1", { progressTimeoutMs: 10_000 });
    s.dispatch();
    s.accept(a.id, "t1", 1);
    const b = register(s, "b");
    s.drain();
    // Heartbeats keep the lease alive; progress arrives for a while, then stops.
    for (let i = 0; i < 4; i++) {
      clock.advance(2_000);
      s.heartbeat(a.id, {});
      s.heartbeat(b.id, {});
      s.tick();
    }
    s.progress(a.id, "t1", 1, 10, "working");
    s.drain();
    for (let i = 0; i < 5; i++) {
      clock.advance(2_000);
      s.heartbeat(a.id, {});
      s.heartbeat(b.id, {});
      s.tick();
    }
    expect(t.status).toBe("running");
    clock.advance(1_000); // 11 s since the last progress
    s.heartbeat(a.id, {});
    s.tick();
    const o = s.drain();
    expect(o.history.map((h) => h.type)).toEqual(["stuck", "attempt_failed", "retry_scheduled"]);
    expect(o.history[0].message).toMatch(/stuck: no progress from a for 11\.0 s/);
    expect(o.cancels).toEqual([{ agentId: a.id, taskId: "t1", attempt: 1, reason: "stuck: no progress" }]);
    expect(o.incidents.map((i) => i.kind)).toEqual(["task_stuck", "agent_unhealthy", "task_retried"]);
    expect(a).toMatchObject({ health: "unhealthy", healthReason: 'stuck on "task t1"' });
    // A heartbeat does not make a stuck agent healthy; the retry goes to the other agent.
    s.heartbeat(a.id, {});
    expect(a.health).toBe("unhealthy");
    clock.advance(1_000);
    s.tick();
    s.dispatch();
    expect(t).toMatchObject({ status: "assigned", agentId: b.id, attempt: 2 });
  });

  test("without a progress timeout, a silent long task is left alone", () => {
    const { s, clock } = setup();
    const a = register(s, "a");
    const t = submit(s, "t1");
    s.dispatch();
    s.accept(a.id, "t1", 1);
    for (let i = 0; i < 100; i++) {
      clock.advance(2_000);
      s.heartbeat(a.id, {});
      s.tick();
    }
    expect(t.status).toBe("running");
  });
});

describe("[RECOVERY] queue timeout", () => {
  test("a task nobody takes within its queue timeout ends dead with a clear reason; one taken in time is unaffected", () => {
    const { s, clock } = setup();
    const lonely = submit(s, "lonely", { queueTimeoutMs: 5_000, requirements: [{ name: "gpu", level: 1 }] });
    const lucky = submit(s, "lucky", { queueTimeoutMs: 5_000 });
    register(s, "a");
    s.dispatch();
    s.drain();
    clock.advance(5_000);
    s.tick();
    const o = s.drain();
    expect(lonely).toMatchObject({ status: "dead", error: "queue timeout: no agent took it within 5.0 s" });
    expect(o.history.filter((h) => h.taskId === "lonely").map((h) => h.type)).toEqual(["dead"]);
    expect(o.incidents.filter((i) => i.taskId).map((i) => [i.kind, i.taskId])).toEqual([["queue_timeout", "lonely"]]);
    expect(lucky.status).toBe("assigned");
    expect(s.tasks.has("lonely")).toBe(false);
  });

  test("the clock restarts when a retry puts the task back in the queue", () => {
    const { s, clock } = setup();
    const a = register(s, "a");
    const t = submit(s, "t", { queueTimeoutMs: 5_000, backoffMs: 100 });
    s.dispatch();
    clock.advance(4_000);
    s.fail(a.id, "t", 1, "boom", true);
    clock.advance(4_000); // 8 s since submit, 4 s since requeued
    s.tick();
    expect(t.status).toBe("queued");
  });
});
