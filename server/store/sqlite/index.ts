// The SQLite store: Prisma 6.19 on its JS/WebAssembly engines over better-sqlite3 (one file, WAL),
// with the group commit written straight on the driver's connection.
import { migrate, openDb } from "../db";
import type { Store } from "../ports";
import { withBusyRetry } from "../busy";
import { SqliteBatchWriter } from "./batch-writer";
import { SqliteTasks } from "./tasks";
import { SqliteInsight } from "./insight";
import { SqliteAudit } from "./audit";
// The repositories that use only Prisma's model API are shared with PostgreSQL (../prisma).
import { prismaRepositories } from "../prisma";

const MMAP_BYTES = 1 << 30;

/** Migrates the file to the schema (when something is missing) and opens every repository on it. */
export async function openSqliteStore(url: string): Promise<Store> {
  await migrate(url);
  const { db, connection } = await openDb(url);
  // Reads through memory-mapped pages rather than a read() per page missing from SQLite's own
  // cache (16 MB): a random task with its history and log is ~6 B-tree leaves, mostly misses on
  // a database of a few hundred MB — a fifth less per lookup measured. The mapping is the OS's
  // page cache itself (nothing is copied or held privately); writes still go through write().
  connection()?.pragma(`mmap_size = ${MMAP_BYTES}`);
  return {
    tasks: new SqliteTasks(db, connection),
    ...prismaRepositories(db),
    audit: new SqliteAudit(db, connection),
    insight: new SqliteInsight(db, connection),
    batches: new SqliteBatchWriter(db, connection),
    async close() {
      await db.$disconnect();
    },
  };
}
