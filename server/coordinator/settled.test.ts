// [SETTLED] A read that joins live state with stored history waits for the group commit in
// flight: a task that reads as finished comes with its last log lines. (CI caught the race: the
// task page showed "succeeded" and "No output." for a task whose echo was still being written.)
import { afterEach, describe, expect, it } from "vitest";
import { agentCardSchema, taskSpecSchema } from "@/lib/protocol";
import { FakeClock } from "@/server/core/clock";
import { createMemoryStore } from "@/server/store/memory";
import type { Store } from "@/server/store/ports";
import { Coordinator } from "./coordinator";

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

/** A store whose batch writes take `ms` of real time, as a disk does under load. */
function slowStore(ms: number): Store {
  const store = createMemoryStore();
  const write = store.batches.write.bind(store.batches);
  store.batches.write = async (b) => {
    await new Promise((r) => setTimeout(r, ms));
    return write(b);
  };
  return store;
}

async function rig(store: Store) {
  const c = new Coordinator({ store, clock: new FakeClock(), heartbeatIntervalMs: 10_000, leaseTtlMs: 60_000, defaultStrategy: "least-loaded", manualTicks: true, recordInsight: false });
  await c.start();
  stops.push(() => c.stop());
  return c;
}

describe("[SETTLED] reads after the last write", () => {
  it("a finished task's log is in the store once settled() resolves", async () => {
    const store = slowStore(30);
    const c = await rig(store);
    const { agentId } = await c.registerAgent(agentCardSchema.parse({ name: "echo-1", capabilities: ["echo"] }), { id: "tok", hash: "h" }, "socket");
    const [task] = await c.submit([taskSpecSchema.parse({ title: "echo", requires: ["echo"] })], { submittedBy: null });
    await c.accept(agentId, task.id, 1);

    // The agent's last line and its completion, as they arrive: neither call has returned yet.
    const inFlight = Promise.all([c.progress(agentId, { taskId: task.id, attempt: 1, logs: [{ stream: "stdout", line: "<script>hi</script>" }] }), c.complete(agentId, task.id, 1, null)]);
    expect(c.liveTask(task.id)).toBeUndefined(); // memory has let go of the finished task
    expect((await c.getTask(task.id))?.status).toBe("running"); // and the disk is behind
    expect(await store.tasks.logs(task.id, 10)).toEqual([]);

    await c.settled();
    expect((await c.getTask(task.id))?.status).toBe("succeeded");
    expect((await store.tasks.logs(task.id, 10)).map((l) => l.line)).toEqual(["<script>hi</script>"]);
    await inFlight;
  });

  it("resolves at once when nothing is pending, without a write", async () => {
    const store = createMemoryStore();
    const c = await rig(store);
    let writes = 0;
    const write = store.batches.write.bind(store.batches);
    store.batches.write = async (b) => {
      writes++;
      return write(b);
    };
    await c.settled();
    await c.settled();
    expect(writes).toBe(0);
  });
});
