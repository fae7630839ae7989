// Messages and mailboxes, read back (sends and acks ride on the batch writer).
import type { Prisma } from "@/generated/prisma/client";
import type { PrismaModels as Db } from "./client";
import type { MessageRepository } from "../ports";
import { parse } from "../row-values";

export class PrismaMessages implements MessageRepository {
  constructor(private readonly db: Db) {}

  async conversation(q: { agentId?: string; channel?: string; limit: number }) {
    let where: Prisma.MessageWhereInput;
    if (q.channel) where = { toKind: "channel", toValue: q.channel };
    else {
      const delivered = await this.db.messageDelivery.findMany({ where: { agentId: q.agentId }, orderBy: { seq: "desc" }, take: q.limit, select: { messageId: true } });
      where = { OR: [{ fromAgentId: q.agentId }, { id: { in: delivered.map((d) => d.messageId) } }] };
    }
    const rows = await this.db.message.findMany({ where, orderBy: { createdAt: "desc" }, take: q.limit });
    const counts = await this.db.messageDelivery.groupBy({ by: ["messageId"], where: { messageId: { in: rows.map((r) => r.id) } }, _count: { _all: true } });
    const n = new Map(counts.map((c) => [c.messageId, c._count._all]));
    return rows.reverse().map((m) => ({ ...m, data: parse(m.data, null), createdAt: m.createdAt.getTime(), recipients: n.get(m.id) ?? 0 }));
  }

  async recentKeys(since: number) {
    const rows = await this.db.message.findMany({
      where: { clientKey: { not: null }, createdAt: { gte: new Date(since) } },
      select: { id: true, threadId: true, clientKey: true, fromAgentId: true, fromName: true },
    });
    const deliveries = await this.db.messageDelivery.findMany({ where: { messageId: { in: rows.map((r) => r.id) } }, select: { messageId: true, agentId: true } });
    const to = new Map<string, string[]>();
    for (const d of deliveries) to.set(d.messageId, [...(to.get(d.messageId) ?? []), d.agentId]);
    return rows.map((r) => ({ sender: r.fromAgentId ?? `operator:${r.fromName}`, key: r.clientKey!, messageId: r.id, threadId: r.threadId, recipientIds: to.get(r.id) ?? [] }));
  }

  /** Unacknowledged deliveries by agent, then seq: SQLite's GROUP BY walks the (agentId, seq) key in order, PostgreSQL's may hash — so the order is asked for. */
  async mailboxes() {
    const [maxes, marks] = await Promise.all([this.db.messageDelivery.groupBy({ by: ["agentId"], _max: { seq: true }, orderBy: { agentId: "asc" } }), this.db.mailbox.findMany()]);
    const acked = new Map(marks.map((m) => [m.agentId, m.ackedUpTo]));
    const pending = (
      await Promise.all(
        maxes
          .filter((m) => (m._max.seq ?? 0) > (acked.get(m.agentId) ?? 0))
          .map((m) => this.db.messageDelivery.findMany({ where: { agentId: m.agentId, seq: { gt: acked.get(m.agentId) ?? 0 } }, orderBy: { seq: "asc" }, take: 200_000 })),
      )
    ).flat();
    const messages = await this.db.message.findMany({ where: { id: { in: [...new Set(pending.map((p) => p.messageId))] } } });
    const byId = new Map(messages.map((m) => [m.id, m]));
    return {
      lastSeq: new Map(maxes.map((m) => [m.agentId, m._max.seq ?? 0])),
      unacked: pending
        .filter((p) => byId.has(p.messageId))
        .map((p) => {
          const m = byId.get(p.messageId)!;
          return { agentId: p.agentId, seq: p.seq, message: { ...m, data: parse(m.data, null), createdAt: m.createdAt.getTime() } };
        }),
    };
  }
}
