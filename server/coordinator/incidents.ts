// Reading the incidents timeline (written by the coordinator's batches): newest first, by kind,
// with counts per kind over a window for the dashboard's summary.
import type { Db } from "@/server/store/db";
import type { Clock } from "@/server/core/clock";
import type { Coordinator } from "./coordinator";
import type { IncidentKind, IncidentView } from "@/lib/views";

export class IncidentService {
  constructor(private readonly deps: { db: Db; clock: Clock; coordinator: Coordinator }) {}

  private agentName(id: string | null) {
    return id ? (this.deps.coordinator.scheduler.agents.get(id)?.name ?? null) : null;
  }

  async find(q: { kind?: IncidentKind; since?: number; limit: number; cursor?: number }): Promise<{ items: IncidentView[]; nextCursor: number | null }> {
    const rows = await this.deps.db.incident.findMany({
      where: { ...(q.kind ? { kind: q.kind } : {}), ...(q.since ? { at: { gte: new Date(q.since) } } : {}), ...(q.cursor ? { id: { lt: q.cursor } } : {}) },
      orderBy: { id: "desc" },
      take: q.limit + 1,
    });
    const items = rows.slice(0, q.limit).map((r) => ({
      id: r.id,
      at: r.at.getTime(),
      kind: r.kind as IncidentKind,
      agentId: r.agentId,
      agentName: this.agentName(r.agentId),
      taskId: r.taskId,
      message: r.message,
    }));
    return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
  }

  /** How many of each kind in the last `windowMinutes`. */
  async counts(windowMinutes: number): Promise<Record<IncidentKind, number>> {
    const since = new Date(this.deps.clock.now() - windowMinutes * 60_000);
    const groups = await this.deps.db.incident.groupBy({ by: ["kind"], where: { at: { gte: since } }, _count: { _all: true } });
    const out = {
      agent_lost: 0,
      agent_unhealthy: 0,
      agent_recovered: 0,
      task_stuck: 0,
      task_retried: 0,
      task_dead: 0,
      task_timed_out: 0,
      queue_timeout: 0,
      server_restarted: 0,
    } satisfies Record<IncidentKind, number>;
    for (const g of groups) if (g.kind in out) out[g.kind as IncidentKind] = g._count._all;
    return out;
  }

  async prune(before: number): Promise<number> {
    return (await this.deps.db.incident.deleteMany({ where: { at: { lt: new Date(before) } } })).count;
  }
}
