// Analytics history on SQLite: rollups read straight from the driver (thousands of wide rows
// in a query — through Prisma's row mapping that is several times the SQL's cost), error
// groups and occurrences, workflow statistics, and pruning in small batches.
import type BetterSqlite3 from "better-sqlite3";
import { COUNTER_FIELDS, DIMENSIONS, bucketSize, type Dimension } from "@/server/core/insight/rollup";
import type { Db, DriverConnection } from "../db";
import type { ErrorOccurrenceRow, InsightRepository, Retention, RollupQuery, RollupRow } from "../ports";
import { withBusyRetry } from "../busy";
import { ROLLUP_COUNTER_COLUMNS, countersFromValues, toMinutes } from "./columns";
import { PrismaInsightRecords, occurrenceFromRow } from "../prisma/insight-records";

/** Error groups, workflow statistics and meta values are the Prisma calls shared with PostgreSQL (PrismaInsightRecords). */
export class SqliteInsight extends PrismaInsightRecords implements InsightRepository {
  private statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    private readonly db: Db,
    private readonly connection: DriverConnection,
  ) {
    super(db);
  }

  /** Runs a read on the driver when it is there (fast, and reads never wait for locks in WAL), else through Prisma. */
  private async all(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    const conn = this.connection();
    if (conn) {
      let st = this.statements.get(sql);
      if (!st) {
        st = conn.prepare(sql);
        if (this.statements.size > 64) this.statements.clear();
        this.statements.set(sql, st);
      }
      return st.all(...params) as Record<string, unknown>[];
    }
    return this.db.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...params);
  }

  /** As `all`, each row an array of its columns in SELECT order (no object per row: rollup rows are wide). */
  private async rows(sql: string, params: unknown[]): Promise<unknown[][]> {
    const conn = this.connection();
    if (conn) {
      const k = `raw:${sql}`;
      let st = this.statements.get(k);
      if (!st) {
        st = conn.prepare(sql).raw(true);
        if (this.statements.size > 64) this.statements.clear();
        this.statements.set(k, st);
      }
      return st.all(...params) as unknown[][];
    }
    return (await this.db.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...params)).map((r) => Object.values(r));
  }

  async rollups(q: RollupQuery): Promise<RollupRow[]> {
    if (q.dims.length === 0) return [];
    const from = toMinutes(q.from);
    const step = q.stepMs == null ? null : q.stepMs / 60_000;
    if (step != null && !(Number.isInteger(step) && step > 0)) throw new Error(`rollups: stepMs must be a whole number of minutes, not ${q.stepMs}`);
    // Rows as stored need no grouping; otherwise the point a row falls in, in minutes (integer division: bound as INTEGERs).
    const grouped = step != null && !(step * 60_000 === bucketSize(q.granularity) && from % step === 0);
    const point = grouped ? `(("bucket" - CAST(? AS INTEGER)) / CAST(? AS INTEGER)) * CAST(? AS INTEGER) + CAST(? AS INTEGER)` : `"bucket"`;
    const columns = q.histograms === false ? COUNTER_FIELDS : ROLLUP_COUNTER_COLUMNS;
    const params: unknown[] = [...(grouped ? [from, step, step, from] : []), q.granularity, ...q.dims, from, toMinutes(q.to)];
    let keyClause = "";
    if (q.keys?.length) {
      keyClause = ` AND "key" IN (${q.keys.map(() => "?").join(",")})`;
      params.push(...q.keys);
    }
    let busyClause = "";
    if (q.minUtilisation != null) {
      busyClause = grouped ? ` HAVING SUM("availMs") > 0 AND SUM("busyMs") >= ? * SUM("availMs")` : ` AND "availMs" > 0 AND "busyMs" >= ? * "availMs"`;
      if (!grouped) keyClause += busyClause;
      params.push(q.minUtilisation);
    }
    // Summed by the engine: a row of 170 columns costs far more to hand to JavaScript than to add up.
    // The time index, named: without statistics the planner picks the primary key to save the
    // GROUP BY's sort and then walks every bucket of every key of the dimension.
    const rows = await this.rows(
      `SELECT "dim", "key", ${point} AS "point", ${columns.map((c) => (grouped ? `SUM("${c}")` : `"${c}"`)).join(", ")} FROM "Rollup" INDEXED BY "Rollup_granularity_dim_bucket_idx" WHERE "granularity" = ? AND "dim" IN (${q.dims.map(() => "?").join(",")}) AND "bucket" >= ? AND "bucket" < ?${keyClause}${grouped ? ` GROUP BY "dim", "key", "point"${busyClause}` : ""} ORDER BY "point", "dim", "key"`,
      params,
    );
    return rows.map((r) => ({ granularity: q.granularity, bucket: Number(r[2]) * 60_000, dim: r[0] as Dimension, key: String(r[1]), counters: countersFromValues(r, 3, q.histograms !== false) }));
  }

  async occurrences(q: { groupId?: string; since: number; limit: number }): Promise<ErrorOccurrenceRow[]> {
    // Dates are stored as the adapter writes them (ISO text, +00:00), so they compare as text.
    const since = new Date(q.since).toISOString().replace("Z", "+00:00");
    const rows = await this.all(
      `SELECT * FROM "ErrorOccurrence" WHERE ${q.groupId ? `"groupId" = ? AND ` : ""}"at" >= ? ORDER BY "at" DESC LIMIT ?`,
      q.groupId ? [q.groupId, since, q.limit] : [since, q.limit],
    );
    return rows.map(occurrenceFromRow);
  }

  async prune(r: Retention, now: number, batch: number): Promise<number> {
    let n = 0;
    const del = async (sql: string, ...params: unknown[]) => {
      n += Number(await withBusyRetry("prune", () => this.db.$executeRawUnsafe(sql, ...params)));
    };
    const before = (ms: number | null) => (ms == null ? null : new Date(now - ms));
    // Logs of finished tasks, then the tasks themselves (with their history), samples, rollups, errors.
    const logs = before(r.logsMs);
    if (logs) await del(`DELETE FROM "TaskLog" WHERE "id" IN (SELECT l."id" FROM "TaskLog" l JOIN "Task" t ON t."id" = l."taskId" WHERE t."finishedAt" < ? LIMIT ?)`, logs, batch);
    const tasks = before(r.tasksMs);
    if (tasks) {
      await del(`DELETE FROM "TaskEvent" WHERE "id" IN (SELECT e."id" FROM "TaskEvent" e JOIN "Task" t ON t."id" = e."taskId" WHERE t."finishedAt" < ? LIMIT ?)`, tasks, batch);
      await del(`DELETE FROM "Task" WHERE "id" IN (SELECT "id" FROM "Task" WHERE "finishedAt" < ? AND NOT EXISTS (SELECT 1 FROM "TaskEvent" e WHERE e."taskId" = "Task"."id") LIMIT ?)`, tasks, batch);
      await del(`DELETE FROM "ErrorOccurrence" WHERE "id" IN (SELECT "id" FROM "ErrorOccurrence" WHERE "at" < ? LIMIT ?)`, tasks, batch);
      await del(`DELETE FROM "ErrorGroup" WHERE "id" IN (SELECT "id" FROM "ErrorGroup" WHERE "lastSeen" < ? LIMIT ?)`, tasks, batch);
    }
    const samples = before(r.samplesMs);
    if (samples) await del(`DELETE FROM "AgentSample" WHERE "id" IN (SELECT "id" FROM "AgentSample" WHERE "at" < ? LIMIT ?)`, samples, batch);
    // Every dimension named, so that the (granularity, dim, bucket) index finds the oldest rows directly.
    const dims = DIMENSIONS.map((d) => `'${d}'`).join(",");
    if (r.minuteRollupsMs != null)
      await del(`DELETE FROM "Rollup" WHERE rowid IN (SELECT rowid FROM "Rollup" WHERE "granularity" = 'minute' AND "dim" IN (${dims}) AND "bucket" < ? LIMIT ?)`, toMinutes(now - r.minuteRollupsMs), batch);
    if (r.rollupsMs != null)
      await del(`DELETE FROM "Rollup" WHERE rowid IN (SELECT rowid FROM "Rollup" WHERE "granularity" IN ('minute','hour','day') AND "dim" IN (${dims}) AND "bucket" < ? LIMIT ?)`, toMinutes(now - r.rollupsMs), batch);
    return n;
  }
}
