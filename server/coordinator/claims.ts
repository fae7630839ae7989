// Long-poll claims of pull agents (HTTP and MCP): at most one open claim per agent. While a
// claim is open the scheduler may assign the agent work; the batch that does so answers the
// claim with those assignments. A claim ends when work arrives, when it times out, or when its
// caller hangs up — then it is withdrawn at once, so nothing is assigned to a poller that is gone.
import type { Assignment } from "@/lib/protocol";

interface OpenClaim {
  resolve: (tasks: Assignment[]) => void;
  timer: NodeJS.Timeout;
  /** Set when a batch in flight assigned work to this claim; the timeout then leaves it alone. */
  pending: boolean;
}

export interface ClaimHooks {
  /** The scheduler offers the agent work while (and only while) a claim is open. */
  setAwaiting(agentId: string, awaiting: boolean): void;
  /** Persist and dispatch (a new claim may be given work at once). */
  commit(): void;
}

export class ClaimBook {
  private open = new Map<string, OpenClaim>();

  constructor(private readonly hooks: ClaimHooks) {}

  has(agentId: string): boolean {
    return this.open.has(agentId);
  }

  /** A batch in flight is giving this agent work: its claim must wait for that answer. */
  markPending(agentId: string) {
    const c = this.open.get(agentId);
    if (c) c.pending = true;
  }

  /** Waits up to `waitMs` for work; `signal` withdraws the claim (unless work is already on its way). */
  wait(agentId: string, waitMs: number, signal?: AbortSignal): Promise<Assignment[]> {
    this.open.get(agentId)?.resolve([]);
    if (signal?.aborted) return Promise.resolve([]);
    return new Promise<Assignment[]>((resolve) => {
      const claim: OpenClaim = {
        pending: false,
        resolve: (tasks) => {
          clearTimeout(claim.timer);
          signal?.removeEventListener("abort", onAbort);
          if (this.open.get(agentId) === claim) {
            this.open.delete(agentId);
            this.hooks.setAwaiting(agentId, false);
            this.hooks.commit();
          }
          resolve(tasks);
        },
        timer: setTimeout(() => {
          if (!claim.pending) claim.resolve([]);
        }, waitMs),
      };
      const onAbort = () => {
        if (!claim.pending) claim.resolve([]);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.open.set(agentId, claim);
      this.hooks.setAwaiting(agentId, true);
      this.hooks.commit();
    });
  }

  /** Answers the agent's open claim with these assignments. */
  answer(agentId: string, tasks: Assignment[]) {
    this.open.get(agentId)?.resolve(tasks);
  }

  /** Ends the agent's open claim with nothing (it stopped). */
  close(agentId: string) {
    this.open.get(agentId)?.resolve([]);
  }

  closeAll() {
    for (const c of [...this.open.values()]) c.resolve([]);
    this.open.clear();
  }
}
