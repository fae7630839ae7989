// [CLUSTER] The leadership lease and the fence on a real PostgreSQL 15: one holder at a time on
// the database's clock, renewals keep the epoch, a takeover raises it, and a deposed leader's
// group commits — one statement or a transaction — write nothing and say so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { PgLease } from "./pg-lease";
import { openPostgresStore } from "@/server/store/postgres";
import { task } from "@/server/store/conformance";
import type { WriteBatch } from "@/server/store/ports";
import { skipPostgres, startMigratedPostgres } from "@/testing/postgres";

let server: Awaited<ReturnType<typeof startMigratedPostgres>> | undefined;
const T0 = 1_800_000_000_000;
let seq = 0;
const batch = (ids: string[], over: Partial<WriteBatch> = {}): WriteBatch => ({
  tasks: ids.map((id, i) => task(id, { createdAt: T0 + i })),
  history: ids.map((id, i) => ({ id: (seq += 1), taskId: id, at: T0 + i, type: "submitted" as const, attempt: 0, agentId: null, message: null })),
  logs: [],
  agents: [],
  samples: [],
  ...over,
});

describe.skipIf(skipPostgres)("[CLUSTER] leadership on PostgreSQL", () => {
  beforeAll(async () => {
    server = await startMigratedPostgres();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("one holder at a time; a renewal keeps the epoch, a takeover after expiry raises it, a release frees it at once", async () => {
    const pool = new pg.Pool({ connectionString: await server!.fresh(), max: 4 });
    try {
      const a = new PgLease(pool, "a", 400);
      const b = new PgLease(pool, "b", 400);
      const [ca, cb] = await Promise.all([a.claim(), b.claim()]);
      expect([ca.won, cb.won].filter(Boolean)).toHaveLength(1); // two claims at once: one wins
      const [first, second] = ca.won ? [a, b] : [b, a];
      expect((await first.claim()).lease.epoch).toBe(1);
      expect((await second.claim()).won).toBe(false);
      expect(await first.advertise(1, "http://127.0.0.1:1")).toBe(true);
      expect(await second.advertise(1, "http://127.0.0.1:2")).toBe(false);
      expect(await second.read()).toMatchObject({ holder: first.holder, epoch: 1, address: "http://127.0.0.1:1", live: true });
      await new Promise((r) => setTimeout(r, 500));
      expect((await second.read()).live).toBe(false);
      const taken = await second.claim();
      expect(taken).toMatchObject({ won: true, lease: { holder: second.holder, epoch: 2, address: null } });
      expect((await first.claim()).won).toBe(false);
      await second.release(2);
      expect(await first.claim()).toMatchObject({ won: true, lease: { epoch: 3 } });
    } finally {
      await pool.end();
    }
  });

  it("refuses a deposed leader's group commits, whole, and tells it; the new leader's go in", async () => {
    const url = await server!.fresh();
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const lost: string[] = [];
    const old = new PgLease(pool, "old", 300);
    const next = new PgLease(pool, "next", 60_000);
    expect((await old.claim()).won).toBe(true);
    const deposed = await openPostgresStore(url, { fence: { holder: "old", epoch: 1, onLost: (why) => lost.push(why) } });
    const leader = await openPostgresStore(url, { fence: { holder: "next", epoch: 2, onLost: (why) => lost.push(`next: ${why}`) } });
    try {
      await deposed.batches.write(batch(["before"])); // while it leads: written
      await new Promise((r) => setTimeout(r, 400));
      expect((await next.claim()).lease.epoch).toBe(2);
      // One statement (several parts) and a transaction (one part) alike.
      await expect(deposed.batches.write(batch(["late-1", "late-2"]))).rejects.toThrow(/epoch 1 was refused/);
      await expect(deposed.batches.write(batch(["late-3"], { history: [] }))).rejects.toThrow(/epoch 1 was refused/);
      expect(lost).toEqual(["a group commit in epoch 1 was refused", "a group commit in epoch 1 was refused"]);
      await leader.batches.write(batch(["after"]));
      const ids = (await pool.query<{ id: string }>(`SELECT id FROM "Task" ORDER BY id`)).rows.map((r) => r.id);
      expect(ids).toEqual(["after", "before"]);
    } finally {
      await deposed.close();
      await leader.close();
      await pool.end();
    }
  });
});
