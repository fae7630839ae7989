// Prisma CLI configuration: the JS/WebAssembly engines over better-sqlite3, so no native
// engine is downloaded (see STACK-NOTES). The runtime client is built in server/store/db.ts.
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

const url = process.env.DATABASE_URL ?? "file:./data/switchboard.db";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  async adapter() {
    return new PrismaBetterSQLite3({ url });
  },
});
