// The Prisma client over better-sqlite3 (JS/WebAssembly engines, no native Prisma engine).
import fs from "node:fs";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";
import type BetterSqlite3 from "better-sqlite3";
import { PrismaClient } from "@/generated/prisma/client";

export type Db = PrismaClient;

/** The driver's own connection under the Prisma client (undefined before Prisma connects). */
export type DriverConnection = () => BetterSqlite3.Database | undefined;

/** Resolves `file:./x.db` against the working directory and makes sure its folder exists. */
export function sqlitePath(url: string): string {
  const p = path.resolve(url.replace(/^file:/, ""));
  fs.mkdirSync(path.dirname(p), { recursive: true });
  return p;
}

export async function openDb(url: string): Promise<{ db: Db; connection: DriverConnection }> {
  const file = sqlitePath(url);
  // Keep a handle on the connection the adapter opens: the coordinator's batches are written on
  // it directly (see PrismaStore.write), everything else goes through Prisma — one connection,
  // so the two never lock each other out.
  const factory = new PrismaBetterSQLite3({ url: `file:${file}` });
  let client: BetterSqlite3.Database | undefined;
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    client = (adapter as unknown as { client: BetterSqlite3.Database }).client;
    return adapter;
  };
  const db = new PrismaClient({ adapter: factory });
  // WAL lets the dashboard read while the coordinator writes; NORMAL fsyncs at checkpoints,
  // which survives a process crash (the case that matters here) at a fraction of FULL's cost.
  await db.$queryRawUnsafe("PRAGMA journal_mode=WAL");
  await db.$executeRawUnsafe("PRAGMA synchronous=NORMAL");
  // Short on purpose: better-sqlite3 waits for a lock synchronously, freezing the event loop,
  // and only another process can hold it (this one has a single connection). A busy write fails
  // fast and is retried asynchronously (busy.ts, and the coordinator's batches). 50 ms was too
  // long: every writer that met the lock in one turn of the loop added its 50 ms.
  await db.$queryRawUnsafe("PRAGMA busy_timeout=5");
  return { db, connection: () => client };
}

/** Applies prisma/migrations with the real Prisma CLI, so the database matches the schema. */
/**
 * Whether every migration in prisma/migrations is already applied. Read with a plain read-only
 * connection: `prisma migrate deploy` takes the database exclusively, so it cannot run while
 * any other process (a backup, an sqlite3 shell) has the file open — and it costs a second at
 * every start. It only runs when something is missing.
 */
function upToDate(file: string, migrationsDir: string): boolean {
  if (!fs.existsSync(file)) return false;
  const wanted = fs.readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const applied = new Set(
      (db.prepare(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`).all() as { migration_name: string }[]).map(
        (r) => r.migration_name,
      ),
    );
    return wanted.every((m) => applied.has(m));
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

export async function migrate(url: string): Promise<void> {
  const root = path.resolve(import.meta.dirname, "..", "..");
  const cli = path.join(root, "node_modules", "prisma", "build", "index.js");
  const file = sqlitePath(url);
  if (upToDate(file, path.join(root, "prisma", "migrations"))) return;
  try {
    await promisify(execFile)(process.execPath, [cli, "migrate", "deploy"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: `file:${file}`, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`database migration failed for ${file}:\n${err.stderr || err.stdout || err.message}`);
  }
}
