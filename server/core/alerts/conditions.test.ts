import { describe, expect, it } from "vitest";
import { builtInRules, observe, windowsOf, type AlertFacts, type RuleDef } from "./conditions";

const NOW = Date.UTC(2026, 11, 1, 12);
const M = 60_000;
const rule = (kind: RuleDef["kind"]) => builtInRules().find((r) => r.kind === kind)!;

function facts(over: Partial<AlertFacts> = {}): AlertFacts {
  return { now: NOW, agents: [], windows: new Map(), approvals: [], errorEvents: [], shortfalls: [], pools: [], ...over };
}

describe("alert conditions", () => {
  it("agents offline: each agent that went away, not those stopped by their owner", () => {
    const f = facts({
      agents: [
        { name: "b-1", health: "offline", offlineSince: NOW - 4 * M, reason: "connection lost", deliberate: false },
        { name: "b-2", health: "offline", offlineSince: NOW - M, reason: "stopped by its owner", deliberate: true },
        { name: "b-3", health: "healthy", offlineSince: null, reason: null, deliberate: false },
      ],
    });
    const o = observe(rule("agents_offline"), f);
    expect(o.map((x) => x.labels.agent)).toEqual(["b-1"]);
    expect(o[0].labels).toMatchObject({ alertname: "AgentOffline", severity: "critical" });
    expect(o[0].summary).toBe("agent b-1 offline for 4 min (connection lost)");
    expect(observe({ ...rule("agents_offline"), params: { includeStopped: true } }, f)).toHaveLength(2);
  });

  it("queue wait and failure rate: per capability over the rule's window, with enough tasks", () => {
    const w = 15 * M;
    const f = facts({
      windows: new Map([
        [
          w,
          [
            { capability: "*", started: 40, waitP95Ms: 9 * M, succeeded: 30, failed: 8, dead: 2 },
            { capability: "gpu", started: 12, waitP95Ms: 18 * M, succeeded: 4, failed: 6, dead: 0 },
            { capability: "build", started: 2, waitP95Ms: 30 * M, succeeded: 2, failed: 0, dead: 0 },
            { capability: "docs", started: 26, waitP95Ms: 10_000, succeeded: 24, failed: 0, dead: 2 },
          ],
        ],
      ]),
    });
    expect(windowsOf(builtInRules())).toContain(w);
    const slow = observe(rule("queue_wait"), f);
    expect(slow.map((o) => o.labels.capability)).toEqual(["gpu"]); // build has too few tasks, docs is fast
    expect(slow[0].summary).toBe("capability gpu: queue wait p95 18 min over the last 15 min (target 5 min, 12 tasks)");
    const failing = observe(rule("failure_rate"), f);
    expect(failing.map((o) => [o.labels.capability, o.value])).toEqual([["gpu", 0.6]]);
    const dead = observe(rule("dead_tasks"), f);
    expect(dead.map((o) => o.value)).toEqual([2]);
    expect(observe(rule("dead_tasks"), facts())).toEqual([]);
  });

  it("approvals waiting too long, error groups new or spiking in the window, forecast shortfalls soon", () => {
    const f = facts({
      approvals: [
        { runId: "r1", stepId: "ship", template: "release-train@3", waitingSince: NOW - 2 * 3_600_000 },
        { runId: "r2", stepId: "ship", template: "release-train@3", waitingSince: NOW - 10 * M },
      ],
      errorEvents: [
        { kind: "error_group_new", groupId: "g1", title: "boom", at: NOW - 5 * M, message: "new error on b-1: boom" },
        { kind: "error_group_spike", groupId: "g1", title: "boom", at: NOW - M, message: "spike: boom" },
        { kind: "error_group_new", groupId: "g2", title: "old", at: NOW - 3 * 3_600_000, message: "new error: old" },
      ],
      shortfalls: [
        { capability: "gpu", from: NOW + 3_600_000, to: NOW + 4 * 3_600_000, extra: 2, text: "gpu needs 2 more slots Tue 13–16" },
        { capability: "gpu", from: NOW + 30 * 3_600_000, to: NOW + 31 * 3_600_000, extra: 1, text: "later" },
        { capability: "docs", from: NOW + 40 * 3_600_000, to: NOW + 41 * 3_600_000, extra: 1, text: "too far" },
      ],
    });
    expect(observe(rule("approval_waiting"), f).map((o) => o.labels.run)).toEqual(["r1"]);
    const errors = observe(rule("error_group"), f);
    expect(errors.map((o) => [o.labels.group, o.labels.kind, o.summary])).toEqual([["g1", "spike", "spike: boom"]]);
    expect(observe(rule("forecast_shortage"), f).map((o) => o.summary)).toEqual(["forecast: gpu needs 2 more slots Tue 13–16"]);
  });

  it("labels carry the rule's own labels, alertname and severity", () => {
    const r: RuleDef = { ...rule("dead_tasks"), labels: { team: "platform" } };
    const f = facts({ windows: new Map([[15 * M, [{ capability: "*", started: 1, waitP95Ms: null, succeeded: 0, failed: 0, dead: 1 }]]]) });
    expect(observe(r, f)[0].labels).toEqual({ team: "platform", alertname: "TasksDead", severity: "warning" });
  });
  it("pools: at their maximum, and agents that keep dying", () => {
    const f = facts({ pools: [{ name: "gpu", atMax: true, wanted: 9, max: 4, crashes: 0 }, { name: "build", atMax: false, wanted: 2, max: 8, crashes: 3 }] });
    expect(observe(rule("pool_at_max"), f).map((o) => [o.labels.pool, o.value, o.summary])).toEqual([["gpu", 9, "pool gpu wants 9 agents; its maximum is 4"]]);
    expect(observe(rule("pool_crash_loop"), f).map((o) => [o.labels.pool, o.labels.severity])).toEqual([["build", "critical"]]);
    expect(observe(rule("pool_crash_loop"), facts({ pools: [{ name: "build", atMax: false, wanted: 2, max: 8, crashes: 2 }] }))).toEqual([]);
  });
});
