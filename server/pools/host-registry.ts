// The pool hosts connected now (`switchboard pool-host` on other machines) and the agents each
// runs: where a `host` pool's agents are started and stopped. A host that drops out keeps its
// agents running; its instances are "unknown" for a grace period, and when it reconnects it
// says what it runs, so the coordinator adopts them rather than starting more.
import type { HostHello, PoolAgentSpec } from "@/lib/pool-host-protocol";

/** How long a disconnected host's agents are assumed to still run. */
export const HOST_GRACE_MS = 60_000;

export interface HostLink {
  launch(spec: PoolAgentSpec): Promise<{ ok: true; pid: number } | { ok: false; error: string }>;
  stop(name: string): void;
}

interface Host {
  id: string;
  name: string;
  max: number;
  pools: string[];
  link: HostLink | null;
  disconnectedAt: number | null;
  running: Map<string, { pool: string; pid: number }>;
}

export interface HostView {
  id: string;
  name: string;
  max: number;
  pools: string[];
  connected: boolean;
  running: number;
}

export class HostRegistry {
  private hosts = new Map<string, Host>();
  /** Told when a host says what it runs (after connecting) and when one of its agents exits. */
  onHello: (hostId: string, running: HostHello["running"]) => void = () => {};
  onExited: (name: string) => void = () => {};

  constructor(private readonly now: () => number) {}

  hello(h: HostHello, link: HostLink): string {
    const id = `host:${h.name}`;
    const prev = this.hosts.get(id);
    const running = new Map(h.running.map((r) => [r.name, { pool: r.pool, pid: r.pid }]));
    // Agents the host no longer runs ended while it was away.
    for (const name of prev?.running.keys() ?? []) if (!running.has(name)) this.onExited(name);
    this.hosts.set(id, { id, name: h.name, max: h.max, pools: h.pools, link, disconnectedAt: null, running });
    this.onHello(id, h.running);
    return id;
  }

  disconnected(hostId: string, link: HostLink) {
    const h = this.hosts.get(hostId);
    // A newer connection of the same host already replaced this one.
    if (!h || h.link !== link) return;
    h.link = null;
    h.disconnectedAt = this.now();
  }

  exited(hostId: string, name: string) {
    if (this.hosts.get(hostId)?.running.delete(name)) this.onExited(name);
  }

  list(): HostView[] {
    return [...this.hosts.values()].map((h) => ({ id: h.id, name: h.name, max: h.max, pools: h.pools, connected: !!h.link, running: h.running.size }));
  }

  /** Where an agent is: running (its host says so), unknown (its host is away, within the grace), or gone. */
  status(name: string): "running" | "unknown" | "gone" {
    for (const h of this.hosts.values()) {
      if (!h.running.has(name)) continue;
      if (h.link) return "running";
      return this.now() - (h.disconnectedAt ?? 0) < HOST_GRACE_MS ? "unknown" : "gone";
    }
    return "gone";
  }

  /** Starts an agent on the connected host with the most room that serves its pool. */
  async launch(spec: PoolAgentSpec): Promise<{ ok: true; hostId: string; pid: number } | { ok: false; error: string }> {
    const fit = [...this.hosts.values()]
      .filter((h) => h.link && h.running.size < h.max && (!h.pools.length || h.pools.includes(spec.pool)))
      .sort((a, b) => a.running.size / Math.max(1, a.max) - b.running.size / Math.max(1, b.max));
    if (!fit.length) return { ok: false, error: `no connected pool host has room for pool ${spec.pool}` };
    const h = fit[0];
    const r = await h.link!.launch(spec);
    if (!r.ok) return r;
    h.running.set(spec.name, { pool: spec.pool, pid: r.pid });
    return { ok: true, hostId: h.id, pid: r.pid };
  }

  stop(name: string) {
    for (const h of this.hosts.values()) if (h.running.has(name)) h.link?.stop(name);
  }
}
