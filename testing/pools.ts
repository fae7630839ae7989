// For pool tests: a pool's view over REST, remembering every agent PID it ever showed (pool
// agents are detached and outlive the server, so a test stops each one itself).
import type { api } from "./api";

export interface PoolSnapshot {
  id: string;
  current: number;
  desired: number;
  backlog: number;
  atMax: boolean;
  crashes: number;
  waitingFor: string | null;
  instances: { name: string; state: string; pid: number | null; agentId: string | null }[];
}

export function poolWatcher(client: () => ReturnType<typeof api>, name: string) {
  const pids = new Set<number>();
  return {
    pids,
    async get(): Promise<PoolSnapshot> {
      const p = (await client().get(`/api/v1/pools/${name}`)).body as PoolSnapshot;
      for (const i of p.instances ?? []) if (i.pid) pids.add(i.pid);
      return p;
    },
    /** SIGKILLs every agent process seen that still runs. */
    killAll() {
      for (const pid of pids) if (alive(pid)) process.kill(pid, "SIGKILL");
    },
  };
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
