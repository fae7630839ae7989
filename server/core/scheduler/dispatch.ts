// Dispatch: matching ready tasks to free agents. Which agents qualify is matching.ts; which of
// them gets the task is the task's (or the server's) balancing strategy; this file runs the
// pass and hands each match to attempts.ts as a new attempt.
import { pick, type Candidate } from "../balancing";
import { qualifies } from "../matching";
import { before } from "../ready-queue";
import { assign } from "./attempts";
import { performanceOf } from "./performance";
import { labelKey, type AgentState, type SchedulerState, type TaskState } from "./state";

/**
 * Assigns ready tasks to free agents until either runs out. Groups of tasks with the same
 * requirements are merged by (priority, age); a group without a candidate is skipped for
 * the rest of the pass, so unmatched tasks cost one check per pass, not one per task.
 */
export function dispatch(s: SchedulerState): number {
  // Most commits (a heartbeat, a report) find nothing queued: return before looking at the fleet.
  if (s.ready.size === 0) return 0;
  let assigned = 0;
  // Agents that take work now: built once per pass, and only when a task must look past its
  // labels — a fleet of 2,000 with a few tasks waiting for their (busy) named agents would
  // otherwise be walked at every commit.
  let free: AgentState[] | undefined;
  const freeAgents = () => (free ??= [...s.agents.values()].filter(accepting));
  const dead = new Set<string>();
  for (;;) {
    let bestKey: string | undefined;
    let best: { id: string; priority: number; seq: number } | undefined;
    for (const key of s.ready.keys()) {
      if (dead.has(key)) continue;
      const h = s.ready.head(key)!;
      if (!best || before(h, best)) {
        best = h;
        bestKey = key;
      }
    }
    if (!best || !bestKey) break;
    const t = s.tasks.get(best.id)!;
    const cands = candidatesOf(s, t, freeAgents);
    if (cands.length === 0) {
      dead.add(bestKey);
      continue;
    }
    const preferred = cands.filter((a) => !t.avoidAgentIds.includes(a.id));
    const agent = choose(s, t, preferred.length ? preferred : cands);
    s.ready.remove(t.id);
    assign(s, t, agent);
    assigned++;
    if (free && !free.some(accepting)) break;
  }
  return assigned;
}

/**
 * The agents that could take this task now. A task that selects on labels looks only at the
 * agents carrying the rarest of them (the label index); others at every free agent.
 */
function candidatesOf(s: SchedulerState, t: TaskState, freeAgents: () => AgentState[]): AgentState[] {
  let narrowest: Set<string> | undefined;
  for (const [k, v] of Object.entries(t.labelSelector)) {
    const ids = s.byLabel.get(labelKey(k, v));
    if (!ids) return [];
    if (!narrowest || ids.size < narrowest.size) narrowest = ids;
  }
  if (!narrowest) return freeAgents().filter((a) => accepting(a) && qualifies(a, t));
  const out: AgentState[] = [];
  for (const id of narrowest) {
    const a = s.agents.get(id)!;
    if (accepting(a) && qualifies(a, t)) out.push(a);
  }
  // The same order as the fleet's (registration order), so balancing ties break the same way.
  return out.sort((x, y) => x.order - y.order);
}

/** Takes work now: connected, not draining, a free slot, and (if it pulls) a claim open. */
function accepting(a: AgentState) {
  return a.connected && !a.draining && a.tasks.size < a.slots && (!a.pull || a.awaitingClaim);
}

function choose(s: SchedulerState, t: TaskState, cands: AgentState[]): AgentState {
  const strategy = t.strategy ?? s.opts.defaultStrategy;
  const asCandidate = (a: AgentState): Candidate => ({
    id: a.id,
    order: a.order,
    slots: a.slots,
    slotsUsed: a.tasks.size,
    cpu: a.cpu,
    cpuCount: a.cpuCount,
    memoryMb: a.memoryMb,
    memoryTotalMb: a.memoryTotalMb,
  });
  const picked = pick(strategy, cands.map(asCandidate), {
    lastOrder: s.lastRoundRobin,
    capabilities: t.requirements.map((r) => r.name),
    performance: (agentId, caps) => performanceOf(s, agentId, caps),
  });
  if (strategy === "round-robin") s.lastRoundRobin = picked.order;
  return s.agents.get(picked.id)!;
}
