// Tasks, their history and their logs. The hot reads (one task, a page of the list, a task's
// history and log — what GET /api/v1/tasks/:id and the list answer) run as prepared statements
// on the driver's connection (driver-reads.ts); Prisma is their fallback while it holds a
// transaction, and does the rest. Writes ride on the batch writer.
import type { Prisma } from "@/generated/prisma/client";
import type { Capability, LogStream, TaskStatus } from "@/lib/protocol";
import type { TaskEventType } from "@/lib/api";
import type { Db, DriverConnection } from "../db";
import type { TaskQuery, TaskRepository } from "../ports";
import { ms, parse } from "../row-values";
import { sqliteDialect } from "./batch-writer";
import { DriverReads } from "./driver-reads";
import { TASK_READ_COLUMNS, taskFromRow, taskFromValues } from "./columns";

const q = (c: string) => `"${c}"`;
const TASK_FIELDS = TASK_READ_COLUMNS.map((c) => q(c.name));
const TASK_SELECT = `SELECT ${TASK_FIELDS.join(",")} FROM "Task"`;
const at = (v: unknown) => (typeof v === "string" ? Date.parse(v) : v instanceof Date ? v.getTime() : Number(v));

export class SqliteTasks implements TaskRepository {
  private readonly reads: DriverReads;

  constructor(
    private readonly db: Db,
    connection?: DriverConnection,
  ) {
    this.reads = new DriverReads(connection ?? (() => undefined));
  }

  async get(id: string) {
    const row = this.reads.row(`${TASK_SELECT} WHERE "id" = ?`, [id]);
    if (row !== undefined) return row ? taskFromValues(row) : null;
    const r = await this.db.task.findUnique({ where: { id } });
    return r ? taskFromRow(r) : null;
  }

  async byIdempotencyKey(key: string) {
    const row = this.reads.row(`${TASK_SELECT} WHERE "idempotencyKey" = ?`, [key]);
    if (row !== undefined) return row ? taskFromValues(row) : null;
    const r = await this.db.task.findUnique({ where: { idempotencyKey: key } });
    return r ? taskFromRow(r) : null;
  }

  async find(query: TaskQuery) {
    const driver = this.findOnDriver(query);
    if (driver) return driver;
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

  /**
   * The same page as the Prisma query above, as one prepared statement: the same filters (the
   * search is LIKE, as Prisma's `contains`/`startsWith` are on SQLite: ASCII case-insensitive,
   * `%` and `_` match as wildcards), newest first, and after the cursor's (createdAt, id).
   */
  private findOnDriver(query: TaskQuery): { items: ReturnType<typeof taskFromValues>[]; nextCursor: string | null } | undefined {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.cursor) {
      const c = this.reads.get<{ createdAt: unknown }>(`SELECT "createdAt" FROM "Task" WHERE "id" = ?`, [query.cursor]);
      if (c === undefined) return undefined;
      // An unknown cursor is past the end (as Prisma answers it).
      if (c === null) return { items: [], nextCursor: null };
      where.push(`("createdAt" < ? OR ("createdAt" = ? AND "id" < ?))`);
      params.push(c.createdAt, c.createdAt, query.cursor);
    }
    if (query.status) (where.push(`"status" = ?`), params.push(query.status));
    if (query.agentId) (where.push(`"agentId" = ?`), params.push(query.agentId));
    if (query.search) (where.push(`("title" LIKE ? OR "id" LIKE ?)`), params.push(`%${query.search}%`, `${query.search}%`));
    if (query.createdFrom != null) (where.push(`"createdAt" >= ?`), params.push(sqliteDialect.bind(new Date(query.createdFrom))));
    if (query.createdTo != null) (where.push(`"createdAt" < ?`), params.push(sqliteDialect.bind(new Date(query.createdTo))));
    // With an agent, its own index (agentId, status) narrows both filters; with a status,
    // (status, createdAt) newest first stops when the page is full — the planner, without
    // statistics, would rather take a status's every row and sort them (most of the table for
    // the status most tasks end in); without either, createdAt newest first.
    const index = query.agentId ? "" : query.status ? ` INDEXED BY "Task_status_createdAt_idx"` : ` INDEXED BY "Task_createdAt_idx"`;
    params.push(query.limit + 1);
    // The page's rowids first, then their rows: the sort (the id tie-break within a createdAt,
    // or a whole status's matches) then carries a rowid per row rather than 35 columns.
    const rows = this.reads.rows(
      `SELECT ${TASK_FIELDS.map((c) => `T.${c}`).join(",")} FROM (SELECT rowid AS "r" FROM "Task"${index}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY "createdAt" DESC, "id" DESC LIMIT ?) AS K CROSS JOIN "Task" AS T ON T.rowid = K."r" ORDER BY T."createdAt" DESC, T."id" DESC`,
      params,
    );
    if (!rows) return undefined;
    const more = rows.length > query.limit;
    const items = rows.slice(0, query.limit).map(taskFromValues);
    return { items, nextCursor: more ? items[items.length - 1].id : null };
  }

  /**
   * Every unfinished task, oldest first: what a start rebuilds the scheduler from. On the driver
   * connection — through Prisma, 100,000 rows took 16 s (most of it garbage collection of the
   * mapped objects) and 1.5 GB before the server could dispatch again.
   */
  async unfinished() {
    // Sorted here: SQLite's sort of 100,000 wide rows (a temporary b-tree) cost more than the read.
    const tasks = this.reads.mapRows(`${TASK_SELECT} WHERE "status" IN ('queued','assigned','running')`, [], taskFromValues);
    if (tasks !== undefined) return tasks.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const found = await this.db.task.findMany({ where: { status: { in: ["queued", "assigned", "running"] } }, orderBy: { createdAt: "asc" } });
    return found.map(taskFromRow);
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
    type Row = { id: number; taskId: string; at: unknown; type: string; attempt: number; agentId: string | null; message: string | null };
    const rows =
      this.reads.all<Row>(`SELECT "id","taskId","at","type","attempt","agentId","message" FROM "TaskEvent" WHERE "taskId" = ? ORDER BY "id" ASC LIMIT ?`, [taskId, limit]) ??
      (await this.db.taskEvent.findMany({ where: { taskId }, orderBy: { id: "asc" }, take: limit }));
    return rows.map((e) => ({ id: e.id, taskId: e.taskId, at: at(e.at), type: e.type as TaskEventType, attempt: e.attempt, agentId: e.agentId, message: e.message }));
  }

  async logs(taskId: string, limit: number) {
    type Row = { taskId: string; attempt: number; at: unknown; stream: string; line: string };
    const rows =
      this.reads.all<Row>(`SELECT "taskId","attempt","at","stream","line" FROM "TaskLog" WHERE "taskId" = ? ORDER BY "id" DESC LIMIT ?`, [taskId, limit]) ??
      (await this.db.taskLog.findMany({ where: { taskId }, orderBy: { id: "desc" }, take: limit }));
    return rows.reverse().map((l) => ({ taskId: l.taskId, attempt: l.attempt, at: at(l.at), stream: l.stream as LogStream, line: l.line }));
  }

  async maxIds() {
    const [e, l] = await Promise.all([this.db.taskEvent.aggregate({ _max: { id: true } }), this.db.taskLog.aggregate({ _max: { id: true } })]);
    return { event: e._max.id ?? 0, log: l._max.id ?? 0 };
  }
}
