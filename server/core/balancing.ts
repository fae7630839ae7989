// Load balancing: given the agents that qualify for a task and have a free slot, pick one.
// Every strategy breaks ties by the agent's registration order so results are deterministic.
import type { Strategy } from "@/lib/protocol";

export interface Candidate {
  id: string;
  order: number; // registration order, for stable tie-breaks and round-robin
  slots: number;
  slotsUsed: number;
  cpu: number | null; // % of one core
  cpuCount: number | null;
  memoryMb: number | null;
  memoryTotalMb: number | null;
}

/** Observed outcomes of one agent on one capability, for performance-weighted balancing. */
export interface PerformanceStat {
  succeeded: number;
  failed: number;
  /** Exponentially weighted mean run time, ms. */
  meanMs: number | null;
}

export interface BalanceContext {
  /** Round-robin cursor: the `order` of the agent picked last time. */
  lastOrder: number;
  performance: (agentId: string, capabilities: readonly string[]) => PerformanceStat | undefined;
  capabilities: readonly string[];
}

const load = (c: Candidate) => c.slotsUsed / c.slots;

function minBy<T>(items: readonly T[], score: (t: T) => number, order: (t: T) => number): T {
  let best = items[0];
  let bestScore = score(best);
  for (let i = 1; i < items.length; i++) {
    const s = score(items[i]);
    if (s < bestScore - 1e-12 || (Math.abs(s - bestScore) <= 1e-12 && order(items[i]) < order(best))) {
      best = items[i];
      bestScore = s;
    }
  }
  return best;
}

const byOrder = (c: Candidate) => c.order;

export function leastLoaded(cands: readonly Candidate[]): Candidate {
  return minBy(cands, load, byOrder);
}

/** The first candidate after the last one picked, in registration order, wrapping around. */
export function roundRobin(cands: readonly Candidate[], lastOrder: number): Candidate {
  let next: Candidate | undefined;
  let first: Candidate | undefined;
  for (const c of cands) {
    if (!first || c.order < first.order) first = c;
    if (c.order > lastOrder && (!next || c.order < next.order)) next = c;
  }
  return next ?? first!;
}

/**
 * Resource-aware: the agent with the most headroom. CPU is normalised by cores and memory by
 * the host total; an agent that has not reported resources counts as half-loaded, so it is
 * neither starved nor flooded before its first heartbeat.
 */
export function resourceScore(c: Candidate): number {
  const cpu = c.cpu == null ? 0.5 : c.cpu / (100 * (c.cpuCount ?? 1));
  const mem = c.memoryMb == null || !c.memoryTotalMb ? 0.5 : c.memoryMb / c.memoryTotalMb;
  return cpu + mem + load(c);
}

export function resourceAware(cands: readonly Candidate[]): Candidate {
  return minBy(cands, resourceScore, byOrder);
}

/**
 * Performance-weighted: expected throughput of good results. Success rate uses a Beta(1,1)
 * prior so a new agent starts at 0.5 and gets work to prove itself; speed is relative to the
 * fastest candidate's mean so the score does not depend on how long tasks take in absolute terms.
 * The score is discounted by current load so a fast agent is not handed everything.
 */
export function performanceWeighted(cands: readonly Candidate[], ctx: BalanceContext): Candidate {
  const stats = cands.map((c) => ctx.performance(c.id, ctx.capabilities));
  const means = stats.map((s) => s?.meanMs).filter((m): m is number => m != null && m > 0);
  const fastest = means.length ? Math.min(...means) : null;
  const score = (i: number) => {
    const s = stats[i];
    const rate = ((s?.succeeded ?? 0) + 1) / ((s?.succeeded ?? 0) + (s?.failed ?? 0) + 2);
    const speed = fastest != null && s?.meanMs ? fastest / s.meanMs : 1;
    return rate * speed * (1 - load(cands[i]) * 0.5);
  };
  let best = 0;
  for (let i = 1; i < cands.length; i++) {
    const d = score(i) - score(best);
    if (d > 1e-12 || (Math.abs(d) <= 1e-12 && cands[i].order < cands[best].order)) best = i;
  }
  return cands[best];
}

export function pick(strategy: Strategy, cands: readonly Candidate[], ctx: BalanceContext): Candidate {
  if (cands.length === 0) throw new Error("pick() needs at least one candidate");
  switch (strategy) {
    case "least-loaded":
      return leastLoaded(cands);
    case "round-robin":
      return roundRobin(cands, ctx.lastOrder);
    case "resource-aware":
      return resourceAware(cands);
    case "performance-weighted":
      return performanceWeighted(cands, ctx);
  }
}

/** Folds one finished attempt into an agent's stat (EWMA with alpha 0.2 for run time). */
export function recordOutcome(stat: PerformanceStat | undefined, ok: boolean, durationMs: number | null): PerformanceStat {
  const s = stat ?? { succeeded: 0, failed: 0, meanMs: null };
  const meanMs = ok && durationMs != null ? (s.meanMs == null ? durationMs : s.meanMs * 0.8 + durationMs * 0.2) : s.meanMs;
  return { succeeded: s.succeeded + (ok ? 1 : 0), failed: s.failed + (ok ? 0 : 1), meanMs };
}
