// Authors a new Prisma migration without `prisma migrate dev` (whose SQLite shadow database
// fails with the JS engines): deploy the existing migrations into a scratch database, read its
// schema back, and diff that against prisma/schema.prisma.
//   npm run db:migration -- <name>
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <name>   (lower-case letters, digits and _)");
  process.exit(2);
}

const root = path.resolve(import.meta.dirname, "..");
const prisma = path.join(root, "node_modules", "prisma", "build", "index.js");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sb-migration-"));
const env = { ...process.env, DATABASE_URL: `file:${path.join(scratch, "scratch.db")}` };
const run = (args: string[]) => execFileSync(process.execPath, [prisma, ...args], { cwd: root, env, encoding: "utf8" });
// The CLI prints "Loaded Prisma config…" and similar on stdout; keep only SQL.
const sqlOnly = (out: string) =>
  out
    .split("\n")
    .filter((l) => !/^(Loaded Prisma config|Prisma config detected|Prisma schema loaded)/.test(l))
    .join("\n")
    .trim();

try {
  const migrations = path.join(root, "prisma", "migrations");
  const hasMigrations = fs.existsSync(migrations) && fs.readdirSync(migrations).some((d) => /^\d/.test(d));
  let sql: string;
  if (hasMigrations) {
    run(["migrate", "deploy"]);
    const current = path.join(scratch, "current.prisma");
    // `db pull --print` may precede the schema with warnings; the schema starts at its first block.
    const printed = run(["db", "pull", "--print"]);
    const start = printed.search(/^(generator|datasource|model) /m);
    const pulled = start >= 0 ? printed.slice(start) : printed;
    fs.writeFileSync(current, pulled);
    sql = sqlOnly(run(["migrate", "diff", "--from-schema-datamodel", current, "--to-schema-datamodel", "prisma/schema.prisma", "--script"]));
  } else {
    sql = sqlOnly(run(["migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"]));
  }
  if (!sql || /^-- This is an empty migration/.test(sql)) {
    console.log("schema.prisma matches the migrations: nothing to write.");
    process.exit(0);
  }
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const dir = path.join(migrations, `${stamp}_${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "migration.sql"), sql + "\n");
  if (!fs.existsSync(path.join(migrations, "migration_lock.toml")))
    fs.writeFileSync(path.join(migrations, "migration_lock.toml"), 'provider = "sqlite"\n');
  console.log(`wrote ${path.relative(root, dir)}/migration.sql`);
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
