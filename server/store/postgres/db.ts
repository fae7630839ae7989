// The PostgreSQL connection: one `pg` pool shared by Prisma (through @prisma/adapter-pg, JS
// engines, no native Prisma engine) and the raw SQL paths (the group commit, the hot reads),
// and the migrations (prisma/postgresql/migrations) applied with the real Prisma CLI.
import fs from "node:fs";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma-pg/client";

export type PgDb = PrismaClient;

/**
 * Connections per process. The coordinator's group commit holds one at a time (batches are
 * written one after another), and Prisma's calls — API and dashboard reads, the few interactive
 * transactions (templates, workflow statistics) — take the rest. The work behind them is CPU on
 * the database's side: on the small machines this runs on (2 cores) more than a handful of
 * active connections only queue inside PostgreSQL, each costing its memory. Eight leaves the
 * commit a connection while a burst of reads runs, and keeps several replicas far below
 * PostgreSQL's default max_connections (100). A checkout waits at most CONNECT_TIMEOUT_MS, so a
 * pool exhausted by a stuck query fails calls rather than hanging them.
 */
export const POOL_SIZE = 8;
const CONNECT_TIMEOUT_MS = 10_000;

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);

export function createPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, idleTimeoutMillis: 30_000, application_name: "switchboard" });
  // An idle connection the server drops (restart, idle timeout) must not crash the process;
  // the pool replaces it, and the next query sees a fresh one.
  pool.on("error", () => {});
  return pool;
}

/** An error that leaves the connection unusable (lost, or the server going away): it is not pooled again. */
const isConnectionError = (e: unknown) => {
  const code = (e as { code?: unknown })?.code;
  return typeof code !== "string" || /^(08|57P)/.test(code);
};

/**
 * `fn` in one transaction on one pooled connection: COMMIT when it resolves, ROLLBACK when it
 * throws. A connection that failed mid-transaction is not handed to the next caller.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    try {
      const out = await fn(client);
      await client.query("COMMIT");
      return out;
    } catch (e) {
      await client.query("ROLLBACK").catch((r: Error) => (broken = r));
      throw e;
    }
  } catch (e) {
    broken ??= isConnectionError(e) ? (e as Error) : undefined;
    throw e;
  } finally {
    client.release(broken);
  }
}

export function openPgDb(pool: pg.Pool): PgDb {
  return new PrismaClient({ adapter: new PrismaPg(pool, { onPoolError: () => {} }) });
}

const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
const MIGRATIONS = path.join(ROOT, "prisma", "postgresql", "migrations");

/** Whether every migration in prisma/postgresql/migrations is applied (a query, not a CLI run of a second or more at every start). */
async function upToDate(url: string): Promise<boolean> {
  const wanted = fs.readdirSync(MIGRATIONS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  try {
    await c.connect();
    const r = await c.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`);
    const applied = new Set(r.rows.map((x) => x.migration_name));
    return wanted.every((m) => applied.has(m));
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

/** Applies prisma/postgresql/migrations with `prisma migrate deploy` (it takes an advisory lock: two starting processes do not race). */
export async function migratePostgres(url: string): Promise<void> {
  if (await upToDate(url)) return;
  const cli = path.join(ROOT, "node_modules", "prisma", "build", "index.js");
  try {
    await promisify(execFile)(process.execPath, [cli, "migrate", "deploy", "--config", path.join("prisma", "postgresql", "prisma.config.ts")], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`database migration failed for ${redact(url)}:\n${err.stderr || err.stdout || err.message}`);
  }
}

/** The URL without its password, for messages. */
export const redact = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
