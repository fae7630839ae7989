// Authors a new PostgreSQL migration (prisma/postgresql/migrations) the way new-migration.ts
// does for SQLite, on a throwaway real PostgreSQL (testing/postgres.ts): derive the schema from
// prisma/schema.prisma, deploy the existing migrations into a scratch database, read its schema
// back and diff that against the derived schema.
//   npm run db:migration:postgres -- <name>     (the first one, on an empty folder, is `init`)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startPostgres } from "@/testing/postgres";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration:postgres -- <name>   (lower-case letters, digits and _)");
  process.exit(2);
}

const root = path.resolve(import.meta.dirname, "..");
const prisma = path.join(root, "node_modules", "prisma", "build", "index.js");
const config = path.join("prisma", "postgresql", "prisma.config.ts");
const schema = path.join("prisma", "postgresql", "schema.prisma");
const migrations = path.join(root, "prisma", "postgresql", "migrations");
const sqlOnly = (out: string) =>
  out
    .split("\n")
    .filter((l) => !/^(Loaded Prisma config|Prisma config detected|Prisma schema loaded)/.test(l))
    .join("\n")
    .trim();

execFileSync(process.execPath, [path.join(root, "scripts", "prisma-postgres.mjs")], { cwd: root, stdio: "inherit" });
const pg = await startPostgres();
try {
  const env = { ...process.env, DATABASE_URL: await pg.createDatabase("scratch"), PRISMA_HIDE_UPDATE_MESSAGE: "1" };
  const run = (args: string[]) => execFileSync(process.execPath, [prisma, ...args, "--config", config], { cwd: root, env, encoding: "utf8" });
  const hasMigrations = fs.existsSync(migrations) && fs.readdirSync(migrations).some((d) => /^\d/.test(d));
  let sql: string;
  if (hasMigrations) {
    run(["migrate", "deploy"]);
    const current = path.join(pg.dir, "current.prisma");
    const printed = run(["db", "pull", "--print"]);
    const start = printed.search(/^(generator|datasource|model) /m);
    fs.writeFileSync(current, start >= 0 ? printed.slice(start) : printed);
    sql = sqlOnly(run(["migrate", "diff", "--from-schema-datamodel", current, "--to-schema-datamodel", schema, "--script"]));
  } else {
    sql = sqlOnly(run(["migrate", "diff", "--from-empty", "--to-schema-datamodel", schema, "--script"]));
  }
  if (!sql || /^-- This is an empty migration/.test(sql)) {
    console.log("prisma/postgresql/schema.prisma matches the migrations: nothing to write.");
  } else {
    const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
    const dir = path.join(migrations, `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), sql + "\n");
    if (!fs.existsSync(path.join(migrations, "migration_lock.toml"))) fs.writeFileSync(path.join(migrations, "migration_lock.toml"), 'provider = "postgresql"\n');
    console.log(`wrote ${path.relative(root, dir)}/migration.sql`);
  }
} finally {
  await pg.stop();
}
