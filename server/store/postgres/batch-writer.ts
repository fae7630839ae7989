// The group commit on PostgreSQL: the same statements as SQLite's (sqlite/batch-writer.ts builds
// them from the column tables, once, for any dialect) in PostgreSQL's dialect — `$n`
// placeholders, GREATEST. A usual batch goes as one statement (its INSERTs as data-modifying
// WITH parts: atomic, one round trip); the rare others in one transaction on one pooled
// connection, each a named prepared statement.
import type pg from "pg";
import type { BatchWriter, WriteBatch } from "../ports";
import { batchStatements, type Dialect } from "../sqlite/batch-writer";
import { toMinutes } from "../sqlite/columns";
import { FencedError, fenceSql, isFenceFailure, type Fence } from "./fence";
import { inTransaction } from "./db";
import { addCounters, type Counters, type RollupKey } from "@/server/core/insight/rollup";

/**
 * PostgreSQL: `$n` placeholders, GREATEST(). The protocol's limit is 65,535 bound parameters
 * per statement. Dates are bound as ISO text (with their zone, into timestamptz: the instant
 * whatever the server's or the process's TZ); booleans and numbers as `pg` sends them.
 *
 * PostgreSQL's text cannot hold U+0000 ("invalid byte sequence for encoding UTF8: 0x00"), which
 * SQLite stores as it is: an agent printing binary output would have its log line — or a task
 * whose title carries one, its whole submission — refused. Such a character is stored as U+FFFD,
 * the replacement character. (JSON columns never hold one raw: JSON.stringify escapes it.)
 */
export const postgresDialect: Dialect = {
  param: (n) => `$${n}`,
  greatest: (a, b) => `GREATEST(${a},${b})`,
  maxParams: 65_535,
  bind: (v) => {
    if (typeof v === "string") return v.indexOf("\0") === -1 ? v : v.replaceAll("\0", "\uFFFD");
    return v instanceof Date ? v.toISOString() : v === undefined ? null : v;
  },
};

/**
 * One row per key within a batch. SQLite takes a multi-row upsert that names a row twice (the
 * later one wins, or is added, row by row); PostgreSQL refuses it ("ON CONFLICT DO UPDATE
 * command cannot affect row a second time"), which would fail the whole batch. So: the last
 * state of a task, agent or error group wins, and rollup increments of one key are added up —
 * what SQLite stores for the same batch.
 */
export function oneRowPerKey(b: WriteBatch): WriteBatch {
  const lastById = <T extends { id: string }>(rows: T[] | undefined): T[] | undefined => {
    if (!rows || rows.length < 2) return rows;
    const ids = new Set(rows.map((r) => r.id));
    if (ids.size === rows.length) return rows;
    const last = new Map<string, T>();
    for (const r of rows) {
      last.delete(r.id);
      last.set(r.id, r);
    }
    return [...last.values()];
  };
  let rollups = b.rollups;
  if (rollups && rollups.length > 1) {
    const key = (k: RollupKey) => `${k.granularity}|${toMinutes(k.bucket)}|${k.dim}|${k.key}`;
    if (new Set(rollups.map((r) => key(r.key))).size !== rollups.length) {
      const summed = new Map<string, { key: RollupKey; counters: Counters }>();
      for (const r of rollups) {
        const k = key(r.key);
        const have = summed.get(k);
        if (have) addCounters(have.counters, r.counters);
        else summed.set(k, { key: r.key, counters: structuredClone(r.counters) });
      }
      rollups = [...summed.values()];
    }
  }
  // Acks are cumulative: of several for one mailbox, the highest watermark counts, and the last one's time (as SQLite, applying them in order, stores).
  let acks = b.acks;
  if (acks && acks.length > 1 && new Set(acks.map((a) => a.agentId)).size !== acks.length) {
    const best = new Map<string, { agentId: string; upTo: number; at: number }>();
    for (const a of acks) {
      const have = best.get(a.agentId);
      best.set(a.agentId, have ? { agentId: a.agentId, upTo: Math.max(have.upTo, a.upTo), at: a.at } : a);
    }
    acks = [...best.values()];
  }
  return { ...b, tasks: lastById(b.tasks)!, agents: lastById(b.agents)!, errorGroups: lastById(b.errorGroups), rollups, acks };
}

/**
 * Up to how many bound parameters a batch goes as one statement. Parsed and planned on every
 * write (it cannot stay prepared), a big one costs more than the round trips it saves: 60 rollup
 * rows (10,000 parameters) took 62–69 ms a batch as one statement against 10–14 ms as prepared
 * statements in a transaction; 34 tasks with their history (1,400) are faster as one.
 */
const COMBINE_MAX_PARAMS = 4_000;
const COMBINED_NAMES = 256;

export class PostgresBatchWriter implements BatchWriter {
  /** Prepared statements' names by SQL text (the texts are built once per shape: a few dozen). */
  private names = new Map<string, string>();
  private combined = new Map<string, string>();

  constructor(
    private readonly pool: pg.Pool,
    /** A replica that leads: every batch carries its epoch and is refused once another leads. */
    private readonly fence?: Fence,
  ) {}

  async write(b: WriteBatch): Promise<void> {
    if (!this.fence) return this.writeBatch(b);
    try {
      return await this.writeBatch(b);
    } catch (e) {
      if (!isFenceFailure(e)) throw e;
      this.fence.onLost(`a group commit in epoch ${this.fence.epoch} was refused`);
      throw new FencedError(this.fence.epoch);
    }
  }

  private async writeBatch(b: WriteBatch): Promise<void> {
    const batch = oneRowPerKey(b);
    const statements = batchStatements(batch, postgresDialect);
    if (statements.length === 0) return;
    const params = statements.reduce((n, st) => n + st.values.length, 0);
    // The usual batch — a few dozen tasks with their history, logs, agents and rollups — is one
    // statement: each INSERT a data-modifying WITH of a single statement, which PostgreSQL runs
    // atomically on its own. One round trip instead of one per statement plus BEGIN and COMMIT:
    // on a busy 2-core machine each round trip is two context switches, and they were most of a
    // batch's time (write p50 ≈ 9–13 ms as separate statements). The parts touch different rows
    // (one row per key, above); a batch that also deletes agents (their samples and rows, which
    // other parts may write), is large (COMBINE_MAX_PARAMS), or splits incidents over several
    // INSERTs (see `ordered`) goes statement by statement. The one statement is not named: its
    // parts combine into too many shapes to keep each prepared on every connection.
    if (statements.length > 1 && params <= COMBINE_MAX_PARAMS && !batch.forgottenAgents?.length && !ordered(statements)) {
      let offset = 0;
      const parts = statements.map((st, i) => {
        const at = offset;
        offset += st.values.length;
        return `w${i} AS (${at === 0 ? st.sql : st.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + at}`)})`;
      });
      const values = statements.flatMap((st) => st.values.map(postgresDialect.bind));
      let text = `WITH ${parts.join(", ")} SELECT 1`;
      if (this.fence) {
        // The fence is one more part; a statement fails as a whole, so a refused one writes nothing.
        const f = fenceSql(offset + 1, offset + 2);
        text = `WITH ${f.cte}, ${parts.join(", ")} ${f.check}`;
        values.push(this.fence.holder, this.fence.epoch);
      }
      const name = this.combinedName(text);
      await this.pool.query({ ...(name ? { name } : {}), text, values });
      return;
    }
    await inTransaction(this.pool, async (client) => {
      if (this.fence) {
        const f = fenceSql(1, 2);
        await client.query({ name: "sb_fence", text: `WITH ${f.cte} ${f.check}`, values: [this.fence.holder, this.fence.epoch] });
      }
      for (const st of statements) await client.query({ name: this.nameOf(st.sql), text: st.sql, values: st.values.map(postgresDialect.bind) });
    });
  }

  /** Combined texts repeat as batch shapes do; the first COMBINED_NAMES stay prepared, later ones are parsed each time. */
  private combinedName(text: string): string | undefined {
    let name = this.combined.get(text);
    if (!name && this.combined.size < COMBINED_NAMES) this.combined.set(text, (name = `sb_combined_${this.combined.size + 1}`));
    return name;
  }

  private nameOf(sql: string): string {
    let name = this.names.get(sql);
    if (!name) {
      name = `sb_batch_${this.names.size + 1}`;
      this.names.set(sql, name);
    }
    return name;
  }
}

/**
 * Whether the statements must run in their order: the parts of one statement run in no order
 * PostgreSQL promises, and incidents take their ids from a sequence as they are inserted — the
 * timeline reads newest first by id, so incidents split over two INSERTs (3 rows are 2 + 1)
 * must be inserted one INSERT after the other. (Other tables carry their ids, or are read by time.)
 */
function ordered(statements: { sql: string }[]): boolean {
  let incidents = 0;
  for (const st of statements) if (st.sql.startsWith(`INSERT INTO "Incident"`) && ++incidents > 1) return true;
  return false;
}
