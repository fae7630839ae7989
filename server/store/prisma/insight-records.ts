// The parts of the insight repository that are plain Prisma model calls, shared by both SQL
// stores: error groups read at start-up, per-day workflow statistics (read-modify-write in one
// transaction), and meta values. Rollups, occurrences and pruning are SQL in each dialect.
import type { PrismaModels as Db } from "./client";
import type { ErrorOccurrenceRow, InsightRepository } from "../ports";
import { withBusyRetry } from "../busy";
import { errorGroupFromRow } from "../sqlite/columns";
import { parse } from "../row-values";

export class PrismaInsightRecords implements Pick<InsightRepository, "errorGroups" | "workflowStats" | "updateWorkflowStats" | "meta" | "setMeta"> {
  constructor(private readonly models: Db) {}

  async errorGroups() {
    return (await this.models.errorGroup.findMany({ orderBy: { lastSeen: "desc" } })).map((r) => errorGroupFromRow(r));
  }

  async workflowStats(fromDay: number, toDay: number) {
    const rows = await this.models.workflowStats.findMany({ where: { day: { gte: fromDay, lte: toDay } } });
    return rows.map((r) => ({ day: r.day, template: r.template, stats: parse<unknown>(r.stats, null) }));
  }

  async updateWorkflowStats(day: number, template: string, update: (before: unknown) => unknown) {
    await withBusyRetry("workflow stats", () =>
      this.models.$transaction(async (tx) => {
        const row = await tx.workflowStats.findUnique({ where: { day_template: { day, template } } });
        const stats = JSON.stringify(update(row ? parse<unknown>(row.stats, null) : null));
        await tx.workflowStats.upsert({ where: { day_template: { day, template } }, create: { day, template, stats }, update: { stats } });
      }),
    );
  }

  async meta(key: string) {
    return (await this.models.meta.findUnique({ where: { key } }))?.value ?? null;
  }

  async setMeta(key: string, value: string) {
    await withBusyRetry("meta", () => this.models.meta.upsert({ where: { key }, create: { key, value }, update: { value } }));
  }
}

/**
 * An ErrorOccurrence row as either dialect's driver reads it (`SELECT *`) back in memory: times
 * come as ISO text or numbers from SQLite and as Date from `pg`, labels as JSON text.
 */
export function occurrenceFromRow(r: Record<string, unknown>): ErrorOccurrenceRow {
  return {
    groupId: String(r.groupId),
    taskId: String(r.taskId),
    attempt: Number(r.attempt),
    at: typeof r.at === "number" ? r.at : r.at instanceof Date ? r.at.getTime() : Date.parse(String(r.at)),
    agentId: (r.agentId as string | null) ?? null,
    agentName: (r.agentName as string | null) ?? null,
    agentVersion: (r.agentVersion as string | null) ?? null,
    capability: (r.capability as string | null) ?? null,
    template: (r.template as string | null) ?? null,
    labels: parse<string[]>(r.labels as string, []),
    cpuPct: r.cpuPct == null ? null : Number(r.cpuPct),
    memPct: r.memPct == null ? null : Number(r.memPct),
    message: String(r.message),
  };
}
