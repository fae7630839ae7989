import { describe, expect, it } from "vitest";
import { addRun, criticalPath, emptyDay, mergeDays, parseDay, summarize, type RunFacts } from "./workflow-stats";

const M = 60_000;
const step = (id: string, dependsOn: string[], start: number, end: number, type: "task" | "check" | "approval" = "task", decision?: "passed" | "failed" | "approved" | "rejected"): RunFacts["steps"][number] => ({
  id,
  templateStepId: id.replace(/_\d+$/, ""),
  type,
  status: "succeeded",
  dependsOn,
  startedAt: start,
  finishedAt: end,
  decisions: decision ? [{ decision }] : [],
});

/** build → (test ∥ docs) → gate → approve → deploy; test is the long branch. */
const run = (testMinutes: number, status: RunFacts["status"] = "succeeded"): RunFacts => ({
  status,
  createdAt: 0,
  finishedAt: (12 + testMinutes) * M,
  steps: [
    step("build", [], 0, 2 * M),
    step("test", ["build"], 2 * M, (2 + testMinutes) * M),
    step("docs", ["build"], 2 * M, 5 * M),
    step("gate", ["test", "docs"], (2 + testMinutes) * M, (2 + testMinutes) * M, "check", "passed"),
    step("approve", ["gate"], (2 + testMinutes) * M, (10 + testMinutes) * M, "approval", "approved"),
    step("deploy", ["approve"], (10 + testMinutes) * M, (12 + testMinutes) * M),
  ],
});

describe("[WORKFLOW-STATS] workflow analytics", () => {
  it("follows the dependency that finished last back from the last step", () => {
    expect(criticalPath(run(6).steps)).toEqual(["build", "test", "gate", "approve", "deploy"]);
    expect(criticalPath(run(1).steps)).toEqual(["build", "docs", "gate", "approve", "deploy"]);
  });

  it("counts runs, the step that dominates the critical path, gates and approval waits", () => {
    const day = emptyDay();
    for (const m of [6, 7, 8, 1]) addRun(day, run(m));
    addRun(day, run(6, "failed"));
    const s = summarize("release@2", day);
    expect(s.runs).toBe(5);
    expect(s.failed).toBe(1);
    // test is the longest step of the critical path in 4 of 5 runs (with 1 minute, the approval's 8 are not counted and deploy/docs are).
    expect(s.criticalStep).toMatchObject({ stepId: "test", share: 0.8 });
    const gate = s.gates.find((g) => g.stepId === "gate")!;
    expect(gate).toMatchObject({ type: "check", passed: 5, failed: 0, passRate: 1 });
    const approve = s.gates.find((g) => g.stepId === "approve")!;
    expect(approve.type).toBe("approval");
    expect(approve.waitP50Ms!).toBeGreaterThan(5 * M);
  });

  it("adds days like rollups and survives a round trip through JSON", () => {
    const a = addRun(emptyDay(), run(6));
    const b = addRun(emptyDay(), run(2));
    const both = addRun(addRun(emptyDay(), run(6)), run(2));
    expect(mergeDays(parseDay(JSON.parse(JSON.stringify(a))), b)).toEqual(both);
    expect(parseDay(null)).toEqual(emptyDay());
    expect(parseDay("garbage")).toEqual(emptyDay());
  });
});
