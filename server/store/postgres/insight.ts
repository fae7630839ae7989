// Analytics history on PostgreSQL: rollups summed by the engine and read as arrays, occurrences,
// and pruning in small batches — sqlite/insight.ts's SQL in PostgreSQL's dialect (`$n`, casts as
// `::int`, no index hints: the planner has statistics; DELETE has no LIMIT, so each delete names
// its rows by key through a limited sub-select). Error groups, workflow statistics and meta
// values are the Prisma calls both stores share (prisma/insight-records.ts).
import type pg from "pg";
import { COUNTER_FIELDS, DIMENSIONS, bucketSize, type Dimension } from "@/server/core/insight/rollup";
import type { ErrorOccurrenceRow, InsightRepository, Retention, RollupQuery, RollupRow } from "../ports";
import type { PrismaModels } from "../prisma/client";
import { PrismaInsightRecords, occurrenceFromRow } from "../prisma/insight-records";
import { withBusyRetry } from "../busy";
import { ROLLUP_COUNTER_COLUMNS, countersFromValues, toMinutes } from "../sqlite/columns";
import { PgReads } from "./reads";

/** Error groups, workflow statistics and meta values are the Prisma calls shared with SQLite (PrismaInsightRecords). */
export class PostgresInsight extends PrismaInsightRecords implements InsightRepository {
  private readonly reads: PgReads;

  constructor(db: PrismaModels, pool: pg.Pool) {
    super(db);
    this.reads = new PgReads(pool, "insight");
  }

  async rollups(q: RollupQuery): Promise<RollupRow[]> {
    if (q.dims.length === 0) return [];
    const from = toMinutes(q.from);
    const step = q.stepMs == null ? null : q.stepMs / 60_000;
    if (step != null && !(Number.isInteger(step) && step > 0)) throw new Error(`rollups: stepMs must be a whole number of minutes, not ${q.stepMs}`);
    const params: unknown[] = [];
    const p = (v: unknown) => (params.push(v), `$${params.length}`);
    const grouped = step != null && !(step * 60_000 === bucketSize(q.granularity) && from % step === 0);
    // Integer division of integers: the point (in minutes) each bucket falls in.
    const point = grouped ? `(("bucket" - ${p(from)}::int) / ${p(step)}::int) * ${p(step)}::int + ${p(from)}::int` : `"bucket"`;
    const columns = q.histograms === false ? COUNTER_FIELDS : ROLLUP_COUNTER_COLUMNS;
    const where = [`"granularity" = ${p(q.granularity)}`, `"dim" IN (${q.dims.map((d) => p(d)).join(",")})`, `"bucket" >= ${p(from)}`, `"bucket" < ${p(toMinutes(q.to))}`];
    if (q.keys?.length) where.push(`"key" IN (${q.keys.map((k) => p(k)).join(",")})`);
    let having = "";
    if (q.minUtilisation != null) {
      const u = p(q.minUtilisation);
      if (grouped) having = ` HAVING SUM("availMs") > 0 AND SUM("busyMs") >= ${u}::float8 * SUM("availMs")`;
      else where.push(`"availMs" > 0 AND "busyMs" >= ${u}::float8 * "availMs"`);
    }
    const sql =
      `SELECT "dim", "key", ${point} AS "point", ${columns.map((c) => (grouped ? `SUM("${c}")` : `"${c}"`)).join(", ")} FROM "Rollup" WHERE ${where.join(" AND ")}` +
      `${grouped ? ` GROUP BY "dim", "key", "point"${having}` : ""} ORDER BY "point", "dim" COLLATE "C", "key" COLLATE "C"`;
    // SUMs of integers are bigint, which `pg` hands over as text: countersFromValues takes Number() of each.
    const rows = await this.reads.rows(sql, params);
    return rows.map((r) => ({ granularity: q.granularity, bucket: Number(r[2]) * 60_000, dim: r[0] as Dimension, key: String(r[1]), counters: countersFromValues(r, 3, q.histograms !== false) }));
  }

  async occurrences(q: { groupId?: string; since: number; limit: number }): Promise<ErrorOccurrenceRow[]> {
    const since = new Date(q.since).toISOString();
    const rows = await this.reads.all(
      `SELECT * FROM "ErrorOccurrence" WHERE ${q.groupId ? `"groupId" = $1 AND "at" >= $2 ORDER BY "at" DESC LIMIT $3` : `"at" >= $1 ORDER BY "at" DESC LIMIT $2`}`,
      q.groupId ? [q.groupId, since, q.limit] : [since, q.limit],
    );
    return rows.map(occurrenceFromRow);
  }

  async prune(r: Retention, now: number, batch: number): Promise<number> {
    let n = 0;
    const del = async (sql: string, ...params: unknown[]) => {
      n += await withBusyRetry("prune", () => this.reads.run(sql, params));
    };
    const before = (ms: number | null) => (ms == null ? null : new Date(now - ms).toISOString());
    const logs = before(r.logsMs);
    if (logs) await del(`DELETE FROM "TaskLog" WHERE "id" IN (SELECT l."id" FROM "TaskLog" l JOIN "Task" t ON t."id" = l."taskId" WHERE t."finishedAt" < $1 LIMIT $2)`, logs, batch);
    const tasks = before(r.tasksMs);
    if (tasks) {
      await del(`DELETE FROM "TaskEvent" WHERE "id" IN (SELECT e."id" FROM "TaskEvent" e JOIN "Task" t ON t."id" = e."taskId" WHERE t."finishedAt" < $1 LIMIT $2)`, tasks, batch);
      await del(`DELETE FROM "Task" WHERE "id" IN (SELECT "id" FROM "Task" WHERE "finishedAt" < $1 AND NOT EXISTS (SELECT 1 FROM "TaskEvent" e WHERE e."taskId" = "Task"."id") LIMIT $2)`, tasks, batch);
      await del(`DELETE FROM "ErrorOccurrence" WHERE "id" IN (SELECT "id" FROM "ErrorOccurrence" WHERE "at" < $1 LIMIT $2)`, tasks, batch);
      await del(`DELETE FROM "ErrorGroup" WHERE "id" IN (SELECT "id" FROM "ErrorGroup" WHERE "lastSeen" < $1 LIMIT $2)`, tasks, batch);
    }
    const samples = before(r.samplesMs);
    if (samples) await del(`DELETE FROM "AgentSample" WHERE "id" IN (SELECT "id" FROM "AgentSample" WHERE "at" < $1 LIMIT $2)`, samples, batch);
    // Every dimension named, so that the (granularity, dim, bucket) index finds the oldest rows directly.
    const dims = DIMENSIONS.map((d) => `'${d}'`).join(",");
    const rollupKey = `("granularity","dim","key","bucket")`;
    if (r.minuteRollupsMs != null)
      await del(`DELETE FROM "Rollup" WHERE ${rollupKey} IN (SELECT "granularity","dim","key","bucket" FROM "Rollup" WHERE "granularity" = 'minute' AND "dim" IN (${dims}) AND "bucket" < $1 LIMIT $2)`, toMinutes(now - r.minuteRollupsMs), batch);
    if (r.rollupsMs != null)
      await del(`DELETE FROM "Rollup" WHERE ${rollupKey} IN (SELECT "granularity","dim","key","bucket" FROM "Rollup" WHERE "granularity" IN ('minute','hour','day') AND "dim" IN (${dims}) AND "bucket" < $1 LIMIT $2)`, toMinutes(now - r.rollupsMs), batch);
    return n;
  }
}
