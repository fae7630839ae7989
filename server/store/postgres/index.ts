// The PostgreSQL store: Prisma 6.19 on its JS engines over `pg` (@prisma/adapter-pg) for the
// repositories that use only the model API (shared with SQLite: ../prisma), and prepared SQL on
// the same pool for the group commit (batch-writer.ts), the hot task reads (tasks.ts) and the
// analytics (insight.ts).
import type { Store } from "../ports";
import { asModels } from "../prisma/client";
import { prismaRepositories } from "../prisma";
import { createPool, migratePostgres, openPgDb } from "./db";
import { PostgresBatchWriter } from "./batch-writer";
import { PostgresTasks } from "./tasks";
import { PostgresInsight } from "./insight";
import type { Fence } from "./fence";

/**
 * Migrates the database to the schema (when something is missing) and opens every repository on
 * it. With a fence (a replica that leads), every group commit carries its epoch.
 */
export async function openPostgresStore(url: string, opts: { fence?: Fence } = {}): Promise<Store> {
  await migratePostgres(url);
  const pool = createPool(url);
  const client = openPgDb(pool);
  const db = asModels(client);
  return {
    tasks: new PostgresTasks(pool),
    ...prismaRepositories(db),
    insight: new PostgresInsight(db, pool),
    batches: new PostgresBatchWriter(pool, opts.fence),
    async close() {
      await client.$disconnect();
      await pool.end();
    },
  };
}
