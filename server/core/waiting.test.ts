import { describe, expect, test } from "vitest";
import type { AgentStatus } from "@/lib/api";
import { explainWaiting, type WaitingAgent, type WaitingTask } from "./waiting";

const NOW = 1_700_000_000_000;

interface A extends WaitingAgent {
  status: AgentStatus;
}

const agent = (name: string, caps: Record<string, number>, over: Partial<Omit<A, "tasks">> & { used?: number } = {}): A => ({
  name,
  capabilities: Object.entries(caps).map(([n, level]) => ({ name: n, level })),
  labels: over.labels ?? {},
  slots: over.slots ?? 1,
  tasks: { size: over.used ?? 0 },
  status: over.status ?? "online",
});

const task = (caps: Record<string, number>, over: Partial<WaitingTask> = {}): WaitingTask => ({
  requirements: Object.entries(caps).map(([name, level]) => ({ name, level })),
  labelSelector: {},
  notBefore: null,
  failures: 0,
  maxAttempts: 3,
  ...over,
});

const explain = (t: WaitingTask, agents: A[], ahead = 0) => explainWaiting(t, agents, { now: NOW, status: (a) => a.status, ahead });

describe("backoff", () => {
  test("[WAITING]: a task in backoff says until when and which retry comes next", () => {
    const t = task({ ts: 1 }, { notBefore: NOW + 4_500, failures: 1, maxAttempts: 3 });
    expect(explain(t, [agent("a", { ts: 1 })])).toEqual({
      code: "backoff",
      message: `Waiting for retry backoff until ${new Date(NOW + 4_500).toISOString()} (5s; retry 2 of 3).`,
    });
  });

  test("[WAITING]: backoff is reported even when no agent could run the task", () => {
    expect(explain(task({ gpu: 1 }, { notBefore: NOW + 1, failures: 2 }), []).code).toBe("backoff");
  });

  test("[WAITING]: a backoff that has passed is ignored", () => {
    expect(explain(task({ ts: 1 }, { notBefore: NOW, failures: 1 }), [agent("a", { ts: 1 })]).code).toBe("ready");
  });
});

describe("capabilities", () => {
  test("[WAITING]: names the capability nobody has", () => {
    expect(explain(task({ gpu: 1 }), [agent("a", { ts: 5 })])).toEqual({
      code: "no_capable_agent",
      message: "No agent has capability gpu.",
    });
  });

  test("[WAITING]: names the best agent when every level is too low", () => {
    const agents = [agent("low", { ts: 1 }), agent("best", { ts: 3 }), agent("other", { go: 5 }), agent("tie", { ts: 3 })];
    expect(explain(task({ ts: 4 }), agents)).toEqual({
      code: "no_capable_agent",
      message: "No agent has capability ts at level 4 or higher (best: best at level 3).",
    });
  });

  test("[WAITING]: checks requirements in order and reports the first one nobody meets", () => {
    const agents = [agent("a", { ts: 5, go: 1 })];
    expect(explain(task({ ts: 2, go: 2, py: 1 }), agents).message).toBe(
      "No agent has capability go at level 2 or higher (best: a at level 1).",
    );
  });

  test("[WAITING]: says no single agent has all when each requirement is met by someone", () => {
    const agents = [agent("a", { ts: 3 }), agent("b", { go: 2 })];
    expect(explain(task({ ts: 2, go: 2 }), agents)).toEqual({
      code: "no_capable_agent",
      message: "No single agent has all of ts:2, go:2.",
    });
  });

  test("[WAITING]: counts offline agents as capable for this check", () => {
    expect(explain(task({ ts: 1 }), [agent("a", { ts: 1 }, { status: "offline" })]).code).toBe("agents_offline");
  });

  // With no agents registered, a task without requirements falls through the capability
  // loop and gets a sentence about an empty list of requirements.
  test("[WAITING]: an empty fleet gets a true sentence even for a task without requirements", () => {
    const e = explain(task({}), []);
    expect(e.message).not.toMatch(/all of \./);
    expect(e.message).toMatch(/no agent/i);
  });
});

describe("labels", () => {
  test("[WAITING]: says how many agents are capable but have the wrong labels", () => {
    const agents = [
      agent("a", { ts: 2 }, { labels: { region: "us" } }),
      agent("b", { ts: 2 }, { labels: {} }),
      agent("c", { go: 1 }, { labels: { region: "eu", os: "linux" } }),
    ];
    expect(explain(task({ ts: 1 }, { labelSelector: { region: "eu", os: "linux" } }), agents)).toEqual({
      code: "label_mismatch",
      message: "2 agent(s) have the capabilities, but none has labels region=eu, os=linux.",
    });
  });
});

describe("agents offline", () => {
  test("[WAITING]: lists the matching agents that are offline", () => {
    const agents = [agent("a", { ts: 1 }, { status: "offline" }), agent("b", { ts: 1 }, { status: "offline" }), agent("x", { go: 1 })];
    expect(explain(task({ ts: 1 }), agents)).toEqual({
      code: "agents_offline",
      message: "All 2 matching agent(s) are offline (a, b).",
    });
  });

  test("[WAITING]: shortens a long list of offline agents", () => {
    const agents = ["a", "b", "c", "d", "e"].map((n) => agent(n, { ts: 1 }, { status: "offline" }));
    expect(explain(task({ ts: 1 }), agents).message).toBe("All 5 matching agent(s) are offline (a, b, c and 2 more).");
  });
});

describe("agents busy", () => {
  test("[WAITING]: counts used and total slots of the live matching agents", () => {
    const agents = [
      agent("a", { ts: 1 }, { status: "busy", slots: 2, used: 2 }),
      agent("b", { ts: 1 }, { status: "busy", slots: 3, used: 3 }),
      agent("off", { ts: 1 }, { status: "offline", slots: 8 }),
    ];
    expect(explain(task({ ts: 1 }), agents)).toEqual({
      code: "all_busy",
      message: "All 2 matching agent(s) are busy (5/5 slots used).",
    });
  });

  test("[WAITING]: mentions draining agents and the tasks ahead", () => {
    const agents = [
      agent("a", { ts: 1 }, { status: "busy", slots: 2, used: 2 }),
      agent("d", { ts: 1 }, { status: "draining", slots: 4, used: 1 }),
    ];
    expect(explain(task({ ts: 1 }), agents, 7)).toEqual({
      code: "all_busy",
      message: "All 2 matching agent(s) are busy (3/6 slots used), 1 draining; 7 task(s) ahead in the queue.",
    });
  });
});

describe("queue", () => {
  test("[WAITING]: a task behind others says how many and how many agents are free", () => {
    const agents = [agent("a", { ts: 1 }), agent("b", { ts: 1 }, { status: "busy" }), agent("c", { ts: 2 })];
    expect(explain(task({ ts: 1 }), agents, 3)).toEqual({
      code: "queued_behind",
      message: "3 task(s) ahead of it in the queue; 2 matching agent(s) have free slots.",
    });
  });

  test("[WAITING]: a task at the front with a free agent is ready", () => {
    expect(explain(task({ ts: 1 }), [agent("a", { ts: 1 }), agent("b", { go: 1 })])).toEqual({
      code: "ready",
      message: "Ready: 1 matching agent(s) have free slots; it will be dispatched on the next pass.",
    });
  });
});
