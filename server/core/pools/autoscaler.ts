// How many agents a pool should have: the Kubernetes HPA's arithmetic over Switchboard's own
// metric. Demand is the pool's busy slots plus its backlog over the target backlog per slot;
// desired = ceil(demand / slots per agent), left alone inside a tolerance band; scale-down takes
// the highest recommendation of a stabilisation window (no flapping), each direction moves at
// most a step per period, scale-down waits a cooldown after any change, and a pool at zero
// wakes only past an activation threshold (KEDA's 0↔1). Optionally the capacity forecast
// scales up ahead of demand. Pure: the caller passes the clock's time and keeps the state.

export interface StepPolicy {
  /** At most this many agents added (or removed) per period… */
  agents: number;
  /** …or this share of the current count, whichever allows more (HPA's selectPolicy: Max). */
  percent: number;
  periodMs: number;
  /** Up: the lowest recommendation of this window is followed; down: the highest. */
  stabilizationMs: number;
}

export interface ScalePolicy {
  min: number;
  max: number;
  slotsPerAgent: number;
  /** Queued tasks one slot may have waiting before another agent is wanted. */
  targetBacklogPerSlot: number;
  /** |desired / current − 1| within this is no change (HPA's 0.1). */
  tolerance: number;
  up: StepPolicy;
  down: StepPolicy;
  /** After any change, no scale-down for this long. */
  cooldownMs: number;
  /** From zero agents, only more than this many queued tasks wake the pool. */
  activationBacklog: number;
  /** Scale for the forecast demand this far ahead, when it is higher than now's. */
  predictive: { enabled: boolean; leadMs: number };
}

export const DEFAULT_POLICY: Omit<ScalePolicy, "min" | "max" | "slotsPerAgent"> = {
  targetBacklogPerSlot: 1,
  tolerance: 0.1,
  up: { agents: 4, percent: 100, periodMs: 15_000, stabilizationMs: 0 },
  down: { agents: 1, percent: 50, periodMs: 30_000, stabilizationMs: 120_000 },
  cooldownMs: 60_000,
  activationBacklog: 0,
  predictive: { enabled: false, leadMs: 10 * 60_000 },
};

export interface Observation {
  at: number;
  /** Agents the pool has: running, starting and draining ones (a draining one still holds work). */
  current: number;
  /** Queued tasks the pool's agents could take. */
  backlog: number;
  /** Slots of the pool's agents holding a task. */
  busySlots: number;
  /** Slots the forecast says the pool's capabilities need `leadMs` from now (null: no forecast). */
  forecastSlots: number | null;
}

export interface ScalerState {
  /** Raw recommendations (before stabilisation) of the longest window, oldest first. */
  recommendations: { at: number; desired: number }[];
  /** Changes made, for the step limits and the cooldown. */
  changes: { at: number; from: number; to: number }[];
}

export const emptyScalerState = (): ScalerState => ({ recommendations: [], changes: [] });

/** Which consideration settled the number: what the decision log and the chart show. */
export type Rule = "steady" | "reactive" | "predictive" | "tolerance" | "activation" | "idle" | "stabilized" | "step-limit" | "cooldown" | "min" | "max";

export interface Decision {
  at: number;
  from: number;
  to: number;
  /** What demand alone asks for (reactive), and what the forecast asks for. */
  reactive: number;
  predictive: number | null;
  rule: Rule;
  reason: string;
  /** Desired before bounds: more than max means the pool is at its maximum and short. */
  wanted: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * How many agents a direction may still move now. As the HPA does it: from the count the period
 * started with (what was added or removed within it taken back), at most `agents` or `percent`
 * of it, whichever allows more — so a pool that went 0 → 4 → 0 may go to 4 again at once.
 */
function stepAllowed(p: StepPolicy, current: number, changes: ScalerState["changes"], at: number, dir: 1 | -1): number {
  const within = changes.filter((c) => c.at > at - p.periodMs);
  const start = current - within.reduce((n, c) => n + (c.to - c.from), 0);
  const base = Math.max(0, start);
  if (dir === 1) return Math.max(0, Math.max(base + p.agents, Math.ceil(base * (1 + p.percent / 100))) - current);
  return Math.max(0, current - Math.max(0, Math.min(base - p.agents, Math.floor(base * (1 - p.percent / 100)))));
}

/** The number of agents to have now, why, and the state to keep for next time. */
export function decide(policy: ScalePolicy, state: ScalerState, o: Observation): { decision: Decision; state: ScalerState } {
  const { min, max } = policy;
  const perAgent = Math.max(1, policy.slotsPerAgent);
  const target = Math.max(1e-9, policy.targetBacklogPerSlot);
  const demandSlots = o.busySlots + o.backlog / target;
  const reactive = Math.ceil(demandSlots / perAgent - 1e-9);
  const predictive = policy.predictive.enabled && o.forecastSlots != null ? Math.ceil(o.forecastSlots / perAgent - 1e-9) : null;
  let wanted = Math.max(reactive, predictive ?? 0);
  let rule: Rule = predictive != null && predictive > reactive ? "predictive" : "reactive";
  let reason =
    rule === "predictive"
      ? `forecast needs ${plural(o.forecastSlots!, "slot")} in ${Math.round(policy.predictive.leadMs / 60_000)} min`
      : o.backlog > 0
        ? `backlog ${plural(o.backlog, "task")} over target ${policy.targetBacklogPerSlot} per slot, ${plural(o.busySlots, "busy slot")}`
        : `${plural(o.busySlots, "busy slot")}, nothing queued`;

  // Scale to zero and back (KEDA): a sleeping pool wakes only past the activation threshold.
  if (o.current === 0 && wanted > 0 && rule === "reactive" && o.busySlots === 0 && o.backlog <= policy.activationBacklog) {
    wanted = 0;
    rule = "activation";
    reason = `backlog ${o.backlog} is not above the activation threshold ${policy.activationBacklog}`;
  }
  // Inside the tolerance band nothing changes.
  if (o.current > 0 && wanted !== o.current && Math.abs(wanted / o.current - 1) <= policy.tolerance) {
    wanted = o.current;
    rule = "tolerance";
    reason = `within ${Math.round(policy.tolerance * 100)} % of ${plural(o.current, "agent")}`;
  }

  const window = Math.max(policy.up.stabilizationMs, policy.down.stabilizationMs);
  const recommendations = [...state.recommendations.filter((r) => r.at > o.at - window), { at: o.at, desired: wanted }];
  let desired = wanted;
  if (desired < o.current) {
    // Down: the highest recommendation of the window, so a dip does not stop agents a moment early.
    const highest = Math.max(...recommendations.filter((r) => r.at > o.at - policy.down.stabilizationMs).map((r) => r.desired), desired);
    if (highest > desired) {
      desired = Math.min(highest, o.current);
      if (desired === o.current) {
        rule = "stabilized";
        reason = `wanted ${wanted}, but ${highest} within the last ${Math.round(policy.down.stabilizationMs / 1000)} s`;
      }
    }
  } else if (desired > o.current && policy.up.stabilizationMs > 0) {
    const lowest = Math.min(...recommendations.filter((r) => r.at > o.at - policy.up.stabilizationMs).map((r) => r.desired));
    if (lowest < desired) {
      desired = Math.max(lowest, o.current);
      if (desired === o.current) {
        rule = "stabilized";
        reason = `wanted ${wanted}, but ${lowest} within the last ${Math.round(policy.up.stabilizationMs / 1000)} s`;
      }
    }
  }

  /** What held the number back, said after the demand. */
  let limit: string | null = null;
  // Cooldown after any change holds scale-down.
  const lastChange = state.changes.at(-1);
  if (desired < o.current && lastChange && o.at - lastChange.at < policy.cooldownMs) {
    desired = o.current;
    rule = "cooldown";
    reason = `last change ${Math.round((o.at - lastChange.at) / 1000)} s ago; cooldown ${Math.round(policy.cooldownMs / 1000)} s`;
  }
  // A step per period, each way.
  if (desired > o.current) {
    const room = stepAllowed(policy.up, o.current, state.changes, o.at, 1);
    if (desired - o.current > room) {
      desired = o.current + room;
      rule = "step-limit";
      limit = `at most ${policy.up.agents} agents or ${policy.up.percent} % more per ${Math.round(policy.up.periodMs / 1000)} s`;
    }
  } else if (desired < o.current) {
    const room = stepAllowed(policy.down, o.current, state.changes, o.at, -1);
    if (o.current - desired > room) {
      desired = o.current - room;
      rule = "step-limit";
      limit = `at most ${policy.down.agents} agents or ${policy.down.percent} % fewer per ${Math.round(policy.down.periodMs / 1000)} s`;
    }
  }
  // Bounds last: never above max, never below min. Wanting more than max is said as such.
  if (desired >= max && wanted > max) {
    desired = max;
    rule = "max";
    limit = `wanted ${wanted}, the maximum is ${max}`;
  } else if (desired > max) {
    desired = max;
    rule = "max";
    limit = `the maximum is ${max}`;
  } else if (desired < min) {
    desired = min;
    rule = "min";
    limit = `wanted ${wanted}, the minimum is ${min}`;
  } else if (desired === o.current && rule === "reactive" && wanted === o.current) {
    rule = "steady";
  }
  if (wanted === 0 && desired === 0 && o.current === 0 && rule === "reactive") rule = "idle";

  const changes = desired !== o.current ? [...state.changes, { at: o.at, from: o.current, to: desired }] : state.changes;
  const keepFor = Math.max(policy.up.periodMs, policy.down.periodMs, policy.cooldownMs);
  return {
    decision: { at: o.at, from: o.current, to: desired, reactive, predictive, rule, reason: limit ? `${reason}; ${limit}` : reason, wanted },
    state: { recommendations, changes: changes.filter((c) => c.at > o.at - keepFor) },
  };
}

/** The decision log's sentence: "scaled 2 → 5: backlog 41 tasks over target 8 per slot". */
export function describeDecision(d: Decision): string {
  if (d.to === d.from) return `kept ${d.from}: ${d.reason}`;
  return `scaled ${d.from} → ${d.to}: ${d.reason}`;
}
