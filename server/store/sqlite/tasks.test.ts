// The task reads on the driver's connection against the same reads through Prisma (the path
// they replaced, still the fallback): on one file, every page of every filter and every task
// with its history and log must come back identical — the REST answers are built from these.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TaskStatus } from "@/lib/protocol";
import { task } from "../conformance";
import { migrate, openDb, type Db } from "../db";
import { SqliteBatchWriter } from "./batch-writer";
import { SqliteTasks } from "./tasks";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-tasks-"));
const T0 = Date.UTC(2026, 0, 1);
const STATUSES: TaskStatus[] = ["queued", "running", "succeeded", "succeeded", "succeeded", "failed", "dead", "canceled"];
const TITLES = ["build Payments-API", "test payments", "a_b deploy", "axb deploy", "50% done", "émoji É", "back\\slash", "nightly docs"];
let db: Db;
let driver: SqliteTasks;
let prisma: SqliteTasks;

beforeAll(async () => {
  const url = `file:${path.join(dir, "t.db")}`;
  await migrate(url);
  const opened = await openDb(url);
  db = opened.db;
  driver = new SqliteTasks(db, opened.connection);
  prisma = new SqliteTasks(db);
  const tasks = Array.from({ length: 240 }, (_, i) => {
    const status = STATUSES[i % STATUSES.length];
    const done = ["succeeded", "failed", "dead", "canceled"].includes(status);
    // Ties on createdAt (three per instant): the id breaks them.
    return task(`t${i.toString().padStart(3, "0")}`, {
      title: `${TITLES[i % TITLES.length]} #${i}`,
      status,
      agentId: i % 3 === 0 ? "ag1" : i % 3 === 1 ? "ag2" : null,
      createdAt: T0 + Math.floor(i / 3) * 1000,
      startedAt: done ? T0 + i * 1000 + 5 : null,
      finishedAt: done ? T0 + i * 1000 + 50 : null,
      progress: done ? 100 : i % 2 ? 12.5 : null,
      result: status === "succeeded" ? { exitCode: 0, out: [1, "two"] } : null,
      error: status === "failed" ? "exit code 1" : null,
      idempotencyKey: i % 10 === 0 ? `key-${i}` : null,
      payload: i % 4 === 0 ? null : { i, s: "x" },
      submittedBy: i % 5 === 0 ? null : { kind: "token", name: "ci", role: "submit", by: "admin" },
    });
  });
  const history = tasks.flatMap((t, i) => [
    { id: 2 * i + 1, taskId: t.id, at: t.createdAt, type: "submitted" as const, attempt: 0, agentId: null, message: null },
    { id: 2 * i + 2, taskId: t.id, at: t.createdAt + 7, type: "assigned" as const, attempt: 1, agentId: t.agentId, message: i % 2 ? "why" : null },
  ]);
  const logs = tasks.flatMap((t, i) => Array.from({ length: i % 4 }, (_, k) => ({ id: 4 * i + k + 1, taskId: t.id, attempt: 1, at: t.createdAt + k, stream: (k % 2 ? "stderr" : "stdout") as "stdout" | "stderr", line: `line ${k}` })));
  await new SqliteBatchWriter(db, opened.connection).write({ tasks, history, logs, agents: [], samples: [] });
}, 60_000);

afterAll(async () => {
  await db?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("SQLite task reads on the driver", () => {
  it("answer every page of every filter exactly as Prisma does", async () => {
    const searches = [undefined, "pay", "PAY", "a_b", "%", "_", "\\", "é", "t01", "T01", "nothing"];
    let pages = 0;
    for (const status of [undefined, ...new Set(STATUSES)] as (TaskStatus | undefined)[]) {
      for (const search of searches) {
        for (const agentId of [undefined, "ag1"]) {
          for (const range of [{}, { createdFrom: T0 + 10_000, createdTo: T0 + 40_000 }]) {
            // Every page at one size; the first page at others.
            for (const limit of [1, 50]) {
              const q = { status, search, agentId, limit, ...range };
              expect(await driver.find(q), JSON.stringify(q)).toEqual(await prisma.find(q));
            }
            let cursor: string | undefined;
            for (;;) {
              const q = { status, search, agentId, limit: 9, cursor, ...range };
              const [a, b] = [await driver.find(q), await prisma.find(q)];
              expect(a, JSON.stringify(q)).toEqual(b);
              pages++;
              if (!a.nextCursor) break;
              cursor = a.nextCursor;
            }
          }
        }
      }
    }
    expect(pages).toBeGreaterThan(500);
    // An unknown cursor: past the end.
    expect(await driver.find({ limit: 5, cursor: "nope" })).toEqual(await prisma.find({ limit: 5, cursor: "nope" }));
  }, 120_000);

  it("read a task, its history and its log exactly as Prisma does", async () => {
    for (let i = 0; i < 240; i += 7) {
      const id = `t${i.toString().padStart(3, "0")}`;
      expect(await driver.get(id)).toEqual(await prisma.get(id));
      expect(await driver.events(id, 1000)).toEqual(await prisma.events(id, 1000));
      expect(await driver.logs(id, 2)).toEqual(await prisma.logs(id, 2));
      expect(await driver.logs(id, 2000)).toEqual(await prisma.logs(id, 2000));
    }
    expect(await driver.get("nope")).toBeNull();
    expect(await driver.byIdempotencyKey("key-30")).toEqual(await prisma.byIdempotencyKey("key-30"));
    expect(await driver.byIdempotencyKey("key-31")).toBeNull();
  });
});
