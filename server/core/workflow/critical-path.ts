// The critical path of a run: the chain of dependent steps, from a root (no dependencies) to
// a sink (no dependents), whose durations add up to the most. It is what made the run as
// long as it is, so the dashboard highlights it. A running step counts until `now`, a step
// that has not started counts 0.
//
// Longest path in a DAG: one pass in topological order, O(steps + edges). Ties go to the
// step listed first, both for the predecessor chosen at each step and for the final sink.

export interface TimedStep {
  id: string;
  dependsOn: string[];
  startedAt: number | null;
  finishedAt: number | null;
}

export function stepDuration(s: Pick<TimedStep, "startedAt" | "finishedAt">, now: number): number {
  if (s.startedAt == null) return 0;
  return Math.max(0, (s.finishedAt ?? now) - s.startedAt);
}

/** Step ids on the critical path, root first. Unknown dependencies are ignored; steps on a cycle are left out. */
export function criticalPath(steps: readonly TimedStep[], now: number): string[] {
  const pos = new Map<string, number>();
  steps.forEach((s, i) => {
    if (!pos.has(s.id)) pos.set(s.id, i);
  });
  const deps = steps.map((s, i) => (pos.get(s.id) === i ? [...new Set(s.dependsOn)].map((d) => pos.get(d)).filter((j): j is number => j !== undefined && j !== i) : []));
  const dependents: number[][] = steps.map(() => []);
  deps.forEach((ds, i) => ds.forEach((j) => dependents[j].push(i)));

  // Kahn's order; best[i] = longest chain ending at i, prev[i] = its predecessor on that chain.
  const waiting = deps.map((d) => d.length);
  const queue = steps.map((_, i) => i).filter((i) => waiting[i] === 0 && pos.get(steps[i].id) === i);
  const best = new Array<number>(steps.length).fill(-1);
  const prev = new Array<number>(steps.length).fill(-1);
  for (let qi = 0; qi < queue.length; qi++) {
    const i = queue[qi];
    let from = -1;
    for (const j of deps[i]) if (from === -1 || best[j] > best[from] || (best[j] === best[from] && j < from)) from = j;
    prev[i] = from;
    best[i] = stepDuration(steps[i], now) + (from === -1 ? 0 : best[from]);
    for (const k of dependents[i]) if (--waiting[k] === 0) queue.push(k);
  }

  let sink = -1;
  // A sink has no dependents that were placed (those on a cycle are not).
  for (const i of queue) if (dependents[i].every((k) => best[k] === -1) && (sink === -1 || best[i] > best[sink] || (best[i] === best[sink] && i < sink))) sink = i;
  const path: string[] = [];
  for (let i = sink; i !== -1; i = prev[i]) path.push(steps[i].id);
  return path.reverse();
}
