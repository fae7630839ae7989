// The recorder against the real scheduler on a fake clock: what it counts is what happened.
import { describe, expect, it } from "vitest";
import { FakeClock } from "../clock";
import { Scheduler, type AgentState } from "../scheduler";
import { RollupRecorder } from "./recorder";
import { addCounters, emptyCounters, type Counters, type Dimension } from "./rollup";
import { quantile } from "./histogram";

function setup() {
  const clock = new FakeClock(Date.UTC(2026, 10, 30, 9, 0));
  const s = new Scheduler({ clock, leaseTtlMs: 60_000, defaultStrategy: "least-loaded", random: () => 0 });
  const rec = new RollupRecorder((id) => s.agents.get(id));
  const rows: ReturnType<RollupRecorder["buffer"]["drain"]> = [];
  const cycle = () => {
    s.dispatch();
    const out = s.drain();
    rec.record(out.history, out.tasks);
    rows.push(...rec.buffer.drain());
    return out;
  };
  /** Sum of minute rows of one dimension key. */
  const sum = (dim: Dimension, key: string): Counters => {
    const c = emptyCounters();
    for (const r of rows) if (r.key.granularity === "minute" && r.key.dim === dim && r.key.key === key) addCounters(c, r.counters);
    return c;
  };
  return { clock, s, rec, cycle, sum };
}

const reg = (s: Scheduler, name: string, slots = 1) =>
  s.registerAgent({ id: `id-${name}`, name, kind: "sdk", capabilities: [{ name: "build", level: 2 }], labels: { region: "eu" }, slots, version: "1", tokenId: null }).agent;

describe("[RECORDER] rollups from the scheduler's history", () => {
  it("measures queue wait from submit to start, run time from start to end, and busy time as it passes", () => {
    const { clock, s, rec, cycle, sum } = setup();
    const a = reg(s, "b-1");
    rec.accrue(clock.now(), s.agents.values());
    s.submit({ id: "t1", title: "one", requirements: [{ name: "build", level: 1 }], template: "release@3" });
    s.submit({ id: "t2", title: "two", requirements: [{ name: "build", level: 1 }] });
    const out = cycle();
    const [first] = out.assignments.map((x) => x.assignment.taskId);
    const second = first === "t1" ? "t2" : "t1";
    clock.advance(2_000);
    s.accept(a.id, first, 1);
    cycle();
    // Long-running: busy time accrues per interval, not all at the end.
    for (let i = 0; i < 6; i++) {
      clock.advance(10_000);
      rec.accrue(clock.now(), s.agents.values());
      cycle();
    }
    s.complete(a.id, first, 1, null);
    cycle(); // the slot frees: the second task is assigned now
    clock.advance(1_000);
    s.accept(a.id, second, 1);
    cycle();
    clock.advance(5_000);
    s.fail(a.id, second, 1, "boom", false);
    cycle();
    const all = sum("all", "*");
    expect(all.submitted).toBe(2);
    expect(all.started).toBe(2);
    expect(all.succeeded).toBe(1);
    expect(all.failed).toBe(1);
    expect(all.ran).toBe(2);
    expect(all.runTimeMs).toBe(60_000 + 5_000);
    expect(all.busyMs).toBe(65_000);
    // Queue waits: 2 s, and 63 s for the one that waited for the slot.
    expect(all.queueWaitMs).toBe(2_000 + 63_000);
    expect(quantile(all.queueWait, 0.99)!).toBeGreaterThan(50_000);
    expect(all.availMs).toBe(62_000); // one slot, from the first accrual to the last
    expect(sum("agent", "b-1").busyMs).toBe(65_000);
    expect(sum("capability", "build").submitted).toBe(2);
    expect(sum("label", "region=eu").busyMs).toBe(65_000);
    expect(sum("agent_capability", "b-1/build").ran).toBe(2);
    expect(rec.tracked).toBe(0);
  });

  it("counts a retry against the agent whose attempt failed, and waits from the end of the backoff", () => {
    const { clock, s, cycle, sum } = setup();
    const a = reg(s, "b-1");
    s.submit({ id: "t", title: "flaky", maxAttempts: 3, backoffMs: 1_000 });
    cycle();
    s.accept(a.id, "t", 1);
    cycle();
    clock.advance(3_000);
    s.fail(a.id, "t", 1, "flaky", true);
    cycle();
    expect(sum("agent", "b-1").retries).toBe(1);
    expect(sum("all", "*").retries).toBe(1);
    const notBefore = s.tasks.get("t")!.notBefore!;
    clock.set(notBefore + 4_000);
    s.tick();
    cycle();
    s.accept(a.id, "t", 2);
    cycle();
    // 4 s after the backoff ended (the backoff itself is not queue wait).
    expect(sum("all", "*").queueWaitMs).toBe(4_000);
  });

  it("offers slot time only for connected agents", () => {
    const { clock, s, rec, sum, cycle } = setup();
    reg(s, "b-1", 3);
    const b = reg(s, "b-2", 2);
    rec.accrue(clock.now(), s.agents.values());
    s.disconnectAgent(b.id);
    clock.advance(10_000);
    rec.accrue(clock.now(), s.agents.values());
    cycle();
    expect(sum("agent", "b-1").availMs).toBe(30_000);
    expect(sum("agent", "b-2").availMs).toBe(0);
    expect((s.agents.get(b.id) as AgentState).connected).toBe(false);
  });
});
