// [POOLS] The `host` provider: `switchboard pool-host` in a second process, on "another machine",
// starts a pool's agents on the coordinator's command — min 1 at once, more for a burst up to
// the host's --max — and after the server restarts (a cut, as far as the host can tell) it
// reconnects, says what it runs, and the pool adopts those agents instead of starting more.
// Only tokens that may act as agents can host; stopping the host stops its agents.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "@/testing/api";
import { alive, poolWatcher } from "@/testing/pools";
import { ROOT, createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";

const CAP = "pool-host-int";
let server: ServerHandle;
let admin: ReturnType<typeof api>;
let ops: ReturnType<typeof api>;
let adminToken = "";
const watcher = poolWatcher(() => admin, "remote");
const pool = () => watcher.get();
let host: ChildProcess | undefined;
let hostOut = "";

function startHost(token: string, name: string, max: number): { proc: ChildProcess; output: () => string } {
  let out = "";
  const proc = spawn(process.execPath, [path.join(ROOT, "agent", "bin", "switchboard.mjs"), "pool-host", "--server", server.url, "--token", token, "--name", name, "--max", String(max)], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  return { proc, output: () => out };
}

beforeAll(async () => {
  server = await startServerProcess();
  adminToken = await createToken(server, "host-admin", "admin");
  admin = api(server.url, { token: adminToken });
  ops = api(server.url, { token: await createToken(server, "host-ops", "submit") });
}, 60_000);

afterAll(async () => {
  host?.kill("SIGKILL");
  watcher.killAll();
  await server?.stop();
});

describe("[POOLS] a pool on a pool host", () => {
  it("refuses a host whose token may not act as an agent", async () => {
    const reader = startHost(await createToken(server, "host-reader", "read"), "nope", 1);
    await waitFor(async () => /cannot connect: .*[Nn]ot allowed/.test(reader.output()), "the refusal", 15_000, 100);
    reader.proc.kill("SIGKILL");
  });

  it("starts min at once and more for a burst, up to the host's --max, on the host", async () => {
    const h = startHost(await createToken(server, "host-h1"), "h1", 3);
    host = h.proc;
    hostOut = "";
    const created = await admin.post("/api/v1/pools", { name: "remote", provider: "host", card: { capabilities: [CAP], slots: 1 }, policy: { min: 1, max: 5, up: { agents: 5, periodMs: 1_000 }, down: { stabilizationMs: 2_000, periodMs: 1_000, agents: 5 }, cooldownMs: 1_000 } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await waitFor(async () => (await pool()).instances.some((i) => i.state === "running" && i.agentId), "one agent on the host", 30_000, 200);
    expect(h.output()).toMatch(/started remote-1 for pool remote/);
    const ids: string[] = [];
    const r = await ops.post("/api/v1/tasks", { tasks: Array.from({ length: 12 }, (_, i) => ({ title: `remote ${i}`, command: "sleep 2", requires: [CAP], retry: { maxAttempts: 1 } })) });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    ids.push(...(r.body.tasks as { id: string }[]).map((t) => t.id));
    // The pool wants five; the host has room for three.
    let most = 0;
    await waitFor(async () => {
      const n = (await pool()).instances.length;
      most = Math.max(most, n);
      return n === 3;
    }, "three agents on the host", 30_000, 200);
    const view = (await admin.get("/api/v1/pools/remote")).body as { waitingFor: string | null };
    expect(view.waitingFor).toMatch(/no connected pool host has room for pool remote/);
    let statuses: string[] = [];
    await waitFor(async () => {
      most = Math.max(most, (await pool()).instances.length);
      statuses = await Promise.all(ids.map(async (id) => (await ops.get(`/api/v1/tasks/${id}`)).body.task.status as string));
      return statuses.every((s) => ["succeeded", "failed", "dead", "canceled"].includes(s));
    }, "the burst done", 90_000, 250);
    expect(statuses.filter((s) => s !== "succeeded"), h.output().slice(-2000)).toEqual([]);
    expect(most).toBe(3); // never past the host's --max
    hostOut = h.output();
  }, 120_000);

  it("after a restart the host reconnects and its agents are adopted, not doubled", async () => {
    await waitFor(async () => (await pool()).instances.length === 1, "back to min", 30_000, 250);
    const before = (await pool()).instances.map((i) => `${i.name}:${i.pid}`);
    await server.stop();
    server = await server.restart();
    admin = api(server.url, { token: adminToken });
    await waitFor(async () => (await pool()).instances.some((i) => i.state === "running" && i.agentId), "the agent back", 40_000, 250);
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await pool()).instances.map((i) => `${i.name}:${i.pid}`)).toEqual(before);
    const pid = Number(before[0].split(":")[1]);
    // Stopping the host stops its agents (drained first).
    host!.kill("SIGTERM");
    await waitFor(async () => !alive(pid) && host!.exitCode !== null, "the host and its agent gone", 20_000, 100);
    expect(hostOut).toMatch(/started remote-2/);
  }, 120_000);
});
