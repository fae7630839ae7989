// [STORE] The PostgreSQL migrations (prisma/postgresql/migrations) build exactly the schema
// (prisma/postgresql/schema.prisma): one database by `prisma migrate deploy`, one by
// `prisma db push` straight from the schema, on a real PostgreSQL; their tables, columns,
// indexes and constraints must be the same. A schema change without a PostgreSQL migration
// (npm run db:migration:postgres -- <name>) fails here.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migratePostgres } from "./db";
import { skipPostgres, startPostgres, type PostgresHandle } from "@/testing/postgres";

const root = path.resolve(import.meta.dirname, "..", "..", "..");
let server: PostgresHandle | undefined;

async function catalog(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const q = async (sql: string) => (await c.query(sql)).rows.map((r) => Object.values(r).join(" | "));
    return {
      columns: await q(
        `SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, ''), coalesce(datetime_precision::text, '') FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY 1, 2`,
      ),
      indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1, 2`),
      constraints: await q(
        `SELECT t.relname, c.conname, c.contype, pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations' ORDER BY 1, 2`,
      ),
    };
  } finally {
    await c.end();
  }
}

describe.skipIf(skipPostgres)("[STORE] PostgreSQL migrations", () => {
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("migrate deploy builds the same tables, columns, indexes and constraints as the schema", async () => {
    const migrated = await server!.createDatabase("migrated");
    const pushed = await server!.createDatabase("pushed");
    await migratePostgres(migrated);
    const cli = path.join(root, "node_modules", "prisma", "build", "index.js");
    await promisify(execFile)(process.execPath, [cli, "db", "push", "--skip-generate", "--config", path.join("prisma", "postgresql", "prisma.config.ts")], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: pushed, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    });
    const [a, b] = await Promise.all([catalog(migrated), catalog(pushed)]);
    expect(a.columns.length).toBeGreaterThan(100);
    expect(a.columns).toEqual(b.columns);
    expect(a.indexes).toEqual(b.indexes);
    expect(a.constraints).toEqual(b.constraints);
  });
});
