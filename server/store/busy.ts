// A locked database delays writes, never the event loop. SQLite connections wait at most a few
// milliseconds for a lock (busy_timeout, set in db.ts): better-sqlite3 waits synchronously, so
// a long timeout would freeze every agent's heartbeat while another process holds the file.
// A write that finds the database busy fails fast and is retried here, asynchronously, with
// backoff — other work goes on meanwhile.
import { log } from "@/server/log";

const MAX_WAIT_MS = 30_000;

/**
 * PostgreSQL's SQLSTATEs that a retry can fix: a serialization failure or deadlock (the other
 * transaction won), a lock not available, too many connections, the server shutting down or
 * restarting (57P01–03), and the whole connection-exception class (08…).
 */
const PG_RETRYABLE = /^(40001|40P01|55P03|53300|57P0[123]|08\w{3})$/;

/** SQLite's "database is locked" (or PostgreSQL's retryable errors) in any of the shapes the drivers and Prisma report it. */
export function isBusy(e: unknown): boolean {
  const x = e as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } }; message?: unknown } | null;
  if (!x) return false;
  if (x.code === "SQLITE_BUSY" || x.code === "SQLITE_LOCKED") return true;
  const cause = x.meta?.driverAdapterError?.cause?.originalCode;
  if (cause === "SQLITE_BUSY" || cause === "SQLITE_LOCKED") return true;
  // `pg` errors carry the SQLSTATE as `code`; through Prisma's adapter it is the cause's originalCode.
  if ((typeof x.code === "string" && PG_RETRYABLE.test(x.code)) || (typeof cause === "string" && PG_RETRYABLE.test(cause))) return true;
  return typeof x.message === "string" && /database is locked|database table is locked/.test(x.message);
}

export async function withBusyRetry<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isBusy(e) || Date.now() - started > MAX_WAIT_MS) throw e;
      const delay = Math.min(1_000, 25 * 2 ** attempt);
      if (attempt === 3) log.warn("database busy; retrying", { what, waitedMs: Date.now() - started });
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
