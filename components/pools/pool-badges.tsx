// The small marks both pool pages show: at its maximum, agents crashing, paused, the rule that
// settled a decision, and an agent's state.
import type { PoolView } from "@/lib/api/pools";

const badge = "inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap";

export function PoolBadges({ pool }: { pool: Pick<PoolView, "atMax" | "crashes" | "enabled" | "policy"> }) {
  return (
    <>
      {!pool.enabled && (
        <span className={`${badge} bg-zinc-500/15 text-zinc-700 dark:text-zinc-300`} data-testid="pool-paused">
          paused
        </span>
      )}
      {pool.atMax && (
        <span className={`${badge} bg-amber-500/15 text-amber-800 dark:text-amber-300`} data-testid="pool-at-max" title={`Wanted more agents than its maximum of ${pool.policy.max}`}>
          at max
        </span>
      )}
      {pool.crashes > 0 && (
        <span className={`${badge} bg-red-500/15 text-red-700 dark:text-red-300`} data-testid="pool-crashes" title="Agents that died unasked in the last 10 minutes">
          {pool.crashes} {pool.crashes === 1 ? "crash" : "crashes"} in 10 min
        </span>
      )}
    </>
  );
}

const RULE_TONE: Record<string, string> = {
  max: "border-amber-500/40 text-amber-800 dark:text-amber-300",
  min: "border-sky-500/40 text-sky-800 dark:text-sky-300",
  predictive: "border-violet-500/40 text-violet-800 dark:text-violet-300",
  reactive: "border-emerald-500/40 text-emerald-800 dark:text-emerald-300",
};

/** The rule that settled a decision (reactive, cooldown, step-limit, max, …). */
export function RuleChip({ rule }: { rule: string }) {
  return (
    <span className={`inline-flex items-center rounded border bg-surface-2 px-1.5 py-0.5 font-mono text-xs whitespace-nowrap ${RULE_TONE[rule] ?? "border-line text-muted"}`} data-testid="decision-rule" data-rule={rule}>
      {rule}
    </span>
  );
}

const STATE_TONE: Record<string, string> = {
  starting: "bg-indigo-500/15 text-indigo-700 dark:text-indigo-300",
  running: "bg-emerald-500/15 text-emerald-800 dark:text-emerald-300",
  draining: "bg-amber-500/15 text-amber-800 dark:text-amber-300",
  stopped: "bg-zinc-500/15 text-zinc-600 dark:text-zinc-400",
  crashed: "bg-red-500/15 text-red-700 dark:text-red-300",
};

export function InstanceStateBadge({ state }: { state: string }) {
  return (
    <span className={`${badge} ${STATE_TONE[state] ?? STATE_TONE.stopped}`} data-testid="instance-state" data-state={state}>
      {state}
    </span>
  );
}
