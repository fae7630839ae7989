// The chaos suite's judges, on hand-made rows: each rule must catch the failure it is for and
// stay quiet on a healthy history (a verdict that never fires proves nothing).
import { describe, expect, it } from "vitest";
import {
  checkIdempotency,
  checkMessages,
  checkRuns,
  checkTasks,
  firstAssignedAfter,
  percentile,
  recoveryTimes,
  unexpectedExpiries,
  type EventRow,
  type SendState,
  type TaskRow,
} from "./invariants";

const task = (id: string, status: string, extra: Partial<TaskRow> = {}): TaskRow => ({ id, status, idempotencyKey: `chaos-${id}`, runId: null, stepId: null, attempt: 1, agentId: null, ...extra });
let nextId = 1;
const ev = (taskId: string, type: string, at: number, extra: Partial<EventRow> = {}): EventRow => ({ id: nextId++, taskId, type, at, attempt: 1, agentId: "ag_1", message: null, ...extra });
const harness = (t: TaskRow) => !!t.idempotencyKey?.startsWith("chaos-");

describe("checkTasks", () => {
  it("passes a history where every task ended once", () => {
    const v = checkTasks({ tasks: [task("a", "succeeded"), task("b", "dead")], events: [ev("a", "assigned", 1), ev("a", "succeeded", 2), ev("b", "dead", 3)], isHarnessTask: harness });
    expect(v.violations).toEqual([]);
    expect(v.harnessTasks).toBe(2);
  });

  it("counts a harness task without a terminal record as lost, naming its status", () => {
    const v = checkTasks({ tasks: [task("a", "running", { agentId: "ag_9" })], events: [ev("a", "assigned", 1)], isHarnessTask: harness });
    expect(v.lost).toBe(1);
    expect(v.violations[0]).toMatchObject({ kind: "lost", subject: "task a (key chaos-a)" });
    expect(v.violations[0].detail).toContain("status running");
  });

  it("counts two terminal records (or two successes) as one duplicated task", () => {
    const v = checkTasks({ tasks: [task("a", "succeeded")], events: [ev("a", "succeeded", 1), ev("a", "succeeded", 2, { attempt: 2 })], isHarnessTask: harness });
    expect(v.duplicated).toBe(1);
    expect(v.violations[0].detail).toContain("2 terminal records");
  });

  it("holds foreign tasks only to 'at most one ending'", () => {
    const foreign = task("f", "queued", { idempotencyKey: null });
    expect(checkTasks({ tasks: [foreign], events: [], isHarnessTask: harness }).violations).toEqual([]);
    expect(checkTasks({ tasks: [foreign], events: [ev("f", "dead", 1), ev("f", "canceled", 2)], isHarnessTask: harness }).duplicated).toBe(1);
  });

  it("flags a status that disagrees with the history, and an ending by an agent outside the fleet", () => {
    const v = checkTasks({
      tasks: [task("a", "running"), task("b", "succeeded")],
      events: [ev("a", "failed", 1), ev("b", "succeeded", 2, { agentId: "ag_fuzz" })],
      isHarnessTask: harness,
      fleetAgentIds: new Set(["ag_1"]),
    });
    expect(v.violations.map((x) => x.kind).sort()).toEqual(["foreign-completion", "inconsistent"]);
  });
});

describe("checkIdempotency", () => {
  it("accepts retries answered with the same id", () => {
    expect(checkIdempotency(new Map([["chaos-a", new Set(["t1"])]]), [task("t1", "succeeded", { idempotencyKey: "chaos-a" })]).violations).toEqual([]);
  });
  it("reports a key that produced two tasks", () => {
    const v = checkIdempotency(new Map([["chaos-a", new Set(["t1", "t2"])]]), [task("t1", "succeeded", { idempotencyKey: "chaos-a" })]);
    expect(v.duplicated).toBe(1);
  });
  it("reports a 201 whose task is not stored", () => {
    expect(checkIdempotency(new Map([["chaos-a", new Set(["t1"])]]), []).lost).toBe(1);
  });
});

describe("checkRuns", () => {
  const runs = [
    { id: "r1", status: "succeeded", templateName: "p", triggeredBy: "token:chaos-submit" },
    { id: "r2", status: "running", templateName: "p", triggeredBy: "token:chaos-submit" },
    { id: "r3", status: "running", templateName: "p", triggeredBy: "token:fuzz-admin" },
  ];
  it("reports harness runs still running, with their open steps, and ignores others", () => {
    const v = checkRuns(runs, [{ runId: "r2", stepId: "work_1", status: "queued" }], (r) => r.triggeredBy === "token:chaos-submit", new Set(["r1"]));
    expect(v.violations).toHaveLength(1);
    expect(v.violations[0]).toMatchObject({ kind: "stuck-run", subject: "run r2" });
    expect(v.violations[0].detail).toContain("work_1=queued");
  });
  it("reports a started run that is not stored", () => {
    expect(checkRuns([], [], () => true, new Set(["rx"])).violations[0].kind).toBe("lost");
  });
});

describe("checkMessages", () => {
  const sent = new Map<string, SendState>([
    ["m1", { state: "sent", messageId: "x1" }],
    ["m2", { state: "sent", messageId: "x2" }],
    ["m3", { state: "failed", error: "refused" }],
    ["m4", { state: "pending" }],
  ]);
  it("finds the lost, the twice handled and the twice stored", () => {
    const v = checkMessages(sent, new Map([["m1", 2]]), new Map([["m1", 1], ["m2", 2]]));
    // m1 handled twice; m2 stored twice and never handled (lost); m4 never settled (lost); m3 refused and not stored: fine.
    expect(v.duplicated).toBe(2);
    expect(v.lost).toBe(2);
    expect(v.failed).toBe(1);
  });
  it("is quiet when each message was handled once", () => {
    const ok = new Map<string, SendState>([["m1", { state: "sent", messageId: "x" }]]);
    expect(checkMessages(ok, new Map([["m1", 1]]), new Map([["m1", 1]])).violations).toEqual([]);
  });
});

describe("recoveryTimes", () => {
  it("measures kill → the next assignment elsewhere, skipping tasks the victim finished", () => {
    const events = [ev("a", "assigned", 1_000, { agentId: "ag_v" }), ev("a", "lease_expired", 7_000, { agentId: "ag_v" }), ev("a", "assigned", 7_500, { agentId: "ag_w", attempt: 2 }), ev("b", "succeeded", 1_990, { agentId: "ag_v" })];
    const r = recoveryTimes([{ at: 1_500, agentId: "ag_v", agentName: "v", held: [{ taskId: "a", attempt: 1 }, { taskId: "b", attempt: 1 }] }], events);
    expect(r.samples).toEqual([6]);
    expect(r.notRecovered).toEqual([]);
  });
  it("lists a held task that never went anywhere else, with its fate", () => {
    const r = recoveryTimes([{ at: 0, agentId: "ag_v", agentName: "v", held: [{ taskId: "a", attempt: 3 }] }], [ev("a", "dead", 6_000, { agentId: "ag_v", attempt: 3, type: "dead" })]);
    expect(r.samples).toEqual([]);
    expect(r.notRecovered[0].fate).toContain("dead");
  });
});

describe("small helpers", () => {
  it("firstAssignedAfter", () => {
    expect(firstAssignedAfter([ev("a", "assigned", 5_000), ev("b", "assigned", 3_000), ev("c", "assigned", 900)], 1_000)).toBe(2);
    expect(firstAssignedAfter([], 0)).toBeNull();
  });
  it("unexpectedExpiries only in the window and for the named agents", () => {
    const events = [ev("a", "lease_expired", 5_000, { agentId: "ag_1" }), ev("b", "lease_expired", 5_000, { agentId: "ag_2" }), ev("c", "lease_expired", 99_000, { agentId: "ag_1" })];
    expect(unexpectedExpiries(events, new Set(["ag_1"]), 0, 10_000).map((v) => v.subject)).toEqual(["task a"]);
  });
  it("percentile is nearest-rank", () => {
    expect(percentile([], 99)).toBeNull();
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
    expect(percentile([5], 99)).toBe(5);
  });
});
