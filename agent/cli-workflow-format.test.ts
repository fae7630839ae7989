import { describe, expect, it } from "vitest";
import type { RunSummary, StepView } from "../lib/api";
import { UsageError } from "./cli-flags";
import {
  approvalsTable,
  changeLine,
  clock,
  diffSteps,
  duration,
  formatOf,
  issueLine,
  issuesHeadline,
  parseParamFlags,
  runTable,
  statusMap,
  stepNote,
  stepTable,
} from "./cli-workflow-format";

const T0 = new Date(2026, 0, 1, 12, 1, 3).getTime(); // local time, so clock(T0) is 12:01:03

function step(over: Partial<StepView> & Pick<StepView, "id">): StepView {
  return {
    templateStepId: over.id,
    type: "task",
    title: over.id,
    status: "pending",
    dependsOn: [],
    description: null,
    taskId: null,
    agentId: null,
    agentName: null,
    attempt: 0,
    result: null,
    error: null,
    startedAt: null,
    finishedAt: null,
    decisions: [],
    approvalDeadline: null,
    ...over,
  };
}

describe("[cli workflow] flags", () => {
  it("parses --param name=value, keeping '=' and spaces in values as strings", () => {
    expect(parseParamFlags([])).toEqual({});
    expect(parseParamFlags(["feature=login page", "slices=3", "expr=a=b", "empty="])).toEqual({ feature: "login page", slices: "3", expr: "a=b", empty: "" });
    expect(parseParamFlags(["a=1", "a=1"])).toEqual({ a: "1" });
  });

  it("refuses params without a name or given twice differently", () => {
    expect(() => parseParamFlags(["slices"])).toThrow(/invalid --param "slices": expected name=value/);
    expect(() => parseParamFlags(["=3"])).toThrow(UsageError);
    expect(() => parseParamFlags(["a b=3"])).toThrow(UsageError);
    expect(() => parseParamFlags(["a=1", "a=2"])).toThrow(/--param a is given twice/);
  });

  it("tells the format from the file name; stdin is YAML", () => {
    expect(formatOf("wf/feature.yaml")).toBe("yaml");
    expect(formatOf("x.YML")).toBe("yaml");
    expect(formatOf("x.json")).toBe("json");
    expect(formatOf("-")).toBe("yaml");
    expect(() => formatOf("x.txt")).toThrow(/cannot tell the format of "x.txt"/);
  });
});

describe("[cli workflow] validation issues", () => {
  it("prints the step when there is one, and the path when it is not empty", () => {
    expect(issueLine({ step: "test", path: "steps.2.dependsOn", message: "unknown step buld" })).toBe("  step test: steps.2.dependsOn: unknown step buld");
    expect(issueLine({ step: null, path: "params.0.default", message: "must be a number" })).toBe("  params.0.default: must be a number");
    expect(issueLine({ step: "a", path: "", message: "cycle a → b → a" })).toBe("  step a: cycle a → b → a");
    expect(issueLine({ step: null, path: "", message: "not YAML" })).toBe("  not YAML");
  });

  it("keeps only the prefix of the server's message above the list", () => {
    expect(issuesHeadline("Invalid workflow template: step a: x; step b: y.", 2)).toBe("Invalid workflow template (2 problems):");
    expect(issuesHeadline("Invalid parameters: feature is required.", 1)).toBe("Invalid parameters (1 problem):");
    expect(issuesHeadline("Bad.", 1)).toBe("Bad (1 problem):");
  });
});

describe("[cli workflow] tables", () => {
  it("formats durations from milliseconds to hours", () => {
    expect(duration(850)).toBe("850ms");
    expect(duration(12_340)).toBe("12.3s");
    expect(duration(125_000)).toBe("2m05s");
    expect(duration(3_720_000)).toBe("1h02m");
    expect(duration(-5)).toBe("0ms");
  });

  it("renders the step table with agent, duration and the error, decision or wait", () => {
    const steps = [
      step({ id: "plan", status: "succeeded", agentName: "w1", agentId: "a1", startedAt: T0, finishedAt: T0 + 1500 }),
      step({ id: "implement_1", status: "running", agentId: "a2", startedAt: T0 }),
      step({ id: "test", status: "failed", startedAt: T0, finishedAt: T0 + 65_000, error: "exit code 1\nmore detail" }),
      step({ id: "coverage", type: "check", status: "succeeded", decisions: [{ decision: "passed", by: "expression", comment: null, at: T0 }] }),
      step({ id: "review", type: "approval", status: "waiting_approval", startedAt: T0, approvalDeadline: T0 + 3_600_000 }),
      step({ id: "merge" }),
    ];
    expect(stepTable(steps, T0 + 10_000).split("\n")).toEqual([
      "STEP         TYPE      STATUS            AGENT  DURATION  ERROR / DECISION",
      "plan         task      succeeded         w1     1.5s      -",
      "implement_1  task      running           a2     10.0s     -",
      "test         task      failed            -      1m05s     exit code 1 · more detail",
      "coverage     check     succeeded         -      -         passed by expression",
      "review       approval  waiting_approval  -      10.0s     waits for approval (decides itself in 59m50s)",
      "merge        task      pending           -      -         -",
    ]);
    expect(stepTable([])).toBe("no steps");
  });

  it("notes a rejection with its comment", () => {
    const s = step({ id: "review", type: "approval", status: "failed", decisions: [{ decision: "rejected", by: "admin", comment: "not yet", at: T0 }] });
    expect(stepNote(s)).toBe("rejected by admin: not yet");
  });

  it("renders runs with their progress and pending approvals", () => {
    const counts = { pending: 1, queued: 0, running: 1, waiting_approval: 0, succeeded: 3, failed: 1, skipped: 1, canceled: 0 };
    const run: RunSummary = {
      id: "run_1",
      templateName: "feature-pipeline",
      templateVersion: 3,
      status: "running",
      params: {},
      failurePolicy: "continue",
      concurrency: 4,
      triggeredBy: "admin",
      error: null,
      createdAt: T0,
      finishedAt: null,
      counts,
      total: 7,
    };
    expect(runTable([run], T0 + 5000).split("\n")).toEqual([
      "ID     WORKFLOW             STATUS   STEPS DONE      BY     CREATED  TOOK",
      "run_1  feature-pipeline v3  running  5/7 (1 failed)  admin  5s ago   -",
    ]);
    expect(runTable([])).toBe("no runs");
    const review = step({ id: "review", type: "approval", title: "Review by a human", status: "waiting_approval", startedAt: T0, approvalDeadline: null });
    expect(approvalsTable([{ run, step: review }], T0 + 90_000).split("\n")[1]).toBe("run_1  feature-pipeline v3  review  1m30s    never           Review by a human");
    expect(approvalsTable([])).toBe("no approvals wait");
  });
});

describe("[cli workflow] following a run", () => {
  it("prints local wall-clock times", () => {
    expect(clock(T0)).toBe("12:01:03");
  });

  it("reports only steps whose status changed, new steps counting as pending", () => {
    const before = statusMap([step({ id: "plan", status: "running" }), step({ id: "test" })]);
    const now = [
      step({ id: "plan", status: "running", agentName: "w1" }),
      step({ id: "implement_1", status: "queued" }),
      step({ id: "implement_2" }),
      step({ id: "test" }),
    ];
    const changes = diffSteps(before, now, T0);
    expect(changes.map((c) => [c.step.id, c.status, c.at])).toEqual([["implement_1", "queued", T0]]);
  });

  it("uses the step's own start and finish times, and names the agent", () => {
    const running = step({ id: "implement_2", status: "running", agentName: "builder-1", taskId: "t1", startedAt: T0 });
    const [change] = diffSteps(new Map([["implement_2", "queued"]]), [running], T0 + 9999);
    expect(change.at).toBe(T0);
    expect(changeLine("run_1", change)).toBe("12:01:03 implement_2 running (agent builder-1)");
  });

  it("adds the missed running line when a task started and finished between two polls", () => {
    const done = step({ id: "plan", status: "succeeded", agentName: "w1", taskId: "t1", startedAt: T0, finishedAt: T0 + 2000 });
    const lines = diffSteps(new Map([["plan", "queued"]]), [done], T0 + 3000).map((c) => changeLine("run_1", c));
    expect(lines).toEqual(["12:01:03 plan running (agent w1)", "12:01:05 plan succeeded"]);
    // An expression check never ran as a task: no running line.
    const check = step({ id: "coverage", type: "check", status: "succeeded", startedAt: T0, finishedAt: T0, decisions: [{ decision: "passed", by: "expression", comment: null, at: T0 }] });
    expect(diffSteps(new Map(), [check], T0).map((c) => changeLine("run_1", c))).toEqual(["12:01:03 coverage succeeded (passed by expression)"]);
  });

  it("tells how to approve a waiting gate and shows errors of failed steps", () => {
    const gate = step({ id: "review", type: "approval", status: "waiting_approval", startedAt: T0 });
    expect(diffSteps(new Map([["review", "pending"]]), [gate], T0).map((c) => changeLine("run_9", c))).toEqual([
      "12:01:03 review waits for approval: switchboard run approve run_9 review",
    ]);
    const failed = step({ id: "test", status: "failed", finishedAt: T0, error: "exited with code 2\n  stack\n" });
    expect(changeLine("run_9", diffSteps(new Map([["test", "running"]]), [failed], T0)[0])).toBe("12:01:03 test failed: exited with code 2 · stack");
    // A failed check's decision already says what its error says.
    const qa = step({
      id: "qa",
      type: "check",
      status: "failed",
      finishedAt: T0,
      error: "exited with code 1\nlogin page returns 500",
      decisions: [{ decision: "failed", by: "check command on w1", comment: "exited with code 1\nlogin page returns 500", at: T0 }],
    });
    expect(changeLine("run_9", diffSteps(new Map([["qa", "running"]]), [qa], T0)[0])).toBe(
      "12:01:03 qa failed (failed by check command on w1: exited with code 1 · login page returns 500)",
    );
    const rejected = step({ id: "review", type: "approval", status: "failed", finishedAt: T0, decisions: [{ decision: "rejected", by: "admin", comment: "no", at: T0 }] });
    expect(changeLine("run_9", diffSteps(statusMap([gate]), [rejected], T0)[0])).toBe("12:01:03 review failed (rejected by admin: no)");
  });

  it("reports skipped and canceled steps when a run ends", () => {
    const steps = [step({ id: "a", status: "skipped" }), step({ id: "b", status: "canceled", finishedAt: T0 })];
    expect(diffSteps(new Map(), steps, T0).map((c) => changeLine("r", c))).toEqual(["12:01:03 a skipped", "12:01:03 b canceled"]);
  });
});
