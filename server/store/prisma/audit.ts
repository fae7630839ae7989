// The audit log and the incidents timeline: append-only tables read newest first.
import type { Prisma } from "@/generated/prisma/client";
import type { AuditOutcome, AuditView, IncidentKind } from "@/lib/api";
import type { PrismaModels as Db } from "./client";
import type { AuditQuery, AuditRecord, AuditRepository, IncidentRepository, IncidentRow } from "../ports";
import { withBusyRetry } from "../busy";

export class PrismaAudit implements AuditRepository {
  constructor(private readonly db: Db) {}

  async append(entries: AuditRecord[]) {
    if (entries.length === 0) return;
    const data = entries.map((e) => ({ at: new Date(e.at), actor: e.actor, actorKind: e.actorKind, role: e.role, action: e.action, target: e.target, ip: e.ip, outcome: e.outcome, details: e.details ? JSON.stringify(e.details) : null }));
    await withBusyRetry("audit write", () => this.db.auditEvent.createMany({ data }));
  }

  async find(q: AuditQuery): Promise<{ items: AuditView[]; nextCursor: number | null }> {
    const where: Prisma.AuditEventWhereInput = {
      ...(q.actor ? { actor: q.actor } : {}),
      ...(q.action ? { action: { contains: q.action } } : {}),
      ...(q.outcome ? { outcome: q.outcome } : {}),
      ...(q.cursor ? { id: { lt: q.cursor } } : {}),
      ...(q.from || q.to ? { at: { ...(q.from ? { gte: new Date(q.from) } : {}), ...(q.to ? { lte: new Date(q.to) } : {}) } } : {}),
      ...(q.search ? { OR: [{ actor: { contains: q.search } }, { action: { contains: q.search } }, { target: { contains: q.search } }, { ip: { contains: q.search } }] } : {}),
    };
    const rows = await this.db.auditEvent.findMany({ where, orderBy: { id: "desc" }, take: q.limit + 1 });
    const items = rows.slice(0, q.limit).map((r) => ({
      id: r.id,
      at: r.at.getTime(),
      actor: r.actor,
      actorKind: r.actorKind as AuditView["actorKind"],
      role: r.role,
      action: r.action,
      target: r.target,
      ip: r.ip,
      outcome: r.outcome as AuditOutcome,
      details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
    }));
    return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
  }

  async prune(before: number) {
    return (await withBusyRetry("audit prune", () => this.db.auditEvent.deleteMany({ where: { at: { lt: new Date(before) } } }))).count;
  }
}

export class PrismaIncidents implements IncidentRepository {
  constructor(private readonly db: Db) {}

  async find(q: { kind?: IncidentKind; since?: number; limit: number; cursor?: number }) {
    const rows = await this.db.incident.findMany({
      where: { ...(q.kind ? { kind: q.kind } : {}), ...(q.since ? { at: { gte: new Date(q.since) } } : {}), ...(q.cursor ? { id: { lt: q.cursor } } : {}) },
      orderBy: { id: "desc" },
      take: q.limit + 1,
    });
    const items: IncidentRow[] = rows.slice(0, q.limit).map((r) => ({ id: r.id, at: r.at.getTime(), kind: r.kind as IncidentKind, agentId: r.agentId, taskId: r.taskId, message: r.message }));
    return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
  }

  async countsSince(since: number) {
    const groups = await this.db.incident.groupBy({ by: ["kind"], where: { at: { gte: new Date(since) } }, _count: { _all: true } });
    return Object.fromEntries(groups.map((g) => [g.kind, g._count._all])) as Partial<Record<IncidentKind, number>>;
  }

  async prune(before: number) {
    return (await withBusyRetry("incidents prune", () => this.db.incident.deleteMany({ where: { at: { lt: new Date(before) } } }))).count;
  }
}
