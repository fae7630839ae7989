// The chaos suite's judges, on hand-made rows: each rule must catch the failure it is for and
// stay quiet on a healthy history (a verdict that never fires proves nothing).
import { describe, expect, it } from "vitest";
import {
  checkDetections,
  checkIdempotency,
  checkLatencyDuring,
  checkMessages,
  checkRecovery,
  checkRuns,
  checkTally,
  checkTasks,
  firstAssignedAfter,
  percentile,
  recoveryTimes,
  unexpectedExpiries,
  type EventRow,
  type Intent,
  type SendState,
  type TaskRow,
} from "./invariants";

const task = (id: string, status: string, extra: Partial<TaskRow> = {}): TaskRow => ({ id, status, idempotencyKey: `chaos-${id}`, runId: null, stepId: null, attempt: 1, failures: 0, maxAttempts: 5, agentId: null, ...extra });
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

  // Built to succeed unless the id says "fail".
  const intent = (t: TaskRow): Intent => (t.id.startsWith("fail") ? "fail" : "succeed");
  it("counts a task built to succeed that ended dead, failed or canceled as lost", () => {
    const v = checkTasks({
      tasks: [task("a", "dead", { failures: 5 }), task("b", "canceled"), task("c", "failed"), task("d", "succeeded")],
      events: [ev("a", "dead", 1, { message: "lease expired" }), ev("b", "canceled", 2), ev("c", "failed", 3), ev("d", "succeeded", 4)],
      isHarnessTask: harness,
      intent,
    });
    expect(v.lost).toBe(3);
    expect(v.violations.map((x) => x.subject)).toEqual(["task a (key chaos-a)", "task b (key chaos-b)", "task c (key chaos-c)"]);
    expect(v.violations[0].detail).toMatch(/built to succeed but ended dead: .*"lease expired".*5 of 5 attempts used/);
  });
  it("accepts canceled for a task the harness canceled itself, and nothing else as an exemption", () => {
    const tasks = [task("a", "canceled"), task("b", "canceled")];
    const events = [ev("a", "canceled", 1), ev("b", "canceled", 2)];
    const v = checkTasks({ tasks, events, isHarnessTask: harness, intent, canceledByHarness: new Set(["a"]) });
    expect(v.lost).toBe(1);
    expect(v.violations[0].subject).toBe("task b (key chaos-b)");
  });
  it("holds a task built to fail to failed or dead: succeeded is an unexpected end, canceled is lost", () => {
    const v = checkTasks({
      tasks: [task("fail-1", "failed"), task("fail-2", "dead"), task("fail-3", "succeeded"), task("fail-4", "canceled")],
      events: [ev("fail-1", "failed", 1), ev("fail-2", "dead", 2), ev("fail-3", "succeeded", 3), ev("fail-4", "canceled", 4)],
      isHarnessTask: harness,
      intent,
    });
    expect(v.violations.map((x) => `${x.kind} ${x.subject}`)).toEqual(["unexpected-end task fail-3 (key chaos-fail-3)", "lost task fail-4 (key chaos-fail-4)"]);
    expect(v.lost).toBe(1);
  });
  it("without an intent only checks that the task ended once", () => {
    expect(checkTasks({ tasks: [task("a", "dead")], events: [ev("a", "dead", 1)], isHarnessTask: harness }).violations).toEqual([]);
  });
});

describe("checkTally", () => {
  const rows = [task("a", "succeeded"), task("b", "succeeded"), task("fail-1", "failed"), task("fail-2", "dead")];
  const sub = (id: string, intent: Intent) => ({ key: `chaos-${id}`, intent });
  it("counts statuses from the harness's own list and is quiet when each ended as built", () => {
    const v = checkTally("scenario 1 tasks", [sub("a", "succeed"), sub("b", "succeed"), sub("fail-1", "fail"), sub("fail-2", "fail")], rows);
    expect(v.violations).toEqual([]);
    expect(v.byStatus).toEqual({ succeeded: 2, failed: 1, dead: 1 });
  });
  it("reports a submission that is not stored, and one built to succeed that did not", () => {
    const v = checkTally("scenario 1 tasks", [sub("a", "succeed"), sub("gone", "succeed"), sub("fail-2", "succeed"), sub("b", "fail")], rows);
    expect(v.byStatus).toEqual({ succeeded: 2, missing: 1, dead: 1 });
    expect(v.violations.map((x) => x.detail)).toEqual([
      "2 of 3 tasks built to succeed did not end as built: dead=1 missing=1 (all: dead=1 missing=1 succeeded=2)",
      "1 of 1 tasks built to fail did not end as built: succeeded=1 (all: dead=1 missing=1 succeeded=2)",
    ]);
  });
  it("accepts canceled only for the tasks the harness canceled", () => {
    const canceled = [task("a", "canceled"), task("b", "canceled")];
    const v = checkTally("s", [sub("a", "succeed"), sub("b", "succeed")], canceled, new Set(["a"]));
    expect(v.violations.map((x) => x.detail)).toEqual(["1 of 2 tasks built to succeed did not end as built: canceled=1 (all: canceled=2)"]);
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
  it("counts harness runs still running as lost, with their open steps, and ignores others", () => {
    const v = checkRuns(runs, [{ runId: "r2", stepId: "work_1", status: "queued" }], (r) => r.triggeredBy === "token:chaos-submit", new Set(["r1"]));
    expect(v.violations).toHaveLength(1);
    expect(v.violations[0]).toMatchObject({ kind: "lost", subject: "run r2" });
    expect(v.violations[0].detail).toContain("work_1=queued");
    expect(v.lost).toBe(1);
  });
  it("counts a started run that is not stored as lost", () => {
    const v = checkRuns([], [], () => true, new Set(["rx"]));
    expect(v.violations[0].kind).toBe("lost");
    expect(v.lost).toBe(1);
  });
  it("counts a run that ended failed or canceled as lost: the pipeline is built to succeed", () => {
    const ended = [
      { id: "r1", status: "succeeded", templateName: "p", triggeredBy: "t" },
      { id: "r2", status: "failed", templateName: "p", triggeredBy: "t" },
      { id: "r3", status: "canceled", templateName: "p", triggeredBy: "t" },
    ];
    const v = checkRuns(ended, [{ runId: "r2", stepId: "work_1", status: "failed" }, { runId: "r2", stepId: "prepare", status: "succeeded" }], () => true, new Set());
    expect(v.lost).toBe(2);
    expect(v.violations.map((x) => x.subject)).toEqual(["run r2", "run r3"]);
    expect(v.violations[0].detail).toBe("built to succeed but ended failed; steps: work_1=failed");
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

describe("checkRecovery", () => {
  const inc = (taskId: string, attempt = 1) => ({ at: 1_000, agentId: "ag_v", agentName: "v", held: [{ taskId, attempt }] });
  it("turns a held task that never went elsewhere into a failure", () => {
    const v = checkRecovery([inc("a")], [ev("a", "assigned", 500, { agentId: "ag_v" })], [task("a", "running", { agentId: "ag_v" })]);
    expect(v.violations).toHaveLength(1);
    expect(v.violations[0]).toMatchObject({ kind: "not-recovered", subject: "task a" });
    expect(v.violations[0].detail).toContain("now running");
  });
  it("notes (not fails) a task that could not be reassigned: its last attempt was lost, or the harness canceled it", () => {
    const events = [ev("a", "dead", 7_000, { agentId: "ag_v", attempt: 2 }), ev("b", "canceled", 2_000, { agentId: null })];
    const v = checkRecovery([inc("a", 2), inc("b")], events, [task("a", "dead", { failures: 2, maxAttempts: 2 }), task("b", "canceled")], new Set(["b"]));
    expect(v.violations).toEqual([]);
    expect(v.notes).toHaveLength(2);
    expect(v.notes[0]).toContain("no attempt left (2 of 2 used)");
  });
  it("fails a task that died with attempts left", () => {
    const v = checkRecovery([inc("a")], [ev("a", "dead", 7_000, { agentId: "ag_v" })], [task("a", "dead", { failures: 1, maxAttempts: 5 })]);
    expect(v.violations.map((x) => x.kind)).toEqual(["not-recovered"]);
  });
  it("keeps the recovery time of a task that was reassigned", () => {
    const v = checkRecovery([inc("a")], [ev("a", "assigned", 4_000, { agentId: "ag_w", attempt: 2 })], [task("a", "succeeded")]);
    expect(v.violations).toEqual([]);
    expect(v.samples).toEqual([3]);
  });
});

describe("checkDetections", () => {
  it("reports an agent never shown unhealthy or offline as undetected, with no made-up figure", () => {
    const v = checkDetections([
      { what: "SIGKILL a", offlineS: 0.3, unhealthyS: 0.2 },
      { what: "SIGKILL b", offlineS: null, unhealthyS: null },
    ]);
    expect(v.undetected).toBe(1);
    expect(v.detect).toEqual([0.2]);
    expect(v.offline).toEqual([0.3]);
    expect(v.violations).toEqual([{ kind: "undetected", subject: "SIGKILL b", detail: expect.stringContaining("never showed") }]);
  });
  it("counts unhealthy as detected but fails an agent never shown offline", () => {
    const v = checkDetections([{ what: "SIGSTOP c", offlineS: null, unhealthyS: 4 }]);
    expect(v.undetected).toBe(0);
    expect(v.detect).toEqual([4]);
    expect(v.offline).toEqual([]);
    expect(v.violations.map((x) => x.detail)).toEqual(["shown unhealthy after 4.00 s but never offline while it was gone"]);
  });
});

describe("checkLatencyDuring", () => {
  const windows = [{ from: 10_000, to: 13_000 }];
  const probe = (at: number, ms: number, status = 200) => ({ at, ms, status });
  const fast = Array.from({ length: 15 }, (_, i) => probe(10_000 + i * 200, 5));
  it("passes fast answers in the window and ignores probes outside it", () => {
    const v = checkLatencyDuring("/healthz", [...fast, probe(5_000, 4_000), probe(13_500, 4_000)], windows, 250);
    expect(v.violations).toEqual([]);
    expect(v.n).toBe(15);
    expect(v.p99).toBe(5);
  });
  it("counts a probe sent just before the window (it can be held up too)", () => {
    const v = checkLatencyDuring("/healthz", [...fast, probe(9_900, 3_000)], windows, 250);
    expect(v.n).toBe(16);
    expect(v.violations[0].detail).toMatch(/^p99 3000 ms over 16 probes \(max 3000 ms\) exceeds the bound of 250 ms$/);
  });
  it("fails when the p99 is over the bound, counting an unanswered probe as infinitely slow", () => {
    // A refused connection fails fast, but it is no answer: not a fast one.
    const v = checkLatencyDuring("/healthz", [...fast, probe(11_000, 2, 0)], windows, 250);
    expect(v.violations[0]).toMatchObject({ kind: "slow-healthz" });
    expect(v.violations[0].detail).toContain("1 unanswered");
  });
  it("fails when no probe ran in the window: nothing was measured", () => {
    expect(checkLatencyDuring("/healthz", [probe(1_000, 1)], windows, 250).violations[0].detail).toMatch(/not measured/);
    expect(checkLatencyDuring("/healthz", [], [], 250).violations).toEqual([]);
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
