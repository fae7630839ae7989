// Tasks, their history and their logs, read through Prisma (writes ride on the batch writer).
import type { Prisma } from "@/generated/prisma/client";
import type { Capability, LogStream, TaskStatus } from "@/lib/protocol";
import type { TaskEventType } from "@/lib/api";
import type { Db } from "../db";
import type { TaskQuery, TaskRepository } from "../ports";
import { ms, parse } from "../row-values";
import { taskFromRow } from "./columns";

export class SqliteTasks implements TaskRepository {
  constructor(private readonly db: Db) {}

  async get(id: string) {
    const r = await this.db.task.findUnique({ where: { id } });
    return r ? taskFromRow(r) : null;
  }

  async byIdempotencyKey(key: string) {
    const r = await this.db.task.findUnique({ where: { idempotencyKey: key } });
    return r ? taskFromRow(r) : null;
  }

  async find(query: TaskQuery) {
    const where: Prisma.TaskWhereInput = {};
    if (query.status) where.status = query.status;
    if (query.agentId) where.agentId = query.agentId;
    if (query.search) where.OR = [{ title: { contains: query.search } }, { id: { startsWith: query.search } }];
    if (query.createdFrom != null || query.createdTo != null) where.createdAt = { ...(query.createdFrom != null ? { gte: new Date(query.createdFrom) } : {}), ...(query.createdTo != null ? { lt: new Date(query.createdTo) } : {}) };
    const rows = await this.db.task.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: query.limit + 1,
      ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
    });
    const more = rows.length > query.limit;
    const items = rows.slice(0, query.limit).map(taskFromRow);
    return { items, nextCursor: more ? items[items.length - 1].id : null };
  }

  async unfinished() {
    const rows = await this.db.task.findMany({ where: { status: { in: ["queued", "assigned", "running"] } }, orderBy: { createdAt: "asc" } });
    return rows.map(taskFromRow);
  }

  async outcomesSince(since: number) {
    const rows = await this.db.task.findMany({
      where: { finishedAt: { gte: new Date(since) } },
      select: { agentId: true, status: true, requirements: true, startedAt: true, finishedAt: true },
      orderBy: { finishedAt: "asc" },
      take: 50_000,
    });
    return rows.map((r) => ({
      agentId: r.agentId,
      status: r.status as TaskStatus,
      requirements: parse<Capability[]>(r.requirements, []),
      startedAt: ms(r.startedAt),
      finishedAt: r.finishedAt!.getTime(),
    }));
  }

  async events(taskId: string, limit: number) {
    const rows = await this.db.taskEvent.findMany({ where: { taskId }, orderBy: { id: "asc" }, take: limit });
    return rows.map((e) => ({ id: e.id, taskId: e.taskId, at: e.at.getTime(), type: e.type as TaskEventType, attempt: e.attempt, agentId: e.agentId, message: e.message }));
  }

  async logs(taskId: string, limit: number) {
    const rows = await this.db.taskLog.findMany({ where: { taskId }, orderBy: { id: "desc" }, take: limit });
    return rows.reverse().map((l) => ({ taskId: l.taskId, attempt: l.attempt, at: l.at.getTime(), stream: l.stream as LogStream, line: l.line }));
  }

  async maxIds() {
    const [e, l] = await Promise.all([this.db.taskEvent.aggregate({ _max: { id: true } }), this.db.taskLog.aggregate({ _max: { id: true } })]);
    return { event: e._max.id ?? 0, log: l._max.id ?? 0 };
  }
}
