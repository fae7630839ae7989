// Reading the incidents timeline (written by the coordinator's batches): newest first, by kind,
// with counts per kind over a window for the dashboard's summary.
import type { Clock } from "@/server/core/clock";
import type { IncidentRepository } from "@/server/store/ports";
import { incidentKindSchema, type IncidentKind, type IncidentView } from "@/lib/api";
import type { Coordinator } from "./coordinator";

export class IncidentService {
  constructor(private readonly deps: { incidents: IncidentRepository; clock: Clock; coordinator: Coordinator }) {}

  private agentName(id: string | null) {
    return id ? (this.deps.coordinator.agent(id)?.name ?? null) : null;
  }

  async find(q: { kind?: IncidentKind; since?: number; limit: number; cursor?: number }): Promise<{ items: IncidentView[]; nextCursor: number | null }> {
    const page = await this.deps.incidents.find(q);
    return { items: page.items.map((i) => ({ ...i, agentName: this.agentName(i.agentId) })), nextCursor: page.nextCursor };
  }

  /** How many of each kind in the last `windowMinutes`. */
  async counts(windowMinutes: number): Promise<Record<IncidentKind, number>> {
    const found = await this.deps.incidents.countsSince(this.deps.clock.now() - windowMinutes * 60_000);
    return Object.fromEntries(incidentKindSchema.options.map((k) => [k, found[k] ?? 0])) as Record<IncidentKind, number>;
  }

  prune(before: number): Promise<number> {
    return this.deps.incidents.prune(before);
  }
}
