// What went wrong and how the API is doing: incidents and request traffic.
import type { GatewayStats, IncidentKind, IncidentView } from "@/lib/api";
import type { Caller, ServiceContext } from "./context";

export const findIncidents = (s: ServiceContext, caller: Caller, q: { kind?: IncidentKind; since?: number; limit: number; cursor?: number | null }): Promise<{ items: IncidentView[]; nextCursor: number | null }> =>
  s.read(caller, "incidents.find", () => s.deps.incidents.find({ ...q, cursor: q.cursor ?? undefined }));

export const incidentCounts = (s: ServiceContext, caller: Caller, windowMinutes: number): Promise<Record<IncidentKind, number>> =>
  s.read(caller, "incidents.counts", () => s.deps.incidents.counts(windowMinutes));

export const trafficStats = (s: ServiceContext, caller: Caller, windowMinutes: number): Promise<GatewayStats> =>
  s.read(caller, "traffic.stats", () => s.deps.requestStats.snapshot(windowMinutes));
