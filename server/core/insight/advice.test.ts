import { describe, expect, it } from "vitest";
import { statOf } from "./analytics";
import { observe } from "./histogram";
import { emptyCounters } from "./rollup";
import { bottlenecks, recommendations, type Facts } from "./advice";

const H = 3_600_000;

/** A stat over `hours` with the given counts, waits and run times. */
function stat(o: { started: number; waitMs?: number; runMs?: number; busy?: number; avail?: number; failed?: number; retries?: number; hours?: number }) {
  const c = emptyCounters();
  c.started = o.started;
  c.succeeded = o.started - (o.failed ?? 0);
  c.failed = o.failed ?? 0;
  c.retries = o.retries ?? 0;
  for (let i = 0; i < o.started; i++) {
    observe(c.queueWait, o.waitMs ?? 100);
    c.queueWaitMs += o.waitMs ?? 100;
    if (o.runMs) {
      observe(c.runTime, o.runMs);
      c.runTimeMs += o.runMs;
      c.ran++;
    }
  }
  c.busyMs = (o.busy ?? 0) * H;
  c.availMs = (o.avail ?? 0) * H;
  return statOf(c, (o.hours ?? 24) * H);
}

const base = (over: Partial<Facts> = {}): Facts => ({ windowHours: 24, capabilities: [], agentCapabilities: [], agents: [], workflows: [], defaultStrategy: "least-loaded", targetWaitMs: 60_000, ...over });

describe("[ADVICE] bottlenecks", () => {
  it("names a capability whose tasks wait, with the evidence", () => {
    const f = base({
      capabilities: [
        { capability: "gpu", stat: stat({ started: 42, waitMs: 18 * 60_000, runMs: 20 * 60_000, busy: 47, avail: 48 }), agents: [{ id: "a", name: "g-1", slots: 1, connected: true }, { id: "b", name: "g-2", slots: 1, connected: true }], busyRunHours: 6 },
        { capability: "docs", stat: stat({ started: 40, waitMs: 200, runMs: 10_000, busy: 1, avail: 24 }), agents: [{ id: "c", name: "d-1", slots: 1, connected: true }], busyRunHours: 0 },
      ],
    });
    const b = bottlenecks(f);
    expect(b).toHaveLength(1);
    expect(b[0].title).toMatch(/^capability gpu: 42 tasks waited p95 (1[5-9]|2\d) min; 2 agents, 98 % busy \(≥ 90 % for 6 h\)$/);
    expect(b[0].evidence.length).toBeGreaterThanOrEqual(2);
  });

  it("names an agent that takes several times the others' median for the same work", () => {
    const f = base({
      agentCapabilities: [
        { agentId: "1", agentName: "b-1", capability: "build", stat: stat({ started: 10, runMs: 60_000 }) },
        { agentId: "2", agentName: "b-2", capability: "build", stat: stat({ started: 10, runMs: 70_000 }) },
        { agentId: "3", agentName: "b-3", capability: "build", stat: stat({ started: 10, runMs: 200_000 }) },
      ],
    });
    const titles = bottlenecks(f).map((x) => x.title);
    expect(titles).toHaveLength(1);
    expect(titles[0]).toMatch(/^agent b-3 takes 3\.\d× the fleet median for build$/);
  });

  it("names the step that dominates a workflow's critical path, and slow approvals", () => {
    const f = base({
      workflows: [
        {
          template: "release-train@4",
          runs: 10,
          succeeded: 9,
          failed: 1,
          canceled: 0,
          durationP50Ms: 10 * 60_000,
          durationP95Ms: 20 * 60_000,
          criticalStep: { stepId: "test", share: 0.9, p50Ms: 4 * 60_000 },
          gates: [{ stepId: "qa_ok", type: "approval", passed: 8, failed: 2, passRate: 0.8, waitP50Ms: 2 * H, waitP95Ms: 5 * H }],
          steps: [],
        },
      ],
    });
    expect(bottlenecks(f).map((x) => x.title).sort()).toEqual(["approval qa_ok in release-train waits p50 2.0 h for a decision", "step test is the longest step on the critical path in 90 % of release-train runs, p50 4 min"]);
  });

  it("finds nothing in a healthy fleet or without enough data", () => {
    const f = base({ capabilities: [{ capability: "x", stat: stat({ started: 3, waitMs: H, runMs: 1000 }), agents: [], busyRunHours: 0 }] });
    expect(bottlenecks(f)).toEqual([]);
  });
});

describe("[ADVICE] recommendations", () => {
  it("asks for the slots that bring the wait under the target, naming the agent to raise when there is one", () => {
    const f = base({ capabilities: [{ capability: "gpu", stat: stat({ started: 48, waitMs: 10 * 60_000, runMs: 25 * 60_000, busy: 20, avail: 21 }), agents: [{ id: "a", name: "g-1", slots: 1, connected: true }], busyRunHours: 10 }] });
    const [r] = recommendations(f);
    expect(r.kind).toBe("add_capacity");
    expect(r.action).toMatchObject({ kind: "raise_slots", agentId: "a", from: 1 });
    expect((r.action as { to: number }).to).toBeGreaterThanOrEqual(2);
    expect(r.effect).toMatch(/queue wait p95 about/);
  });

  it("suggests draining an agent that fails far more than the rest", () => {
    const f = base({
      agents: [
        { agentId: "1", agentName: "b-1", stat: stat({ started: 50, failed: 1 }), slots: 1, connected: true, draining: false },
        { agentId: "2", agentName: "b-2", stat: stat({ started: 40, failed: 12, retries: 4 }), slots: 1, connected: true, draining: false },
      ],
    });
    const r = recommendations(f);
    expect(r.map((x) => x.kind)).toEqual(["drain_flaky_agent"]);
    expect(r[0].action).toEqual({ kind: "drain_agent", agentId: "2", agentName: "b-2" });
    // Already draining: nothing to recommend.
    expect(recommendations({ ...f, agents: f.agents.map((a) => ({ ...a, draining: a.agentName === "b-2" })) })).toEqual([]);
  });

  it("suggests least-loaded when one agent is busy and another idle under round-robin", () => {
    const f = base({
      defaultStrategy: "round-robin",
      agentCapabilities: [
        { agentId: "1", agentName: "b-1", capability: "build", stat: stat({ started: 30, busy: 22, avail: 24 }) },
        { agentId: "2", agentName: "b-2", capability: "build", stat: stat({ started: 10, busy: 2, avail: 24 }) },
      ],
    });
    expect(recommendations(f).map((x) => x.action)).toEqual([{ kind: "set_strategy", capability: "build", strategy: "least-loaded" }]);
    expect(recommendations({ ...f, defaultStrategy: "least-loaded" })).toEqual([]);
  });
});
