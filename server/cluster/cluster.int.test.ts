// [CLUSTER] Three real server processes on one real PostgreSQL 15: one leads, two follow and
// forward; any replica takes logins, tokens, REST and agents. The leader SIGKILLed under load: a
// follower leads within 5 s, agents come back by themselves through their replica, and every
// task completes exactly once — counted by the work itself (each run appends its id to a file),
// not only by the store's records — and a stream of messages between two SDK agents on
// different followers arrives whole, once each, in order. The killed replica starts again as a
// follower.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "@/testing/api";
import { connectAgent, type Agent } from "@/agent/sdk";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { skipPostgres, startMigratedPostgres } from "@/testing/postgres";
import { adminCookie, createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";

const LEASE_MS = 1_500;
let pgServer: Awaited<ReturnType<typeof startMigratedPostgres>> | undefined;
const replicas: ServerHandle[] = [];
const agents: AgentHandle[] = [];
let token = "";
const runs = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sb-cluster-")), "runs.txt");

type Ready = { ok: boolean; role: string; leader?: string | null };
const ready = async (r: ServerHandle): Promise<Ready | null> => {
  try {
    return (await (await fetch(`${r.url}/readyz`)).json()) as Ready;
  } catch {
    return null;
  }
};

describe.skipIf(skipPostgres)("[CLUSTER] three replicas on one PostgreSQL", () => {
  beforeAll(async () => {
    pgServer = await startMigratedPostgres();
    const url = await pgServer.fresh();
    for (const name of ["r0", "r1", "r2"]) {
      // One after another: the first to start leads.
      replicas.push(await startServerProcess({ env: { DATABASE_URL: url, SWITCHBOARD_LEADER_LEASE_MS: String(LEASE_MS), SWITCHBOARD_REPLICA_NAME: name, SWITCHBOARD_RESTART_GRACE_MS: "5000" } }));
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop("SIGKILL")));
    for (const r of replicas) await r.stop();
    await pgServer?.stop();
  });

  it("one leads and two follow; a follower logs in, hands out a token and answers the API", async () => {
    const roles = await Promise.all(replicas.map(ready));
    expect(roles.map((r) => r?.role)).toEqual(["leader", "follower", "follower"]);
    expect(roles[1]?.leader).toMatch(new RegExp(`:${replicas[0].port}$`));
    // The browser's path through a follower: login, then a cookie-authenticated mutation with its Origin.
    const cookie = await adminCookie(replicas[1]);
    const created = await fetch(`${replicas[1].url}/api/v1/tokens`, { method: "POST", headers: { "content-type": "application/json", cookie, origin: replicas[1].url }, body: JSON.stringify({ name: "cluster", scope: "admin" }) });
    expect(created.status).toBe(201);
    token = ((await created.json()) as { secret: string }).secret;
    const listed = await api(replicas[2].url, { token }).get("/api/v1/agents");
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
  });

  it("the leader SIGKILLed under load: a follower leads within 5 s, every task runs exactly once, no message is lost", async () => {
    // Agents reach the cluster through the followers, as they would through a balancer.
    const agentToken = await createToken(replicas[2], "cluster-agents", "agent");
    for (const [i, via] of [1, 2, 1].entries()) {
      agents.push(startAgentProcess({ server: replicas[via].url, token: agentToken, name: `c-${i}`, capabilities: ["cluster"], slots: 2 }));
    }
    const client = api(replicas[2].url, { token });
    // Messages: alice (through r1) sends bob (through r2) one after another, across the kill.
    const got: string[] = [];
    const bob: Agent = await connectAgent({ server: replicas[2].url, token: agentToken, card: { name: "bob" }, onTask: () => null, onMessage: (m) => void got.push(m.body) });
    const alice: Agent = await connectAgent({ server: replicas[1].url, token: agentToken, card: { name: "alice" }, onTask: () => null });
    const sent: string[] = [];
    let sending = true;
    const stream = (async () => {
      for (let i = 0; sending; i++) {
        await alice.send({ to: { agent: "bob" }, body: `m${i}` });
        sent.push(`m${i}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await waitFor(async () => (await client.get("/api/v1/agents")).body.agents?.filter((a: { status: string }) => a.status !== "offline").length === 5, "three runners and two SDK agents online", 30_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${agents.map((a) => `${a.name}: ${a.output()}`).join("\n")}`);
    });
    const ids: string[] = [];
    const specs = Array.from({ length: 60 }, (_, i) => ({ title: `c ${i}`, command: `sleep 0.3; echo "$SWITCHBOARD_TASK_ID" >> ${runs}`, requires: ["cluster"], retry: { maxAttempts: 3, backoffMs: 200 } }));
    for (let i = 0; i < specs.length; i += 20) {
      const r = await client.post("/api/v1/tasks", { tasks: specs.slice(i, i + 20) });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids.push(...r.body.tasks.map((t: { id: string }) => t.id));
    }
    await waitFor(() => fs.existsSync(runs) && fs.readFileSync(runs, "utf8").split("\n").filter(Boolean).length >= 10, "ten tasks done", 30_000, 100);

    const sentAtKill = sent.length;
    const killedAt = Date.now();
    await replicas[0].stop(true);
    const next = await waitFor(async () => {
      for (const r of replicas.slice(1)) if ((await ready(r))?.role === "leader") return r;
      return null;
    }, "a follower to lead", 15_000, 50);
    const failoverMs = Date.now() - killedAt;
    console.log(`failover: replica :${next.port} leads ${failoverMs} ms after the leader was killed`);
    expect(failoverMs).toBeLessThanOrEqual(5_000);
    const other = replicas.slice(1).find((r) => r !== next)!;
    await waitFor(async () => (await ready(other))?.leader?.endsWith(`:${next.port}`), "the other follower to forward to the new leader", 10_000);

    const all = await waitFor(async () => {
      const tasks = await Promise.all(ids.map(async (id) => (await client.get(`/api/v1/tasks/${id}`)).body as { task: { status: string }; events: { type: string }[] }));
      return tasks.every((t) => t.task?.status === "succeeded") ? tasks : null;
    }, "every task to succeed after the failover", 90_000, 500);
    for (const t of all) expect(t.events.filter((e) => e.type === "succeeded"), JSON.stringify(t)).toHaveLength(1);
    const lines = fs.readFileSync(runs, "utf8").split("\n").filter(Boolean);
    expect(lines.length).toBe(ids.length); // each ran once: none twice, none lost
    expect(new Set(lines)).toEqual(new Set(ids));

    sending = false;
    await stream;
    expect(sentAtKill).toBeGreaterThan(5);
    expect(sent.length).toBeGreaterThan(sentAtKill + 5); // the stream went on across the failover
    await waitFor(() => got.length >= sent.length || undefined, "every message sent to reach bob", 30_000);
    expect(got).toEqual(sent); // whole, once each, in order
    await alice.close();
    await bob.close();

    // The killed replica comes back on its port as a follower of the new leader.
    replicas[0] = await replicas[0].restart();
    expect(await ready(replicas[0])).toMatchObject({ role: "follower", leader: expect.stringMatching(new RegExp(`:${next.port}$`)) });
  });

  it("PostgreSQL down for longer than the lease: the leader steps down in-process, a replica leads once it is back, work goes on", async () => {
    const before = await waitFor(async () => {
      for (const r of replicas) if ((await ready(r))?.role === "leader") return r;
      return null;
    }, "the leader", 10_000);
    await pgServer!.restart(LEASE_MS * 2 + 1_000);
    await waitFor(() => /stepping down to follow/.test(before.output()), "the leader to step down", 20_000, 100);
    const after = await waitFor(async () => {
      for (const r of replicas) if ((await ready(r))?.role === "leader") return r;
      return null;
    }, "a leader once PostgreSQL is back", 30_000, 100);
    for (const r of replicas) expect(r.proc.exitCode).toBeNull(); // nobody exited: stepping down is in-process
    const via = replicas.find((r) => r !== after)!;
    const client = api(via.url, { token });
    await waitFor(async () => (await client.get("/api/v1/agents")).body.agents?.filter((a: { status: string; name: string }) => a.name.startsWith("c-") && a.status !== "offline").length === 3, "the runners back", 30_000);
    const r = await client.post("/api/v1/tasks", { tasks: Array.from({ length: 10 }, (_, i) => ({ title: `after pg ${i}`, command: `echo "$SWITCHBOARD_TASK_ID" >> ${runs}`, requires: ["cluster"] })) });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const ids: string[] = r.body.tasks.map((t: { id: string }) => t.id);
    await waitFor(async () => (await Promise.all(ids.map(async (id) => (await client.get(`/api/v1/tasks/${id}`)).body.task?.status))).every((s) => s === "succeeded"), "the new tasks to succeed", 60_000, 300);
    const lines = fs.readFileSync(runs, "utf8").split("\n").filter(Boolean);
    for (const id of ids) expect(lines.filter((l) => l === id)).toHaveLength(1);
  });
});
