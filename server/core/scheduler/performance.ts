// Performance stats per agent and capability: what the performance-weighted strategy balances
// on. Fed by every finished attempt (observe) and, at start-up, from stored history (seed), so a
// restart does not forget which agents are fast or flaky.
import { recordOutcome, type PerformanceStat } from "../balancing";
import { now, type SchedulerState, type TaskState } from "./state";

/** A task without requirements counts under "*", so plain work is still compared. */
const key = (agentId: string, capability: string) => `${agentId}\u0000${capability}`;

export function observe(s: SchedulerState, t: TaskState, agentId: string, success: boolean) {
  const duration = t.startedAt != null ? now(s) - t.startedAt : null;
  for (const cap of t.requirements.length ? t.requirements.map((r) => r.name) : ["*"]) {
    const k = key(agentId, cap);
    s.performance.set(k, recordOutcome(s.performance.get(k), success, duration));
  }
}

/** Seeds performance stats from history at start-up. */
export function seedPerformance(s: SchedulerState, agentId: string, capability: string, stat: PerformanceStat) {
  s.performance.set(key(agentId, capability), stat);
}

/**
 * An agent's record over the capabilities a task needs: counts summed, means averaged pairwise
 * in order (so with three or more, the later ones weigh more; a rough figure is enough to rank).
 */
export function performanceOf(s: SchedulerState, agentId: string, caps: readonly string[]): PerformanceStat | undefined {
  const keys = caps.length ? caps : ["*"];
  let total: PerformanceStat | undefined;
  for (const c of keys) {
    const stat = s.performance.get(key(agentId, c));
    if (!stat) continue;
    total = total
      ? {
          succeeded: total.succeeded + stat.succeeded,
          failed: total.failed + stat.failed,
          meanMs: total.meanMs != null && stat.meanMs != null ? (total.meanMs + stat.meanMs) / 2 : (total.meanMs ?? stat.meanMs),
        }
      : stat;
  }
  return total;
}
