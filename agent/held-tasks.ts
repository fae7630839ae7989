// After a (re)connect the server lists the attempts it still believes this agent holds.
// Both sides can be wrong after an outage, so the registration answer is reconciled with
// what the agent really runs: the server's view wins for ownership, the agent's for
// whether a process still exists.

export interface AttemptRef {
  taskId: string;
  attempt: number;
}

export interface LocalAttempt extends AttemptRef {
  /** "reporting": the work is done and its outcome is still waiting in the report queue. */
  phase: "accepting" | "running" | "reporting";
}

export interface Reconciliation {
  /** Held by the server but unknown here (e.g. a previous process with the same name): give back. */
  release: AttemptRef[];
  /** Running here but no longer ours on the server (lease expired while offline): stop. */
  abandon: LocalAttempt[];
}

export function reconcileHeld(local: readonly LocalAttempt[], held: readonly AttemptRef[]): Reconciliation {
  const key = (a: AttemptRef) => `${a.taskId}#${a.attempt}`;
  const localKeys = new Set(local.map(key));
  const heldKeys = new Set(held.map(key));
  return {
    release: held.filter((h) => !localKeys.has(key(h))),
    // An attempt still in "accepting" has its accept queued behind this registration, and
    // one in "reporting" only waits for its outcome to be delivered; the server answers
    // those with STALE_ATTEMPT if they are not ours, so only running work is stopped here.
    abandon: local.filter((l) => l.phase === "running" && !heldKeys.has(key(l))),
  };
}
