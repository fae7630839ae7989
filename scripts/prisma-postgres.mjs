#!/usr/bin/env node
// Derives the PostgreSQL schema (prisma/postgresql/schema.prisma) from the one schema
// (prisma/schema.prisma, SQLite): same models, fields and indexes; only the datasource, the
// generated client's folder and the column types PostgreSQL needs differ. Never edit the
// derived file by hand: change prisma/schema.prisma and run `npm run db:postgres-schema`.
//
//   node scripts/prisma-postgres.mjs           writes prisma/postgresql/schema.prisma
//   node scripts/prisma-postgres.mjs --check   exits 1 when the committed file differs (CI)
//
// Type mapping:
// - DateTime → timestamptz(3). Prisma's default on PostgreSQL is `timestamp(3)` without a time
//   zone: the raw SQL paths (batch writer, hot reads) bind JS Dates through `pg`, which writes
//   them in the process's local time and reads zone-less values back as local time — the same
//   instant only when the server and every client run in UTC. With a zone the instant is exact
//   whatever TZ says. Milliseconds (3) are what the store keeps (epoch ms in memory).
// - Everything else maps as Prisma maps it: String → text, Int → integer, Float → double
//   precision, Boolean → boolean; JSON stays text on both engines (see the schema's header).
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const source = path.join(root, "prisma", "schema.prisma");
const target = path.join(root, "prisma", "postgresql", "schema.prisma");

export function derive(text) {
  let out = text;
  const swap = (re, to, what) => {
    if (!re.test(out)) throw new Error(`prisma-postgres: cannot find ${what} in prisma/schema.prisma`);
    out = out.replace(re, to);
  };
  swap(/(generator client \{[^}]*output\s*=\s*)"\.\.\/generated\/prisma"/, `$1"../../generated/prisma-pg"`, "the generator's output");
  swap(/(datasource db \{[^}]*provider\s*=\s*)"sqlite"/, `$1"postgresql"`, "the sqlite datasource provider");
  // The url is only read by tools; the CLI and the server connect through the adapter
  // (prisma/postgresql/prisma.config.ts, server/store/postgres/db.ts) with DATABASE_URL.
  swap(/(datasource db \{[^}]*url\s*=\s*)"[^"]*"/, `$1"postgresql://localhost:5432/switchboard"`, "the datasource url");
  // A field line: name, type DateTime (optional or not), then attributes and/or a comment.
  out = out.replace(/^(\s+\w+\s+DateTime\??)(?=[ \t]|$)/gm, "$1 @db.Timestamptz(3)");
  const header =
    "// GENERATED from prisma/schema.prisma by scripts/prisma-postgres.mjs — do not edit.\n" +
    "// The PostgreSQL store's schema (server/store/postgres); migrations in ./migrations.\n\n";
  return header + out;
}

const wanted = derive(fs.readFileSync(source, "utf8"));
if (process.argv.includes("--check")) {
  const have = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : null;
  if (have !== wanted) {
    console.error("prisma/postgresql/schema.prisma is out of date with prisma/schema.prisma: run `npm run db:postgres-schema` and add a PostgreSQL migration (see README, PostgreSQL).");
    process.exit(1);
  }
  console.log("prisma/postgresql/schema.prisma is up to date");
} else {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, wanted);
  console.log(`wrote ${path.relative(root, target)}`);
}
