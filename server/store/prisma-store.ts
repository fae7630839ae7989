// CoordinatorStore over Prisma. Batches are written with multi-row INSERT … ON CONFLICT
// statements (valid on SQLite and PostgreSQL) inside one transaction: measured ≈57,000 task
// rows/s through Prisma here, against ≈1,200/s for one `create` per row.
import type BetterSqlite3 from "better-sqlite3";
import type { Db, DriverConnection } from "./db";
import type { AgentRow, CoordinatorStore, TaskQuery, TokenRow, WriteBatch } from "./store";
import type { TaskState } from "@/server/core/scheduler";
import type { Capability, LogStream, Strategy, TaskStatus, AgentKind } from "@/lib/protocol";
import type { ResourceSample, TaskEventType, TaskEventView, TaskLogLine, TokenView } from "@/lib/views";
import type { Prisma } from "@/generated/prisma/client";
import { tokenScopeSchema } from "@/lib/policy";
import { date, json, ms, parse } from "@/server/store/row-values";

const TASK_COLUMNS = [
  "id", "title", "command", "payload", "requirements", "labelSelector", "priority", "strategy", "status",
  "attempt", "failures", "avoidAgentIds", "maxAttempts", "backoffMs", "timeoutMs", "progressTimeoutMs", "queueTimeoutMs", "notBefore", "leaseExpiresAt",
  "agentId", "idempotencyKey", "runId", "stepId", "progress", "result", "error", "createdAt", "assignedAt", "startedAt", "finishedAt", "updatedAt",
] as const;

const AGENT_COLUMNS = [
  "id", "name", "kind", "status", "capabilities", "labels", "channels", "slots", "version", "cpu", "memoryMb",
  "lastHeartbeatAt", "connectedAt", "tokenId", "credentialHash", "createdAt", "updatedAt",
] as const;


function taskValues(t: TaskState): unknown[] {
  return [
    t.id, t.title, t.command, json(t.payload), json(t.requirements), json(t.labelSelector), t.priority, t.strategy, t.status,
    t.attempt, t.failures, json(t.avoidAgentIds), t.maxAttempts, t.backoffMs, t.timeoutMs, t.progressTimeoutMs, t.queueTimeoutMs, date(t.notBefore), date(t.leaseExpiresAt),
    t.agentId, t.idempotencyKey, t.runId, t.stepId, t.progress, t.result === undefined || t.result === null ? null : json(t.result), t.error,
    date(t.createdAt), date(t.assignedAt), date(t.startedAt), date(t.finishedAt), date(t.updatedAt),
  ];
}

type TaskRecord = Prisma.TaskGetPayload<object>;

export function taskFromRow(r: TaskRecord): TaskState {
  return {
    id: r.id,
    title: r.title,
    command: r.command,
    payload: parse(r.payload, null),
    requirements: parse<Capability[]>(r.requirements, []),
    labelSelector: parse<Record<string, string>>(r.labelSelector, {}),
    priority: r.priority,
    strategy: (r.strategy as Strategy | null) ?? null,
    status: r.status as TaskStatus,
    attempt: r.attempt,
    failures: r.failures,
    maxAttempts: r.maxAttempts,
    backoffMs: r.backoffMs,
    timeoutMs: r.timeoutMs,
    progressTimeoutMs: r.progressTimeoutMs,
    queueTimeoutMs: r.queueTimeoutMs,
    lastProgressAt: null,
    queuedAt: null,
    notBefore: ms(r.notBefore),
    leaseExpiresAt: ms(r.leaseExpiresAt),
    agentId: r.agentId,
    avoidAgentIds: parse<string[]>(r.avoidAgentIds, []),
    idempotencyKey: r.idempotencyKey,
    runId: r.runId,
    stepId: r.stepId,
    progress: r.progress,
    result: parse(r.result, null),
    error: r.error,
    createdAt: r.createdAt.getTime(),
    assignedAt: ms(r.assignedAt),
    startedAt: ms(r.startedAt),
    finishedAt: ms(r.finishedAt),
    updatedAt: r.updatedAt.getTime(),
  };
}

function tokenView(r: Prisma.ApiTokenGetPayload<object>): TokenView {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scope: tokenScopeSchema.catch("read").parse(r.scope),
    createdAt: r.createdAt.getTime(),
    lastUsedAt: ms(r.lastUsedAt),
    expiresAt: ms(r.expiresAt),
    revokedAt: ms(r.revokedAt),
  };
}

/** Splits rows so one statement stays under SQLite's bound-parameter limit. */
function chunks<T>(rows: T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(20_000 / columns));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

const q = (c: string) => `"${c}"`;

function upsertSql(table: string, columns: readonly string[], rows: number, keepOnUpdate: readonly string[]): string {
  const tuple = `(${columns.map(() => "?").join(",")})`;
  const updates = columns.filter((c) => c !== "id" && !keepOnUpdate.includes(c)).map((c) => `${q(c)}=excluded.${q(c)}`);
  return `INSERT INTO ${q(table)} (${columns.map(q).join(",")}) VALUES ${Array(rows).fill(tuple).join(",")} ON CONFLICT("id") DO UPDATE SET ${updates.join(",")}`;
}

function insertSql(table: string, columns: readonly string[], rows: number): string {
  const tuple = `(${columns.map(() => "?").join(",")})`;
  return `INSERT INTO ${q(table)} (${columns.map(q).join(",")}) VALUES ${Array(rows).fill(tuple).join(",")}`;
}

interface Statement {
  sql: string;
  values: unknown[];
}

/** The SQL for one batch: multi-row statements, each under SQLite's bound-parameter limit. */
function batchStatements(b: WriteBatch): Statement[] {
  const out: Statement[] = [];
  const rowsOf = <T>(table: string, columns: readonly string[], rows: T[], values: (row: T) => unknown[], sql = insertSql) => {
    for (const part of chunks(rows, columns.length)) out.push({ sql: sql(table, columns, part.length), values: part.flatMap(values) });
  };
  const upsert = (table: string, columns: readonly string[], n: number) => upsertSql(table, columns, n, ["createdAt"]);
  rowsOf("Task", TASK_COLUMNS, b.tasks, taskValues, upsert);
  const now = new Date();
  rowsOf("Agent", AGENT_COLUMNS, b.agents, (a) => [
    a.id, a.name, a.kind, a.status, json(a.capabilities), json(a.labels), json(a.channels), a.slots, a.version, a.cpu, a.memoryMb,
    date(a.lastHeartbeatAt), date(a.connectedAt), a.tokenId, a.credentialHash, now, now,
  ], upsert);
  rowsOf("TaskEvent", ["id", "taskId", "at", "type", "attempt", "agentId", "message"], b.history, (e) => [e.id, e.taskId, date(e.at), e.type, e.attempt, e.agentId, e.message]);
  rowsOf("TaskLog", ["id", "taskId", "attempt", "at", "stream", "line"], b.logs, (l) => [l.id, l.taskId, l.attempt, date(l.at), l.stream, l.line]);
  rowsOf("AgentSample", ["agentId", "at", "cpu", "memoryMb"], b.samples, (x) => [x.agentId, date(x.at), x.cpu, x.memoryMb]);
  rowsOf(
    "Message",
    ["id", "fromAgentId", "fromName", "toKind", "toValue", "threadId", "replyTo", "importance", "body", "data", "createdAt", "clientKey"],
    b.messages ?? [],
    (m) => [m.id, m.fromAgentId, m.fromName, m.toKind, m.toValue, m.threadId, m.replyTo, m.importance, m.body, m.data === undefined ? null : json(m.data), date(m.createdAt), m.clientKey ?? null],
  );
  rowsOf("MessageDelivery", ["agentId", "seq", "messageId", "createdAt"], b.deliveries ?? [], (d) => [d.agentId, d.seq, d.messageId, date(d.createdAt)]);
  rowsOf("Incident", ["at", "kind", "agentId", "taskId", "message"], b.incidents ?? [], (i) => [date(i.at), i.kind, i.agentId, i.taskId, i.message]);
  for (const a of b.acks ?? []) {
    out.push({
      sql: `INSERT INTO "Mailbox" ("agentId","ackedUpTo","ackedAt") VALUES (?,?,?) ON CONFLICT("agentId") DO UPDATE SET "ackedUpTo"=MAX("ackedUpTo",excluded."ackedUpTo"),"ackedAt"=excluded."ackedAt"`,
      values: [a.agentId, a.upTo, date(a.at)],
    });
  }
  return out;
}

/** A value as the Prisma adapter would bind it (dates as ISO-8601 with an offset, booleans as 0/1). */
function driverValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().replace("Z", "+00:00");
  if (typeof v === "boolean") return v ? 1 : 0;
  return v === undefined ? null : v;
}

const STATEMENT_CACHE = 128;

export class PrismaStore implements CoordinatorStore {
  /** Prepared statements by SQL text; batch sizes repeat, so most batches prepare nothing. */
  private prepared = new Map<string, BetterSqlite3.Statement>();

  constructor(
    private readonly db: Db,
    private readonly connection: DriverConnection = () => undefined,
  ) {}

  /**
   * One transaction per batch. The hot path runs it synchronously on the driver's connection
   * with cached statements — Prisma's per-statement work (argument mapping through its query
   * compiler) cost several times the SQLite work itself for large batches. When Prisma has a
   * transaction open on that connection (between its awaits), the batch goes through Prisma
   * instead, which queues it behind that transaction.
   */
  async write(b: WriteBatch): Promise<void> {
    const statements = batchStatements(b);
    if (statements.length === 0) return;
    const conn = this.connection();
    if (conn && !conn.inTransaction) {
      // Another process holding the database must not freeze the event loop here (this call is
      // synchronous): wait briefly, then fail and let the coordinator retry asynchronously —
      // agents keep being heard meanwhile, and nothing is acknowledged until the write lands.
      conn.pragma("busy_timeout = 50");
      try {
        conn.transaction(() => {
          for (const st of statements) this.statement(conn, st.sql).run(st.values.map(driverValue));
        })();
      } finally {
        conn.pragma("busy_timeout = 5000");
      }
      return;
    }
    await this.db.$transaction(statements.map((st) => this.db.$executeRawUnsafe(st.sql, ...st.values)));
  }

  private statement(conn: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement {
    let st = this.prepared.get(sql);
    if (st) {
      // Refresh its place so the cache drops the least recently used.
      this.prepared.delete(sql);
    } else {
      st = conn.prepare(sql);
      if (this.prepared.size >= STATEMENT_CACHE) this.prepared.delete(this.prepared.keys().next().value!);
    }
    this.prepared.set(sql, st);
    return st;
  }

  async findMessages(q: { agentId?: string; channel?: string; limit: number }) {
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

  /** Recent sends with an idempotency key: (sender, key) → what the first send answered. */
  async recentMessageKeys(since: number): Promise<{ sender: string; key: string; messageId: string; threadId: string; recipientIds: string[] }[]> {
    const rows = await this.db.message.findMany({
      where: { clientKey: { not: null }, createdAt: { gte: new Date(since) } },
      select: { id: true, threadId: true, clientKey: true, fromAgentId: true, fromName: true },
    });
    const deliveries = await this.db.messageDelivery.findMany({ where: { messageId: { in: rows.map((r) => r.id) } }, select: { messageId: true, agentId: true } });
    const to = new Map<string, string[]>();
    for (const d of deliveries) to.set(d.messageId, [...(to.get(d.messageId) ?? []), d.agentId]);
    return rows.map((r) => ({ sender: r.fromAgentId ?? `operator:${r.fromName}`, key: r.clientKey!, messageId: r.id, threadId: r.threadId, recipientIds: to.get(r.id) ?? [] }));
  }

  async loadMailboxes() {
    const [maxes, marks] = await Promise.all([this.db.messageDelivery.groupBy({ by: ["agentId"], _max: { seq: true } }), this.db.mailbox.findMany()]);
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
          return {
            agentId: p.agentId,
            seq: p.seq,
            message: { ...m, data: parse(m.data, null), createdAt: m.createdAt.getTime() },
          };
        }),
    };
  }

  async loadLive() {
    const [agents, tasks, maxEvent, maxLog] = await Promise.all([
      this.db.agent.findMany({ orderBy: { createdAt: "asc" } }),
      this.db.task.findMany({ where: { status: { in: ["queued", "assigned", "running"] } }, orderBy: { createdAt: "asc" } }),
      this.db.taskEvent.aggregate({ _max: { id: true } }),
      this.db.taskLog.aggregate({ _max: { id: true } }),
    ]);
    return {
      agents: agents.map(
        (a): AgentRow => ({
          id: a.id,
          name: a.name,
          kind: a.kind as AgentKind,
          status: a.status,
          capabilities: parse<Capability[]>(a.capabilities, []),
          labels: parse<Record<string, string>>(a.labels, {}),
          channels: parse<string[]>(a.channels, []),
          slots: a.slots,
          version: a.version,
          cpu: a.cpu,
          memoryMb: a.memoryMb,
          lastHeartbeatAt: ms(a.lastHeartbeatAt),
          connectedAt: ms(a.connectedAt),
          tokenId: a.tokenId,
          credentialHash: a.credentialHash,
        }),
      ),
      tasks: tasks.map(taskFromRow),
      maxEventId: maxEvent._max.id ?? 0,
      maxLogId: maxLog._max.id ?? 0,
    };
  }

  async loadOutcomes(since: number) {
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

  async getTask(id: string) {
    const r = await this.db.task.findUnique({ where: { id } });
    return r ? taskFromRow(r) : null;
  }

  async getTaskByIdempotencyKey(key: string) {
    const r = await this.db.task.findUnique({ where: { idempotencyKey: key } });
    return r ? taskFromRow(r) : null;
  }

  async findTasks(query: TaskQuery) {
    const where: Prisma.TaskWhereInput = {};
    if (query.status) where.status = query.status;
    if (query.agentId) where.agentId = query.agentId;
    if (query.search) where.OR = [{ title: { contains: query.search } }, { id: { startsWith: query.search } }];
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

  async taskEvents(taskId: string, limit: number): Promise<Omit<TaskEventView, "agentName">[]> {
    const rows = await this.db.taskEvent.findMany({ where: { taskId }, orderBy: { id: "asc" }, take: limit });
    return rows.map((e) => ({
      id: e.id,
      taskId: e.taskId,
      at: e.at.getTime(),
      type: e.type as TaskEventType,
      attempt: e.attempt,
      agentId: e.agentId,
      message: e.message,
    }));
  }

  /** The newest `limit` lines, returned oldest first. */
  async taskLogs(taskId: string, limit: number): Promise<TaskLogLine[]> {
    const rows = await this.db.taskLog.findMany({ where: { taskId }, orderBy: { id: "desc" }, take: limit });
    return rows.reverse().map((l) => ({ taskId: l.taskId, attempt: l.attempt, at: l.at.getTime(), stream: l.stream as LogStream, line: l.line }));
  }

  async agentSamples(agentId: string, since: number): Promise<ResourceSample[]> {
    const rows = await this.db.agentSample.findMany({ where: { agentId, at: { gte: new Date(since) } }, orderBy: { at: "asc" }, take: 2000 });
    return rows.map((s) => ({ at: s.at.getTime(), cpu: s.cpu, memoryMb: s.memoryMb }));
  }

  async createToken(t: TokenRow) {
    await this.db.apiToken.create({
      data: {
        id: t.id,
        name: t.name,
        hash: t.hash,
        prefix: t.prefix,
        scope: t.scope,
        createdAt: new Date(t.createdAt),
        expiresAt: date(t.expiresAt),
      },
    });
  }

  async findTokens() {
    const rows = await this.db.apiToken.findMany({ orderBy: { createdAt: "desc" } });
    return rows.map(tokenView);
  }

  async tokenByHash(hash: string): Promise<TokenRow | null> {
    const r = await this.db.apiToken.findUnique({ where: { hash } });
    return r ? { ...tokenView(r), hash: r.hash } : null;
  }

  async revokeToken(id: string, at: number) {
    const r = await this.db.apiToken.findUnique({ where: { id } });
    if (!r) return null;
    const u = r.revokedAt ? r : await this.db.apiToken.update({ where: { id }, data: { revokedAt: new Date(at) } });
    return tokenView(u);
  }

  async touchToken(id: string, at: number) {
    await this.db.apiToken.update({ where: { id }, data: { lastUsedAt: new Date(at) } });
  }

  async prune(before: number) {
    const cutoff = new Date(before);
    const [s, l] = await this.db.$transaction([
      this.db.agentSample.deleteMany({ where: { at: { lt: cutoff } } }),
      this.db.$executeRawUnsafe(
        `DELETE FROM "TaskLog" WHERE "taskId" IN (SELECT "id" FROM "Task" WHERE "finishedAt" < ?)`,
        cutoff,
      ),
    ]);
    return s.count + (l as number);
  }

  async close() {
    await this.db.$disconnect();
  }
}
