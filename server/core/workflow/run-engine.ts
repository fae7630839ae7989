// The state machine of one workflow run, as plain data. The service (server/workflows) owns
// tasks, gates, time and storage; this module only decides which step may start and what a
// step's end means for the others.
//
// The functions MUTATE the RunState they are given (the caller builds it from its records
// and copies statuses back) and return the decisions the caller must act on (`toCancel`).
//
// Invariants (checked by run-engine.property.test.ts):
// - A step starts only when every dependency has succeeded.
// - At most `concurrency` steps are queued or running. Steps waiting for approval do not
//   count: they hold no agent, and a human gate must not starve the run of slots (nor be
//   blocked behind them).
// - A step ends once. Every run ends with every step succeeded, failed, skipped or canceled.
// - fail-fast: the first failure (a canceled step counts as a failure) skips every pending
//   step and asks the caller to cancel every started one; later failures ask nothing more,
//   because nothing started after the first.
// - continue: a failure skips exactly the steps downstream of it; other branches go on.
// - Canceling the run cancels pending steps at once and asks the caller to cancel started ones.
import type { FailurePolicy, StepDef } from "@/lib/workflow";
import type { RunStatus, StepStatus } from "@/lib/api";

export interface EngineStep {
  id: string;
  type: StepDef["type"];
  dependsOn: string[];
  status: StepStatus;
}

export interface RunState {
  status: RunStatus;
  failurePolicy: FailurePolicy;
  concurrency: number;
  /** An operator canceled the run; it ends `canceled` once started steps have stopped. */
  canceled: boolean;
  /** In plan order (topological): readySteps starts steps in this order. */
  steps: EngineStep[];
}

export class RunEngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunEngineError";
  }
}

const FINISHED: ReadonlySet<StepStatus> = new Set(["succeeded", "failed", "skipped", "canceled"]);
const STARTED: ReadonlySet<StepStatus> = new Set(["queued", "running", "waiting_approval"]);
/** Statuses that hold one of the run's concurrency slots. */
const HOLDS_SLOT: ReadonlySet<StepStatus> = new Set(["queued", "running"]);
/** Ends that stop what depends on the step. */
const BLOCKING: ReadonlySet<StepStatus> = new Set(["failed", "skipped", "canceled"]);

export const isStepFinished = (s: StepStatus) => FINISHED.has(s);

function byId(run: RunState): Map<string, EngineStep> {
  return new Map(run.steps.map((s) => [s.id, s]));
}

function get(run: RunState, id: string): EngineStep {
  const s = run.steps.find((x) => x.id === id);
  if (!s) throw new RunEngineError(`The run has no step ${id}.`);
  return s;
}

/** Every step that depends on `id`, directly or not. */
export function downstreamOf(run: RunState, id: string): Set<string> {
  const dependents = new Map<string, string[]>();
  for (const s of run.steps) for (const d of s.dependsOn) dependents.set(d, [...(dependents.get(d) ?? []), s.id]);
  const out = new Set<string>();
  const stack = [...(dependents.get(id) ?? [])];
  while (stack.length) {
    const x = stack.pop()!;
    if (out.has(x)) continue;
    out.add(x);
    stack.push(...(dependents.get(x) ?? []));
  }
  return out;
}

/** Every step `id` depends on, directly or not. */
export function upstreamOf(run: RunState, id: string): Set<string> {
  const steps = byId(run);
  const out = new Set<string>();
  const stack = [...get(run, id).dependsOn];
  while (stack.length) {
    const x = stack.pop()!;
    if (out.has(x)) continue;
    out.add(x);
    stack.push(...(steps.get(x)?.dependsOn ?? []));
  }
  return out;
}

/**
 * Steps that can never run: some dependency, direct or not, ended without succeeding (or is
 * unknown, or sits on a cycle — a malformed state must end the run rather than hang it).
 */
function doomedSteps(run: RunState): Set<string> {
  const steps = byId(run);
  const memo = new Map<string, boolean>();
  const doomed = (id: string, path: Set<string>): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const s = steps.get(id);
    if (!s || path.has(id)) return true;
    path.add(id);
    const result = s.dependsOn.some((d) => {
      const dep = steps.get(d);
      return !dep || BLOCKING.has(dep.status) || doomed(d, path);
    });
    path.delete(id);
    memo.set(id, result);
    return result;
  };
  return new Set(run.steps.filter((s) => doomed(s.id, new Set())).map((s) => s.id));
}

/**
 * Pending steps whose dependencies all succeeded, in plan order, as many as the concurrency
 * cap allows (approval steps need no slot). Empty once the run is canceled.
 */
export function readySteps(run: RunState): string[] {
  if (run.canceled) return [];
  const steps = byId(run);
  let free = run.concurrency - run.steps.filter((s) => HOLDS_SLOT.has(s.status)).length;
  const out: string[] = [];
  for (const s of run.steps) {
    if (s.status !== "pending" || !s.dependsOn.every((d) => steps.get(d)?.status === "succeeded")) continue;
    if (s.type === "approval") out.push(s.id);
    else if (free > 0) {
      out.push(s.id);
      free--;
    }
  }
  return out;
}

/**
 * Marks a step started. From pending (dependencies must have succeeded) to any started
 * status, or from queued to running when its task is picked up. The cap is readySteps' job.
 */
export function startStep(run: RunState, id: string, as: "queued" | "running" | "waiting_approval"): void {
  const s = get(run, id);
  if (s.status === "queued" && as === "running") {
    s.status = as;
    return;
  }
  if (s.status !== "pending") throw new RunEngineError(`Step ${id} is ${s.status}; only a pending step can start.`);
  if (run.canceled) throw new RunEngineError(`Step ${id} cannot start: the run was canceled.`);
  const steps = byId(run);
  const waitingFor = s.dependsOn.filter((d) => steps.get(d)?.status !== "succeeded");
  if (waitingFor.length) throw new RunEngineError(`Step ${id} cannot start before ${waitingFor.join(", ")} succeeded.`);
  s.status = as;
  run.status = "running";
}

/**
 * Ends a started step and applies the failure policy. Returns the started steps the caller
 * must cancel (fail-fast only); it reports each of them back with outcome "canceled".
 */
export function finishStep(run: RunState, id: string, outcome: "succeeded" | "failed" | "canceled"): { toCancel: string[] } {
  const s = get(run, id);
  if (!STARTED.has(s.status)) throw new RunEngineError(`Step ${id} is ${s.status}; only a started step can finish.`);
  const firstFailure = !run.steps.some((x) => x.id !== id && (x.status === "failed" || x.status === "canceled"));
  s.status = outcome;
  let toCancel: string[] = [];
  if (outcome !== "succeeded" && !run.canceled) {
    if (run.failurePolicy === "continue") {
      const below = downstreamOf(run, id);
      for (const x of run.steps) if (below.has(x.id) && x.status === "pending") x.status = "skipped";
    } else {
      for (const x of run.steps) if (x.status === "pending") x.status = "skipped";
      if (firstFailure) toCancel = run.steps.filter((x) => STARTED.has(x.status)).map((x) => x.id);
    }
  }
  run.status = runStatus(run);
  return { toCancel };
}

/**
 * running while a step is started or can still start; then succeeded when every step
 * succeeded, canceled when the run was canceled, failed otherwise.
 */
export function runStatus(run: RunState): RunStatus {
  if (run.steps.some((s) => STARTED.has(s.status))) return "running";
  if (!run.canceled) {
    const doomed = doomedSteps(run);
    if (run.steps.some((s) => s.status === "pending" && !doomed.has(s.id))) return "running";
  }
  // A cancel that came too late to stop anything leaves a succeeded run succeeded.
  if (run.steps.every((s) => s.status === "succeeded")) return "succeeded";
  return run.canceled ? "canceled" : "failed";
}

/**
 * Cancels the run: pending steps become canceled now; started ones are returned for the
 * caller to cancel (each then reported with finishStep(…, "canceled")). A finished run is
 * left as it is.
 */
export function cancelRun(run: RunState): { toCancel: string[] } {
  if (runStatus(run) !== "running") return { toCancel: [] };
  run.canceled = true;
  for (const s of run.steps) if (s.status === "pending") s.status = "canceled";
  run.status = runStatus(run);
  return { toCancel: run.steps.filter((s) => STARTED.has(s.status)).map((s) => s.id) };
}

/**
 * Re-runs an ended run from `stepId` (failed, canceled or skipped). Succeeded steps are never
 * reset — nothing downstream of an unsuccessful step can have succeeded — so upstream results
 * are kept. What goes back to pending:
 * - fail-fast, or a canceled run: every step that did not succeed. The run as a whole was
 *   stopped, so re-running resumes all of it, not only the chosen branch.
 * - continue: `stepId` and everything downstream of it. Other failed branches stay failed
 *   (re-run them too for the run to succeed); reset steps that also depend on one of those
 *   are skipped again at once.
 * Throws RunEngineError while the run is running, for a step that cannot re-run, or when a
 * failed step upstream of it stays failed (the message names the step to re-run instead).
 */
export function rerunFrom(run: RunState, stepId: string): void {
  if (runStatus(run) === "running") throw new RunEngineError("The run is still running; wait for it to end or cancel it before re-running a step.");
  const s = get(run, stepId);
  if (!BLOCKING.has(s.status)) throw new RunEngineError(`Step ${stepId} ${s.status === "succeeded" ? "succeeded" : `is ${s.status}`}; only a failed, canceled or skipped step can be re-run.`);
  const reset = new Set<string>();
  if (run.failurePolicy === "fail-fast" || run.canceled) for (const x of run.steps) if (x.status !== "succeeded") reset.add(x.id);
  reset.add(stepId);
  for (const x of downstreamOf(run, stepId)) reset.add(x);

  const steps = byId(run);
  const blocker = [...upstreamOf(run, stepId)].find((u) => !reset.has(u) && BLOCKING.has(steps.get(u)?.status ?? "failed"));
  if (blocker) {
    // Point at the root cause: the earliest failed or canceled step above the blocker's chain.
    const root = run.steps.find((x) => upstreamOf(run, stepId).has(x.id) && !reset.has(x.id) && (x.status === "failed" || x.status === "canceled"));
    const target = root?.id ?? blocker;
    throw new RunEngineError(`Step ${stepId} cannot re-run while step ${target}, which it depends on, is ${steps.get(target)?.status ?? "missing"}; re-run from ${target}.`);
  }

  for (const x of run.steps) if (reset.has(x.id)) x.status = "pending";
  run.canceled = false;
  run.status = "running";
  const doomed = doomedSteps(run);
  for (const x of run.steps) if (x.status === "pending" && doomed.has(x.id)) x.status = "skipped";
}
