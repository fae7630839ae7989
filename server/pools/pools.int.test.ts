// [POOLS] A `local` pool against the real server with real runner processes: a burst of 200
// tasks scales it 0 → max and every task succeeds exactly once; idle, it goes back to min, its
// agents drained and stopped; a SIGKILLed agent is replaced (and counted as a crash); a server
// restart adopts the running agents instead of starting a second set; the KEDA scaler answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "@/testing/api";
import { alive, poolWatcher } from "@/testing/pools";
import { createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";

const CAP = "pool-int";
let server: ServerHandle;
let admin: ReturnType<typeof api>;
let ops: ReturnType<typeof api>;
let adminToken = "";
const watcher = poolWatcher(() => admin, "burst");
const pool = () => watcher.get();


beforeAll(async () => {
  server = await startServerProcess();
  adminToken = await createToken(server, "pools-admin", "admin");
  admin = api(server.url, { token: adminToken });
  ops = api(server.url, { token: await createToken(server, "pools-ops", "submit") });
}, 60_000);

afterAll(async () => {
  // Pool agents outlive the server by design: stop every one this test saw.
  watcher.killAll();
  await server?.stop();
});

describe("[POOLS] a local pool scales real agents", () => {
  it("refuses a bad pool with a sentence naming the field", async () => {
    const bad = await admin.post("/api/v1/pools", { name: "Bad Name", card: { capabilities: [CAP] }, policy: { max: 2 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/name/);
    const bounds = await admin.post("/api/v1/pools", { name: "bounds", card: { capabilities: [CAP] }, policy: { min: 3, max: 2 } });
    expect(bounds.status).toBe(400);
    expect(bounds.body.error.message).toMatch(/policy\.max: must be at least min/);
    expect((await ops.post("/api/v1/pools", { name: "x", card: { capabilities: [CAP] }, policy: { max: 2 } })).status).toBe(403);
  });

  it("takes a pool as YAML, with durations for its …Ms fields", async () => {
    const yaml = (body: string) => fetch(`${server.url}/api/v1/pools`, { method: "POST", headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/yaml" }, body });
    const r = await yaml("name: gpu-k8s\nprovider: external\ncard:\n  capabilities: [gpu:2]\n  slots: 4\npolicy:\n  max: 20\n  targetBacklogPerSlot: 8\n  cooldownMs: 5m\n  down: { stabilizationMs: 10m }\n  predictive: { enabled: true, leadMs: 15m }\n");
    const body = (await r.json()) as { name: string; policy: { cooldownMs: number; down: { stabilizationMs: number }; predictive: { leadMs: number } }; card: { capabilities: { name: string; level: number }[] } };
    expect(r.status, JSON.stringify(body)).toBe(201);
    expect(body.policy).toMatchObject({ cooldownMs: 300_000, down: { stabilizationMs: 600_000 }, predictive: { enabled: true, leadMs: 900_000 } });
    expect(body.card.capabilities).toEqual([{ name: "gpu", level: 2 }]);
    const bad = await yaml("name: broken\ncard: { capabilities: [x] }\npolicy: { max: 2, cooldownMs: later }\n");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/policy\.cooldownMs/);
    expect((await admin.del("/api/v1/pools/gpu-k8s")).status).toBe(200);
  });

  it("scales 0 → max for a burst of 200 tasks, each succeeding exactly once, and back to min when idle", async () => {
    const created = await admin.post("/api/v1/pools", {
      name: "burst",
      card: { capabilities: [CAP], slots: 2 },
      policy: { min: 0, max: 4, targetBacklogPerSlot: 1, up: { agents: 4, periodMs: 1_000 }, down: { agents: 4, periodMs: 1_000, stabilizationMs: 3_000 }, cooldownMs: 2_000 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: "burst", provider: "local", current: 0 });
    const ids: string[] = [];
    const specs = Array.from({ length: 200 }, (_, i) => ({ title: `burst ${i}`, command: "sleep 0.05", requires: [CAP], retry: { maxAttempts: 1 } }));
    for (let i = 0; i < specs.length; i += 50) {
      const r = await ops.post("/api/v1/tasks", { tasks: specs.slice(i, i + 50) });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids.push(...(r.body.tasks as { id: string }[]).map((t) => t.id));
    }
    await waitFor(async () => (await pool()).current === 4, "four agents", 20_000, 100);
    await waitFor(async () => (await pool()).instances.filter((i) => i.state === "running").length === 4, "four agents running", 30_000, 200);
    await waitFor(async () => {
      const done = await Promise.all(ids.map(async (id) => (await ops.get(`/api/v1/tasks/${id}`)).body.task as { status: string; attempt: number }));
      return done.every((t) => t.status === "succeeded");
    }, "every task succeeded", 90_000, 500);
    // Exactly once: one attempt each, one success in each history.
    for (const id of ids) {
      const { task, events } = (await ops.get(`/api/v1/tasks/${id}`)).body as { task: { attempt: number }; events: { type: string }[] };
      expect(task.attempt).toBe(1);
      expect(events.filter((e) => e.type === "succeeded")).toHaveLength(1);
    }
    const decisions = (await admin.get("/api/v1/pools/burst/decisions?limit=500")).body.decisions as { from: number; to: number; text: string; rule: string }[];
    expect(decisions.some((d) => d.from === 0 && d.to > 0 && /^scaled 0 → \d: backlog \d+ tasks over target 1 per slot/.test(d.text)), JSON.stringify(decisions.slice(-4))).toBe(true);
    expect(decisions.some((d) => d.rule === "max")).toBe(true);

    // Idle: back to min (0), every agent drained and its process gone.
    const pids = (await pool()).instances.map((i) => i.pid!);
    await waitFor(async () => (await pool()).instances.length === 0, "back to zero", 40_000, 250);
    await waitFor(async () => pids.every((pid) => !alive(pid)), "processes gone", 15_000, 100);
    const down = (await admin.get("/api/v1/pools/burst/decisions?limit=50")).body.decisions as { from: number; to: number }[];
    expect(down.some((d) => d.to < d.from)).toBe(true);
  }, 180_000);

  it("replaces a SIGKILLed agent, and the KEDA scaler says what the pool wants", async () => {
    const b = await ops.post("/api/v1/pools/burst/bounds", { min: 1, max: 4 });
    expect(b.status, JSON.stringify(b.body)).toBe(200);
    await waitFor(async () => (await pool()).instances.some((i) => i.state === "running"), "one agent running", 30_000, 200);
    const first = (await pool()).instances[0];
    process.kill(first.pid!, "SIGKILL");
    await waitFor(async () => (await pool()).instances.some((i) => i.state === "running" && i.pid !== first.pid && i.agentId), "a replacement running", 30_000, 200);
    expect((await pool()).crashes).toBe(1);
    const scaler = (await admin.get("/api/v1/pools/burst/scaler")).body;
    expect(scaler).toEqual({ desiredReplicas: 1, backlog: 0, busySlots: 0, currentReplicas: 1, min: 1, max: 4 });
  }, 60_000);

  it("keeps its agents across a server restart instead of starting a second set", async () => {
    const before = (await pool()).instances.map((i) => `${i.name}:${i.pid}`);
    expect(before).toHaveLength(1);
    await server.stop();
    server = await server.restart();
    admin = api(server.url, { token: adminToken });
    // The runner reconnects on its own; the pool adopted it by PID.
    await waitFor(async () => (await pool()).instances.some((i) => i.state === "running" && i.agentId), "adopted agent connected", 30_000, 200);
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await pool()).instances.map((i) => `${i.name}:${i.pid}`)).toEqual(before);
    const del = await admin.del("/api/v1/pools/burst");
    expect(del.status).toBe(200);
    const pid = Number(before[0].split(":")[1]);
    await waitFor(async () => !alive(pid), "the pool's agent stopped with it", 15_000, 100);
  }, 90_000);
});
