// [STORE] The conformance suite against every store this build has: in memory, and SQLite (a
// fresh file per test, copied from one migrated template so each costs milliseconds). PostgreSQL,
// which needs a real server, runs the same suite in store.postgres.int.test.ts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { storeConformance } from "./conformance";
import { createMemoryStore } from "./memory";
import { migrate } from "./db";
import { openSqliteStore } from "./sqlite";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-store-"));
const migrated = path.join(dir, "template.db");
let n = 0;

beforeAll(async () => {
  await migrate(`file:${migrated}`);
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

storeConformance("memory", async () => ({ store: createMemoryStore(), cleanup: async () => {} }));

storeConformance("sqlite", async () => {
  const file = path.join(dir, `store-${++n}.db`);
  fs.copyFileSync(migrated, file);
  const store = await openSqliteStore(`file:${file}`);
  return { store, cleanup: () => store.close() };
});
