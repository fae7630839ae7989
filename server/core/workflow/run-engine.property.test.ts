// Model-based fuzzing of the run engine: random DAGs (acyclic by construction: a step only
// depends on earlier ones), random completion orders and outcomes, both failure policies,
// operator cancels, and the caller's cancels racing with tasks that end by themselves.
import fc from "fast-check";
import { expect, test } from "vitest";
import type { FailurePolicy } from "@/lib/workflow";
import type { StepStatus } from "@/lib/api";
import { cancelRun, finishStep, isStepFinished, readySteps, rerunFrom, runStatus, startStep, upstreamOf, type RunState } from "./run-engine";

/** Deterministic choices from a seed, so a failing case replays exactly. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Scenario {
  deps: number[][];
  approvals: boolean[];
  policy: FailurePolicy;
  concurrency: number;
  failRate: number;
  /** After this many events the operator cancels the run (null: never). */
  cancelAfter: number | null;
  seed: number;
}

const scenarios = fc
  .integer({ min: 1, max: 10 })
  .chain((n) =>
    fc.record({
      deps: fc.tuple(...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => j), { maxLength: Math.min(3, i) }))),
      approvals: fc.array(fc.integer({ min: 0, max: 99 }).map((x) => x < 15), { minLength: n, maxLength: n }),
      policy: fc.constantFrom<FailurePolicy>("fail-fast", "continue"),
      concurrency: fc.integer({ min: 1, max: 4 }),
      failRate: fc.constantFrom(0, 0.1, 0.3, 0.6),
      cancelAfter: fc.option(fc.integer({ min: 0, max: 12 }), { freq: 4 }),
      seed: fc.integer(),
    }),
  )
  .map((s): Scenario => s);

function build(s: Scenario): RunState {
  return {
    status: "running",
    failurePolicy: s.policy,
    concurrency: s.concurrency,
    canceled: false,
    steps: s.deps.map((d, i) => ({ id: `s${i}`, type: s.approvals[i] ? "approval" : "task", dependsOn: d.map((j) => `s${j}`), status: "pending" as StepStatus })),
  };
}

const STARTED = new Set<StepStatus>(["queued", "running", "waiting_approval"]);

/**
 * Drives a run to its end like the service would, checking invariants at every event.
 * Returns how often each step started and whether the operator canceled.
 */
function drive(r: RunState, opts: { rand: () => number; failRate: number; cancelRate?: number; cancelAfter: number | null }) {
  const { rand } = opts;
  const starts = new Map<string, number>();
  const toCancel: string[] = [];
  let failedFast = false;
  let canceledByOperator = false;
  const fail = (outcome: string) => outcome !== "succeeded";
  for (let event = 0; ; event++) {
    expect(event).toBeLessThan(10_000);
    for (const id of readySteps(r)) {
      const s = r.steps.find((x) => x.id === id)!;
      // Invariant: a step starts only after every dependency succeeded.
      for (const d of s.dependsOn) expect(r.steps.find((x) => x.id === d)!.status).toBe("succeeded");
      // Invariant (fail-fast): nothing starts after the first failure.
      expect(failedFast).toBe(false);
      startStep(r, id, s.type === "approval" ? "waiting_approval" : rand() < 0.5 ? "queued" : "running");
      starts.set(id, (starts.get(id) ?? 0) + 1);
    }
    // Invariant: the cap holds (approval waits do not count).
    expect(r.steps.filter((x) => x.status === "queued" || x.status === "running").length).toBeLessThanOrEqual(r.concurrency);

    if (opts.cancelAfter === event && runStatus(r) === "running") {
      canceledByOperator = true;
      toCancel.push(...cancelRun(r).toCancel);
    }
    const started = r.steps.filter((x) => STARTED.has(x.status));
    if (started.length === 0) break;

    // The caller's cancels race with tasks that end by themselves.
    const pendingCancel = toCancel.filter((id) => STARTED.has(r.steps.find((x) => x.id === id)!.status));
    if (pendingCancel.length && rand() < 0.5) {
      const id = pendingCancel[Math.floor(rand() * pendingCancel.length)];
      toCancel.splice(toCancel.indexOf(id), 1);
      expect(finishStep(r, id, "canceled").toCancel).toEqual([]);
      continue;
    }
    const s = started[Math.floor(rand() * started.length)];
    if (s.status === "queued" && rand() < 0.3) {
      startStep(r, s.id, "running");
      continue;
    }
    const x = rand();
    const outcome = x < opts.failRate ? "failed" : x < opts.failRate + (opts.cancelRate ?? 0.05) ? "canceled" : "succeeded";
    const decision = finishStep(r, s.id, outcome);
    if (r.failurePolicy === "fail-fast" && fail(outcome) && !r.canceled) failedFast = true;
    toCancel.push(...decision.toCancel);
  }
  return { starts, canceledByOperator };
}

test("[ENGINE]: random runs keep the invariants and end with every step finished", () => {
  fc.assert(
    fc.property(scenarios, (sc) => {
      const r = build(sc);
      const { starts, canceledByOperator } = drive(r, { rand: prng(sc.seed), failRate: sc.failRate, cancelAfter: sc.cancelAfter });

      for (const s of r.steps) expect(isStepFinished(s.status)).toBe(true);
      // A step starts at most once, and every step that ran (not skipped or canceled before starting) started.
      for (const n of starts.values()) expect(n).toBe(1);
      for (const s of r.steps) if (s.status === "succeeded" || s.status === "failed") expect(starts.get(s.id)).toBe(1);

      const status = runStatus(r);
      expect(status).not.toBe("running");
      const allSucceeded = r.steps.every((s) => s.status === "succeeded");
      expect(status).toBe(allSucceeded ? "succeeded" : canceledByOperator ? "canceled" : "failed");

      // continue: a step is skipped exactly when something upstream failed or was canceled.
      if (sc.policy === "continue" && !canceledByOperator) {
        for (const s of r.steps) {
          const upstreamFailed = [...upstreamOf(r, s.id)].some((u) => ["failed", "canceled"].includes(r.steps.find((x) => x.id === u)!.status));
          expect(s.status === "skipped").toBe(upstreamFailed);
        }
      }
    }),
    { numRuns: 400 },
  );
});

test("[ENGINE]: re-running failed runs until all succeed never re-runs a step that succeeded", () => {
  fc.assert(
    fc.property(scenarios, (sc) => {
      const r = build(sc);
      const rand = prng(sc.seed);
      drive(r, { rand, failRate: sc.failRate, cancelAfter: sc.cancelAfter });
      for (let round = 0; runStatus(r) !== "succeeded"; round++) {
        expect(round).toBeLessThanOrEqual(r.steps.length);
        // The earliest unsuccessful step: everything upstream of it succeeded.
        const from = r.steps.find((s) => s.status === "failed" || s.status === "canceled") ?? r.steps.find((s) => s.status !== "succeeded")!;
        const succeededBefore = new Set(r.steps.filter((s) => s.status === "succeeded").map((s) => s.id));
        r.status = runStatus(r);
        rerunFrom(r, from.id);
        expect(r.status).toBe("running");
        const { starts } = drive(r, { rand, failRate: 0, cancelRate: 0, cancelAfter: null });
        for (const id of succeededBefore) expect(starts.has(id)).toBe(false);
        for (const id of succeededBefore) expect(r.steps.find((s) => s.id === id)!.status).toBe("succeeded");
      }
      expect(r.steps.every((s) => s.status === "succeeded")).toBe(true);
    }),
    { numRuns: 300 },
  );
});
