// Tasks, their history and their logs on PostgreSQL: every read a prepared statement on the pool
// (writes ride on the batch writer). The same answers as the SQLite store's (sqlite/tasks.ts),
// in PostgreSQL's dialect: `$n` placeholders, and no index hints — PostgreSQL keeps statistics
// (autovacuum's ANALYZE), so its planner picks between the status and the createdAt index
// itself, which is what sqlite/tasks.ts's status plan does by hand.
//
// Ordering: ids compare byte by byte (COLLATE "C"), as SQLite compares text, whatever collation
// the database was created with — a page's order and its cursor agree with the other stores.
// Search is case-insensitive (ILIKE), as SQLite's LIKE is for ASCII; `%` and `_` match as
// wildcards there too.
import type pg from "pg";
import type { Capability, LogStream, TaskStatus } from "@/lib/protocol";
import type { TaskEventType } from "@/lib/api";
import type { TaskQuery, TaskRepository } from "../ports";
import { parse } from "../row-values";
import { TASK_READ_COLUMNS, taskFromValues } from "../sqlite/columns";
import { PgReads } from "./reads";

const q = (c: string) => `"${c}"`;
const TASK_SELECT = `SELECT ${TASK_READ_COLUMNS.map((c) => q(c.name)).join(",")} FROM "Task"`;
const at = (v: unknown) => (v instanceof Date ? v.getTime() : typeof v === "string" ? Date.parse(v) : Number(v));
const iso = (ms: number) => new Date(ms).toISOString();
const byCreatedThenId = (a: { createdAt: number; id: string }, b: { createdAt: number; id: string }) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class PostgresTasks implements TaskRepository {
  private readonly reads: PgReads;

  constructor(pool: pg.Pool) {
    this.reads = new PgReads(pool, "tasks");
  }

  async get(id: string) {
    const row = await this.reads.row(`${TASK_SELECT} WHERE "id" = $1`, [id]);
    return row ? taskFromValues(row) : null;
  }

  async byIdempotencyKey(key: string) {
    const row = await this.reads.row(`${TASK_SELECT} WHERE "idempotencyKey" = $1`, [key]);
    return row ? taskFromValues(row) : null;
  }

  async find(query: TaskQuery) {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => (params.push(v), `$${params.length}`);
    if (query.cursor) {
      const c = await this.reads.get<{ createdAt: Date }>(`SELECT "createdAt" FROM "Task" WHERE "id" = $1`, [query.cursor]);
      // An unknown cursor is past the end (as the other stores answer it).
      if (!c) return { items: [], nextCursor: null };
      const created = p(c.createdAt.toISOString());
      where.push(`("createdAt" < ${created} OR ("createdAt" = ${created} AND "id" COLLATE "C" < ${p(query.cursor)}))`);
    }
    if (query.status) where.push(`"status" = ${p(query.status)}`);
    if (query.agentId) where.push(`"agentId" = ${p(query.agentId)}`);
    if (query.search) where.push(`("title" ILIKE ${p(`%${query.search}%`)} OR "id" ILIKE ${p(`${query.search}%`)})`);
    if (query.createdFrom != null) where.push(`"createdAt" >= ${p(iso(query.createdFrom))}`);
    if (query.createdTo != null) where.push(`"createdAt" < ${p(iso(query.createdTo))}`);
    const limit = p(query.limit + 1);
    const rows = await this.reads.rows(`${TASK_SELECT}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY "createdAt" DESC, "id" COLLATE "C" DESC LIMIT ${limit}`, params);
    const more = rows.length > query.limit;
    const items = rows.slice(0, query.limit).map(taskFromValues);
    return { items, nextCursor: more ? items[items.length - 1].id : null };
  }

  /** Every unfinished task, oldest first. Sorted here, as on SQLite: a sort of 100,000 wide rows would spill out of work_mem. */
  async unfinished() {
    const rows = await this.reads.rows(`${TASK_SELECT} WHERE "status" IN ('queued','assigned','running')`, []);
    return rows.map(taskFromValues).sort(byCreatedThenId);
  }

  async outcomesSince(since: number) {
    type Row = { agentId: string | null; status: string; requirements: string; startedAt: Date | null; finishedAt: Date };
    const rows = await this.reads.all<Row>(
      `SELECT "agentId","status","requirements","startedAt","finishedAt" FROM "Task" WHERE "finishedAt" >= $1 ORDER BY "finishedAt" ASC LIMIT 50000`,
      [iso(since)],
    );
    return rows.map((r) => ({
      agentId: r.agentId,
      status: r.status as TaskStatus,
      requirements: parse<Capability[]>(r.requirements, []),
      startedAt: r.startedAt ? r.startedAt.getTime() : null,
      finishedAt: r.finishedAt.getTime(),
    }));
  }

  async events(taskId: string, limit: number) {
    type Row = { id: number; taskId: string; at: Date; type: string; attempt: number; agentId: string | null; message: string | null };
    const rows = await this.reads.all<Row>(`SELECT "id","taskId","at","type","attempt","agentId","message" FROM "TaskEvent" WHERE "taskId" = $1 ORDER BY "id" ASC LIMIT $2`, [taskId, limit]);
    return rows.map((e) => ({ id: e.id, taskId: e.taskId, at: at(e.at), type: e.type as TaskEventType, attempt: e.attempt, agentId: e.agentId, message: e.message }));
  }

  async logs(taskId: string, limit: number) {
    type Row = { taskId: string; attempt: number; at: Date; stream: string; line: string };
    const rows = await this.reads.all<Row>(`SELECT "taskId","attempt","at","stream","line" FROM "TaskLog" WHERE "taskId" = $1 ORDER BY "id" DESC LIMIT $2`, [taskId, limit]);
    return rows.reverse().map((l) => ({ taskId: l.taskId, attempt: l.attempt, at: at(l.at), stream: l.stream as LogStream, line: l.line }));
  }

  async maxIds() {
    const r = await this.reads.get<{ event: number | null; log: number | null }>(`SELECT (SELECT MAX("id") FROM "TaskEvent") AS "event", (SELECT MAX("id") FROM "TaskLog") AS "log"`, []);
    return { event: r?.event ?? 0, log: r?.log ?? 0 };
  }
}
