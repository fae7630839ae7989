// [SCHEDULER] What keeps a large fleet cheap: heartbeats that only renew are not changes to
// commit, and a task that selects on labels is matched through the label index — which must
// follow re-registrations with new labels and forgotten agents.
import { describe, expect, test } from "vitest";
import { FakeClock } from "../clock";
import { Scheduler, type AgentRegistration } from ".";
import { SERVER_STOPPED } from "./registry";

function setup() {
  const clock = new FakeClock();
  const s = new Scheduler({ clock, leaseTtlMs: 30_000, defaultStrategy: "least-loaded", random: () => 0, heartbeatIntervalMs: 5_000 });
  return { clock, s };
}

const card = (name: string, over: Partial<AgentRegistration> = {}): AgentRegistration => ({
  id: `id-${name}`,
  name,
  kind: "sdk",
  capabilities: [{ name: "fleet", level: 1 }],
  labels: { agent: name },
  slots: 1,
  version: "1",
  tokenId: null,
  ...over,
});

describe("heartbeats", () => {
  test("a heartbeat that only renews is a reading, not a change", () => {
    const { s } = setup();
    const a = s.registerAgent(card("a")).agent;
    s.drain();
    expect(s.heartbeat(a.id, { cpu: 12, memoryMb: 30 })).toEqual({ ok: true, value: [] });
    expect(s.hasChanges()).toBe(false);
    expect(a.cpu).toBe(12);
    expect([...s.takeSampled()]).toEqual([a.id]);
    expect(s.takeSampled().size).toBe(0);
  });

  test("a heartbeat that brings an agent back is a change", () => {
    const { s } = setup();
    const a = s.registerAgent(card("a")).agent;
    s.disconnectAgent(a.id, "connection lost");
    s.drain();
    s.heartbeat(a.id, {});
    expect(s.hasChanges()).toBe(true);
    expect([...s.drain().agents]).toEqual([a.id]);
    expect(a.connected).toBe(true);
  });

  test("a heartbeat of an unhealthy agent makes it healthy, and that is a change", () => {
    const { s, clock } = setup();
    const a = s.registerAgent(card("a")).agent;
    s.drain();
    clock.advance(20_000);
    s.tick();
    expect(a.health).toBe("unhealthy");
    s.drain();
    s.heartbeat(a.id, {});
    expect(a.health).toBe("healthy");
    expect(s.drain().incidents.map((i) => i.kind)).toEqual(["agent_recovered"]);
  });
});

describe("a restart", () => {
  test("connections closed by the server's own shutdown are not agents lost", () => {
    const { s } = setup();
    for (let i = 0; i < 3; i++) s.registerAgent(card(`f-${i}`));
    s.drain();
    for (let i = 0; i < 3; i++) s.disconnectAgent(`id-f-${i}`, SERVER_STOPPED);
    const o = s.drain();
    expect(o.incidents).toEqual([]);
    expect(o.agents.size).toBe(3);
    s.registerAgent(card("g"));
    s.drain();
    s.disconnectAgent("id-g", "connection lost");
    expect(s.drain().incidents.map((i) => i.kind)).toEqual(["agent_lost"]);
  });
});

describe("the label index", () => {
  test("a task for one named agent among many goes to that agent", () => {
    const { s } = setup();
    for (let i = 0; i < 500; i++) s.registerAgent(card(`f-${i}`));
    s.submit({ id: "t", title: "t", requirements: [{ name: "fleet", level: 1 }], labelSelector: { agent: "f-321" } });
    expect(s.dispatch()).toBe(1);
    expect(s.tasks.get("t")?.agentId).toBe("id-f-321");
  });

  test("a selector no agent carries waits, and is taken when one registers with it", () => {
    const { s } = setup();
    s.registerAgent(card("a"));
    s.submit({ id: "t", title: "t", labelSelector: { zone: "b" } });
    expect(s.dispatch()).toBe(0);
    s.registerAgent(card("b", { labels: { zone: "b" } }));
    expect(s.dispatch()).toBe(1);
    expect(s.tasks.get("t")?.agentId).toBe("id-b");
  });

  test("re-registering with other labels moves the agent in the index", () => {
    const { s } = setup();
    s.registerAgent(card("a", { labels: { zone: "x" } }));
    s.registerAgent(card("a", { labels: { zone: "y" } }));
    s.submit({ id: "tx", title: "tx", labelSelector: { zone: "x" } });
    expect(s.dispatch()).toBe(0);
    s.submit({ id: "ty", title: "ty", labelSelector: { zone: "y" } });
    expect(s.dispatch()).toBe(1);
    expect(s.tasks.get("ty")?.agentId).toBe("id-a");
  });

  test("every selected label must match, not only the rarest", () => {
    const { s } = setup();
    s.registerAgent(card("a", { labels: { zone: "x", gpu: "a100" } }));
    s.registerAgent(card("b", { labels: { zone: "x", gpu: "h100" } }));
    s.registerAgent(card("c", { labels: { zone: "y", gpu: "h100" } }));
    s.submit({ id: "t", title: "t", labelSelector: { zone: "x", gpu: "h100" } });
    expect(s.dispatch()).toBe(1);
    expect(s.tasks.get("t")?.agentId).toBe("id-b");
  });

  test("a forgotten agent is no longer a candidate", () => {
    const { s } = setup();
    s.registerAgent(card("a"));
    s.disconnectAgent("id-a", "connection lost");
    expect(s.forgetAgent("id-a").ok).toBe(true);
    // A new agent under the same name gets a new id; the old one must not be found.
    s.registerAgent(card("a", { id: "id-a2" }));
    s.submit({ id: "t", title: "t", labelSelector: { agent: "a" } });
    expect(s.dispatch()).toBe(1);
    expect(s.tasks.get("t")?.agentId).toBe("id-a2");
  });
});
