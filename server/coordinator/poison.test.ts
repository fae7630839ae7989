// [POISON] A batch that keeps failing must not stop every acknowledgement: the offending record
// is found, refused to its caller with a clear error, and the rest goes through.
import { describe, expect, it } from "vitest";
import { systemClock } from "@/server/core/clock";
import { createMemoryStore } from "@/server/store/memory";
import type { WriteBatch } from "@/server/store/ports";
import { AppError } from "@/server/errors";
import { Coordinator } from "./coordinator";
import { explode, isolatePoison, isTransient, merge } from "./poison";
import { agentRow, task } from "@/server/store/conformance";

const batch = (over: Partial<WriteBatch>): WriteBatch => ({ tasks: [], history: [], logs: [], agents: [], samples: [], ...over });

describe("[POISON] finding the record that fails a batch", () => {
  it("explodes a batch into one part per record and merges them back", () => {
    const b = batch({ tasks: [task("a"), task("b")], agents: [agentRow("x")], logs: [{ id: 1, taskId: "a", attempt: 1, at: 0, stream: "stdout", line: "l" }] });
    const parts = explode(b);
    expect(parts.map((p) => p.key)).toEqual(["task:a", "task:b", "log:1", "agent:x"]);
    const back = merge(parts);
    expect(back.tasks.map((t) => t.id)).toEqual(["a", "b"]);
    expect(back.agents).toHaveLength(1);
  });

  it("writes everything but the poison, and names it with the store's error", async () => {
    const written: string[] = [];
    const write = async (b: WriteBatch) => {
      if (b.tasks.some((t) => t.title === "POISON")) throw new Error("CHECK constraint failed: title");
      written.push(...b.tasks.map((t) => t.id));
    };
    const tasks = Array.from({ length: 9 }, (_, i) => task(`t${i}`, { title: i === 5 ? "POISON" : `ok ${i}` }));
    const refused = await isolatePoison(batch({ tasks }), write, async () => {});
    expect([...refused]).toEqual([["task:t5", "CHECK constraint failed: title"]]);
    expect(written.sort()).toEqual(["t0", "t1", "t2", "t3", "t4", "t6", "t7", "t8"]);
  });

  it("waits out a transient error during the search instead of blaming a record for it", async () => {
    let busy = 2;
    const write = async (b: WriteBatch) => {
      if (busy-- > 0) throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
      if (b.tasks.some((t) => t.id === "bad")) throw new Error("UNIQUE constraint failed");
    };
    const refused = await isolatePoison(batch({ tasks: [task("good"), task("bad")] }), write, async () => {});
    expect([...refused.keys()]).toEqual(["task:bad"]);
    expect(isTransient(Object.assign(new Error("x"), { code: "SQLITE_BUSY" }))).toBe(true);
    expect(isTransient(new Error("UNIQUE constraint failed: Task.idempotencyKey"))).toBe(false);
  });
});

describe("[POISON] the coordinator refuses a poisoned submission and goes on", () => {
  it("fails only the call whose task cannot be stored; concurrent ones are acknowledged", async () => {
    const store = createMemoryStore({ failWrite: (b) => (b.tasks.some((t) => t.title === "POISON") ? new Error("the engine refuses this row") : null) });
    const c = new Coordinator({ store, clock: systemClock, heartbeatIntervalMs: 1000, leaseTtlMs: 5000, defaultStrategy: "least-loaded" });
    await c.start();
    try {
      const spec = (title: string) => ({ title, requires: [], labels: {}, priority: 0, retry: { maxAttempts: 3, backoffMs: 1000 } });
      // Three calls in the same cycle: one batch; only the poisoned call fails.
      const [a, bad, b] = await Promise.allSettled([c.submit([spec("fine 1")], { submittedBy: null }), c.submit([spec("POISON")], { submittedBy: null }), c.submit([spec("fine 2")], { submittedBy: null })]);
      expect(a.status).toBe("fulfilled");
      expect(b.status).toBe("fulfilled");
      expect(bad.status).toBe("rejected");
      const err = (bad as PromiseRejectedResult).reason as AppError;
      expect(err).toBeInstanceOf(AppError);
      expect(err.message).toMatch(/^The store refused the task \("POISON": the engine refuses this row\), so it was not queued\.$/);
      // The good tasks are stored and live; the poisoned one is neither.
      const ids = [a, b].map((r) => (r as PromiseFulfilledResult<{ id: string }[]>).value[0].id);
      for (const id of ids) expect(await store.tasks.get(id)).not.toBeNull();
      expect((await store.tasks.find({ limit: 10 })).items.map((t) => t.title).sort()).toEqual(["fine 1", "fine 2"]);
      expect(c.taskCounts().queued).toBe(2);
      // And the next write goes through as usual.
      const [later] = await c.submit([spec("after")], { submittedBy: null });
      expect(await store.tasks.get(later.id)).not.toBeNull();
    } finally {
      await c.stop();
    }
  });
});
