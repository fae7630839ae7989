// The critical path of a run: the chain of dependent steps whose durations add up to the most.
// It is what bounds the run's wall time, so it is the chain worth shortening. Computed in the
// browser from startedAt/finishedAt (a running step counts up to `now`); pure, so it is tested
// without a DOM.

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

/**
 * Step ids of the longest-duration dependency chain, first step first. Steps that never ran
 * weigh 0; a leading run of zero-weight steps is left off, and an empty list means nothing has
 * run yet. Unknown dependencies are ignored, and steps on a cycle (which validation rejects)
 * are never reached, so the function cannot loop.
 */
export function criticalPath(steps: readonly TimedStep[], now: number): string[] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const indegree = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const s of steps) {
    const deps = s.dependsOn.filter((d) => byId.has(d));
    indegree.set(s.id, deps.length);
    for (const d of deps) {
      const c = children.get(d);
      if (c) c.push(s.id);
      else children.set(d, [s.id]);
    }
  }
  // Kahn's order: every step after all its dependencies.
  const order: string[] = [];
  for (const s of steps) if (indegree.get(s.id) === 0) order.push(s.id);
  for (let i = 0; i < order.length; i++) {
    for (const c of children.get(order[i]) ?? []) {
      const n = indegree.get(c)! - 1;
      indegree.set(c, n);
      if (n === 0) order.push(c);
    }
  }
  const total = new Map<string, number>();
  const prev = new Map<string, string | null>();
  let end: string | null = null;
  let best = 0;
  for (const id of order) {
    const s = byId.get(id)!;
    let before = 0;
    let from: string | null = null;
    for (const d of s.dependsOn) {
      const t = total.get(d);
      if (t !== undefined && (from === null || t > before)) {
        before = t;
        from = d;
      }
    }
    const t = before + stepDuration(s, now);
    total.set(id, t);
    prev.set(id, from);
    if (t > best) {
      best = t;
      end = id;
    }
  }
  const path: string[] = [];
  for (let id = end; id !== null; id = prev.get(id) ?? null) {
    if ((total.get(id) ?? 0) === 0) break;
    path.push(id);
  }
  return path.reverse();
}

/** "a->b" keys of the path's consecutive pairs, matching the run graph's edge ids. */
export function criticalEdges(path: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 1; i < path.length; i++) out.add(edgeId(path[i - 1], path[i]));
  return out;
}

export const edgeId = (from: string, to: string) => `${from}->${to}`;
