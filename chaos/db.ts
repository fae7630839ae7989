// The harness's two ways into the server's SQLite file:
// - DbReader: a read-only connection for the invariant checks. The verdict comes from what is
//   durably stored, not from what the API says, because "every task ended exactly once" is a
//   claim about the history rows.
// - holdExclusive: a second writer that takes the database lock and keeps it, to make the
//   server's writes wait (scenario 4, "the database is busy").
import Database from "better-sqlite3";
import path from "node:path";
import type { EventRow, RunRow, StepRow, TaskRow } from "./invariants";

export const dbFile = (dataDir: string) => path.join(dataDir, "switchboard.db");

/** The store writes dates as ISO text ("…+00:00"); Prisma may write epoch ms. Both become ms. */
export function toMs(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Date) return v.getTime();
  const n = Date.parse(String(v));
  return Number.isNaN(n) ? 0 : n;
}

// Only the event types the checks need: `progress` rows can be many.
const EVENT_TYPES = ["assigned", "succeeded", "failed", "dead", "canceled", "lease_expired", "released", "report_rejected", "requeued", "stuck"];

export interface Snapshot {
  tasks: TaskRow[];
  events: EventRow[];
  runs: RunRow[];
  steps: StepRow[];
  /** body → how many Message rows carry it (only bodies with the given prefix). */
  messageBodies: Map<string, number>;
  agents: { id: string; name: string; status: string }[];
}

/**
 * Short-lived read-only connections: each read opens the file, reads, and closes it again.
 * A connection kept open would itself break the server — `prisma migrate deploy`, which the
 * server runs at every start, takes `locking_mode=EXCLUSIVE` and fails while any other
 * connection has read the WAL database (see the report; scenario 2 checks that case on
 * purpose). The harness must observe the product, not be the reason it fails to start.
 */
export class DbReader {
  constructor(private readonly file: string) {}

  private with<T>(fn: (db: Database.Database) => T): T {
    for (let attempt = 1; ; attempt++) {
      let db: Database.Database | null = null;
      try {
        // readonly: the harness is never the reason a write fails (scenario 4 aside).
        db = new Database(this.file, { readonly: true, fileMustExist: true, timeout: 2000 });
        return fn(db);
      } catch (e) {
        // The server's start takes an exclusive lock for a moment (migrations): try again.
        if (attempt >= 5 || !/SQLITE_BUSY|database is locked/i.test(`${(e as { code?: string }).code} ${(e as Error).message}`)) throw e;
      } finally {
        db?.close();
      }
    }
  }

  snapshot(messagePrefix: string): Snapshot {
    // One read transaction, so tasks, events and runs are of the same moment.
    return this.with((db) => this.read(db, messagePrefix));
  }

  private read(db: Database.Database, messagePrefix: string): Snapshot {
    return db.transaction(() => {
      const tasks = db.prepare(`SELECT id, status, idempotencyKey, runId, stepId, attempt, failures, maxAttempts, agentId FROM "Task"`).all() as TaskRow[];
      const events = (
        db
          .prepare(`SELECT id, taskId, type, at, attempt, agentId, message FROM "TaskEvent" WHERE type IN (${EVENT_TYPES.map(() => "?").join(",")})`)
          .all(...EVENT_TYPES) as (Omit<EventRow, "at"> & { at: unknown })[]
      ).map((e) => ({ ...e, at: toMs(e.at) }));
      const runs = db.prepare(`SELECT id, status, templateName, triggeredBy FROM "WorkflowRun"`).all() as RunRow[];
      const steps = db.prepare(`SELECT runId, stepId, status FROM "WorkflowStep"`).all() as StepRow[];
      const bodies = db.prepare(`SELECT body, COUNT(*) AS n FROM "Message" WHERE body LIKE ? GROUP BY body`).all(`${messagePrefix}%`) as { body: string; n: number }[];
      const agents = db.prepare(`SELECT id, name, status FROM "Agent"`).all() as { id: string; name: string; status: string }[];
      return { tasks, events, runs, steps, messageBodies: new Map(bodies.map((b) => [b.body, b.n])), agents };
    })();
  }

  /** Unfinished tasks held by agents now (durable state: an assignment is sent only once it is stored). */
  held(): { id: string; attempt: number; agentId: string; idempotencyKey: string | null }[] {
    return this.with(
      (db) =>
        db.prepare(`SELECT id, attempt, agentId, idempotencyKey FROM "Task" WHERE status IN ('assigned','running') AND agentId IS NOT NULL`).all() as {
          id: string;
          attempt: number;
          agentId: string;
          idempotencyKey: string | null;
        }[],
    );
  }

  /** name → id of every agent. */
  agentIds(): Map<string, string> {
    return this.with((db) => new Map((db.prepare(`SELECT name, id FROM "Agent"`).all() as { name: string; id: string }[]).map((r) => [r.name, r.id])));
  }

  /** A sample of real ids for the fuzzer (see fuzz.ts for where it may use them). */
  ids(limit = 40): { tasks: string[]; agents: string[]; runs: string[]; templates: string[] } {
    return this.with((db) => {
      const col = (sql: string) => (db.prepare(sql).all(limit) as { v: string }[]).map((r) => r.v);
      return {
      tasks: col(`SELECT id AS v FROM "Task" ORDER BY createdAt DESC LIMIT ?`),
      agents: col(`SELECT id AS v FROM "Agent" ORDER BY updatedAt DESC LIMIT ?`),
      runs: col(`SELECT id AS v FROM "WorkflowRun" ORDER BY createdAt DESC LIMIT ?`),
        templates: col(`SELECT name AS v FROM "WorkflowTemplate" LIMIT ?`),
      };
    });
  }
}

/**
 * Takes SQLite's write lock (BEGIN EXCLUSIVE) and holds it for `ms`, then commits. Waits up to
 * 5 s to get the lock (the server's own transactions are milliseconds). Returns when released.
 */
export async function holdExclusive(file: string, ms: number): Promise<{ acquiredAt: number; releasedAt: number }> {
  const db = new Database(file, { fileMustExist: true, timeout: 5000 });
  try {
    db.exec("BEGIN EXCLUSIVE");
    const acquiredAt = Date.now();
    await new Promise((r) => setTimeout(r, ms));
    db.exec("COMMIT");
    return { acquiredAt, releasedAt: Date.now() };
  } finally {
    db.close();
  }
}
