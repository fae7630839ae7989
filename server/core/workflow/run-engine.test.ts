import { describe, expect, test } from "vitest";
import type { FailurePolicy } from "@/lib/workflow";
import type { StepStatus } from "@/lib/api";
import { RunEngineError, cancelRun, finishStep, isStepFinished, readySteps, rerunFrom, runStatus, startStep, type EngineStep, type RunState } from "./run-engine";

/** "build test:build package:build,test" → steps; a `?` suffix makes an approval step. */
function run(spec: string, opts: { policy?: FailurePolicy; concurrency?: number } = {}): RunState {
  const steps: EngineStep[] = spec.split(/\s+/).map((part) => {
    const [name, deps] = part.split(":");
    const approval = name.endsWith("?");
    return { id: name.replace("?", ""), type: approval ? "approval" : "task", dependsOn: deps ? deps.split(",") : [], status: "pending" };
  });
  return { status: "running", failurePolicy: opts.policy ?? "fail-fast", concurrency: opts.concurrency ?? 10, canceled: false, steps };
}
const statuses = (r: RunState) => Object.fromEntries(r.steps.map((s) => [s.id, s.status]));
const set = (r: RunState, spec: Record<string, StepStatus>) => {
  for (const s of r.steps) if (spec[s.id]) s.status = spec[s.id];
};

describe("readySteps", () => {
  test("[ENGINE]: pending steps whose dependencies succeeded, in plan order", () => {
    const r = run("a b c:a d:a,b");
    expect(readySteps(r)).toEqual(["a", "b"]);
    set(r, { a: "succeeded", b: "running" });
    expect(readySteps(r)).toEqual(["c"]);
    set(r, { b: "succeeded" });
    expect(readySteps(r)).toEqual(["c", "d"]);
  });

  test("[ENGINE]: queued and running steps count against the concurrency cap", () => {
    const r = run("a b c d", { concurrency: 2 });
    expect(readySteps(r)).toEqual(["a", "b"]);
    startStep(r, "a", "queued");
    expect(readySteps(r)).toEqual(["b"]);
    startStep(r, "b", "running");
    expect(readySteps(r)).toEqual([]);
    finishStep(r, "a", "succeeded");
    expect(readySteps(r)).toEqual(["c"]);
  });

  test("[ENGINE]: approval steps neither count against the cap nor wait for a slot", () => {
    const r = run("a b ok? c", { concurrency: 1 });
    expect(readySteps(r)).toEqual(["a", "ok"]);
    startStep(r, "ok", "waiting_approval");
    expect(readySteps(r)).toEqual(["a"]);
    startStep(r, "a", "running");
    expect(readySteps(r)).toEqual([]);
  });

  test("[ENGINE]: a canceled run starts nothing", () => {
    const r = run("a b");
    startStep(r, "a", "running");
    cancelRun(r);
    expect(readySteps(r)).toEqual([]);
  });
});

describe("startStep", () => {
  test("[ENGINE]: refuses a step whose dependencies have not succeeded, or that is not pending", () => {
    const r = run("a b:a");
    expect(() => startStep(r, "b", "queued")).toThrow(new RunEngineError("Step b cannot start before a succeeded."));
    startStep(r, "a", "queued");
    startStep(r, "a", "running");
    expect(() => startStep(r, "a", "queued")).toThrow("Step a is running; only a pending step can start.");
    expect(() => startStep(r, "zz", "queued")).toThrow("The run has no step zz.");
  });
});

describe("finishStep", () => {
  test("[ENGINE]: only a started step can finish, and only once", () => {
    const r = run("a");
    expect(() => finishStep(r, "a", "succeeded")).toThrow("Step a is pending; only a started step can finish.");
    startStep(r, "a", "running");
    finishStep(r, "a", "succeeded");
    expect(() => finishStep(r, "a", "failed")).toThrow("Step a is succeeded; only a started step can finish.");
  });

  test("[ENGINE]: fail-fast skips every pending step and asks to cancel every started one, once", () => {
    const r = run("a b c ok? d:a");
    startStep(r, "a", "running");
    startStep(r, "b", "queued");
    startStep(r, "ok", "waiting_approval");
    expect(finishStep(r, "a", "failed")).toEqual({ toCancel: ["b", "ok"] });
    expect(statuses(r)).toEqual({ a: "failed", b: "queued", c: "skipped", ok: "waiting_approval", d: "skipped" });
    expect(runStatus(r)).toBe("running");
    // The canceled steps report back; they ask for nothing more.
    expect(finishStep(r, "b", "canceled")).toEqual({ toCancel: [] });
    expect(finishStep(r, "ok", "canceled")).toEqual({ toCancel: [] });
    expect(runStatus(r)).toBe("failed");
    expect(r.status).toBe("failed");
  });

  test("[ENGINE]: under fail-fast a canceled step counts as a failure", () => {
    const r = run("a b c");
    startStep(r, "a", "running");
    startStep(r, "b", "running");
    expect(finishStep(r, "a", "canceled")).toEqual({ toCancel: ["b"] });
    expect(statuses(r)).toMatchObject({ c: "skipped" });
  });

  test("[ENGINE]: continue skips only what is downstream of the failure", () => {
    const r = run("a b c:a d:c e:b f:b,d", { policy: "continue" });
    startStep(r, "a", "running");
    startStep(r, "b", "running");
    expect(finishStep(r, "a", "failed")).toEqual({ toCancel: [] });
    expect(statuses(r)).toEqual({ a: "failed", b: "running", c: "skipped", d: "skipped", e: "pending", f: "skipped" });
    finishStep(r, "b", "succeeded");
    expect(readySteps(r)).toEqual(["e"]);
    startStep(r, "e", "running");
    finishStep(r, "e", "succeeded");
    expect(runStatus(r)).toBe("failed");
  });
});

describe("runStatus", () => {
  test("[ENGINE]: running while a step is started or can still start", () => {
    const r = run("a b:a");
    expect(runStatus(r)).toBe("running");
    set(r, { a: "succeeded" });
    expect(runStatus(r)).toBe("running");
    set(r, { b: "succeeded" });
    expect(runStatus(r)).toBe("succeeded");
  });

  test("[ENGINE]: a pending step that can never start does not keep the run running", () => {
    const r = run("a b:a");
    set(r, { a: "failed" });
    expect(runStatus(r)).toBe("failed");
    expect(runStatus(run("a:ghost"))).toBe("failed");
  });

  test("[ENGINE]: a canceled run is canceled once its started steps stopped", () => {
    const r = run("a b");
    startStep(r, "a", "running");
    expect(cancelRun(r)).toEqual({ toCancel: ["a"] });
    expect(statuses(r)).toEqual({ a: "running", b: "canceled" });
    expect(runStatus(r)).toBe("running");
    finishStep(r, "a", "canceled");
    expect(runStatus(r)).toBe("canceled");
  });

  test("[ENGINE]: canceling a finished run changes nothing", () => {
    const r = run("a");
    startStep(r, "a", "running");
    finishStep(r, "a", "succeeded");
    expect(cancelRun(r)).toEqual({ toCancel: [] });
    expect(runStatus(r)).toBe("succeeded");
  });
});

describe("rerunFrom", () => {
  test("[ENGINE]: refuses while the run is running, and for steps that succeeded", () => {
    const r = run("a b:a");
    startStep(r, "a", "running");
    expect(() => rerunFrom(r, "a")).toThrow("The run is still running; wait for it to end or cancel it before re-running a step.");
    finishStep(r, "a", "succeeded");
    startStep(r, "b", "running");
    finishStep(r, "b", "failed");
    expect(() => rerunFrom(r, "a")).toThrow("Step a succeeded; only a failed, canceled or skipped step can be re-run.");
    expect(() => rerunFrom(r, "nope")).toThrow("The run has no step nope.");
  });

  test("[ENGINE]: fail-fast: every step that did not succeed goes back to pending", () => {
    const r = run("a b c:a d:b");
    set(r, { a: "succeeded", b: "failed", c: "canceled", d: "skipped" });
    r.status = "failed";
    rerunFrom(r, "b");
    expect(statuses(r)).toEqual({ a: "succeeded", b: "pending", c: "pending", d: "pending" });
    expect(r.status).toBe("running");
    expect(readySteps(r)).toEqual(["b", "c"]);
  });

  test("[ENGINE]: continue: the step and its downstream go back; other failed branches stay", () => {
    const r = run("a b c:a d:b e:c,d", { policy: "continue" });
    set(r, { a: "failed", b: "failed", c: "skipped", d: "skipped", e: "skipped" });
    rerunFrom(r, "a");
    // e also depends on d, which stays skipped behind b: it is skipped again at once.
    expect(statuses(r)).toEqual({ a: "pending", b: "failed", c: "pending", d: "skipped", e: "skipped" });
  });

  test("[ENGINE]: continue: a skipped step points at the failed step to re-run instead", () => {
    const r = run("a b:a c:b", { policy: "continue" });
    set(r, { a: "failed", b: "skipped", c: "skipped" });
    expect(() => rerunFrom(r, "c")).toThrow("Step c cannot re-run while step a, which it depends on, is failed; re-run from a.");
  });

  test("[ENGINE]: a canceled run resumes every step that did not succeed", () => {
    const r = run("a b c:a", { policy: "continue" });
    startStep(r, "a", "running");
    startStep(r, "b", "running");
    finishStep(r, "b", "failed");
    cancelRun(r);
    finishStep(r, "a", "canceled");
    expect(runStatus(r)).toBe("canceled");
    rerunFrom(r, "c");
    expect(statuses(r)).toEqual({ a: "pending", b: "pending", c: "pending" });
    expect(r.canceled).toBe(false);
  });

  test("[ENGINE]: isStepFinished names the four terminal statuses", () => {
    expect((["pending", "queued", "running", "waiting_approval", "succeeded", "failed", "skipped", "canceled"] as StepStatus[]).filter(isStepFinished)).toEqual([
      "succeeded",
      "failed",
      "skipped",
      "canceled",
    ]);
  });
});
