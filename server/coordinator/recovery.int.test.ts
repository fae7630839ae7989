// [RECOVERY] detection and recovery with the real server and real runner processes: a zombie
// (heartbeats, no progress) is detected and its task reassigned then dead; a queue timeout ends
// a task dead; an operator drains and resumes an agent; a lost agent and the restart are
// incidents; the dead task is requeued from the dead-letter API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, dataOf, trpc } from "@/testing/api";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { adminCookie, createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";

let server: ServerHandle;
let agentToken: string;
let ops: ReturnType<typeof api>;
let cookie: string;
const agents: AgentHandle[] = [];

const query = async <T>(procedure: string, input?: unknown): Promise<T> => dataOf<T>(await trpc(server.url, cookie).query(procedure, input), procedure);
const mutate = async <T>(procedure: string, input: unknown): Promise<T> => dataOf<T>(await trpc(server.url, cookie).mutate(procedure, input), procedure);
const events = async (id: string) => ((await ops.get(`/api/v1/tasks/${id}`)).body.events as { type: string; message: string | null; agentName: string | null }[]).map((e) => e);

beforeAll(async () => {
  server = await startServerProcess();
  agentToken = await createToken(server, "recovery-agents");
  ops = api(server.url, { token: await createToken(server, "recovery-ops", "submit") });
  cookie = await adminCookie(server);
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop("SIGKILL")));
  await server?.stop();
});

describe("[RECOVERY] detection", () => {
  it("finds a zombie: heartbeats but no progress past the progress timeout → stuck, reassigned elsewhere, then dead", async () => {
    for (const name of ["z-1", "z-2"]) agents.push(startAgentProcess({ server: server.url, token: agentToken, name, capabilities: ["zombie"] }));
    await waitFor(async () => (await ops.get("/api/v1/agents")).body.agents.filter((a: { name: string; status: string }) => a.name.startsWith("z-") && a.status === "online").length === 2, "agents");
    // Silent for longer than its progress timeout: the runner keeps heartbeating all along.
    const t = (await ops.post("/api/v1/tasks", { title: "silent", command: "sleep 20", requires: ["zombie"], progressTimeoutMs: 1500, retry: { maxAttempts: 2, backoffMs: 100 } })).body.task;
    await waitFor(async () => (await ops.get(`/api/v1/tasks/${t.id}`)).body.task.status === "dead", "dead after two stuck attempts", 20_000, 100);
    const history = await events(t.id);
    const stuck = history.filter((e) => e.type === "stuck");
    expect(stuck).toHaveLength(2);
    expect(new Set(stuck.map((e) => e.agentName))).toEqual(new Set(["z-1", "z-2"])); // anti-affinity: the retry went to the other one
    expect(stuck[0].message).toMatch(/stuck: no progress from z-\d for 1\.\d s \(progress timeout 1500 ms\)/);
    // Each agent shows as unhealthy with the reason, and the incidents say what happened.
    const fleet = await query<{ name: string; health: string; healthReason: string }[]>("agents.find");
    expect(fleet.filter((a) => a.name.startsWith("z-")).map((a) => [a.health, a.healthReason])).toEqual([
      ["unhealthy", 'stuck on "silent"'],
      ["unhealthy", 'stuck on "silent"'],
    ]);
    const incidents = await query<{ items: { kind: string; taskId: string | null }[] }>("incidents.find", { limit: 50 });
    expect(incidents.items.filter((i) => i.taskId === t.id).map((i) => i.kind)).toEqual(expect.arrayContaining(["task_stuck", "task_retried", "task_dead"]));

    // Dead letters: the task with each attempt's error; requeued, it runs again.
    const dead = await query<{ items: { task: { id: string }; attempts: { type: string }[] }[] }>("tasks.deadLetters", { limit: 10 });
    const entry = dead.items.find((d) => d.task.id === t.id)!;
    expect(entry.attempts.map((a) => a.type)).toEqual(["stuck", "attempt_failed", "stuck", "dead"]);
    const requeued = await mutate<{ id: string; ok: boolean; message: string | null }[]>("tasks.retryMany", { ids: [t.id, "t_missing"] });
    expect(requeued).toEqual([
      { id: t.id, ok: true, message: null },
      { id: "t_missing", ok: false, message: "No task with id t_missing." },
    ]);
    await waitFor(async () => (await ops.get(`/api/v1/tasks/${t.id}`)).body.task.status !== "queued", "requeued task picked up");
    await ops.post(`/api/v1/tasks/${t.id}/cancel`);
  }, 40_000);

  it("ends a task nobody takes within its queue timeout as dead, saying why", async () => {
    const t = (await ops.post("/api/v1/tasks", { title: "unwanted", command: "true", requires: ["nobody-has-this"], queueTimeoutMs: 1000 })).body.task;
    await waitFor(async () => (await ops.get(`/api/v1/tasks/${t.id}`)).body.task.status === "dead", "queue timeout", 5000, 100);
    const detail = (await ops.get(`/api/v1/tasks/${t.id}`)).body;
    expect(detail.task.error).toBe("queue timeout: no agent took it within 1.0 s");
  });

  it("drains and resumes an agent from the dashboard API; a killed agent is lost at once, with the reason", async () => {
    const d = startAgentProcess({ server: server.url, token: agentToken, name: "drainee", capabilities: ["drain-test"] });
    agents.push(d);
    await waitFor(async () => (await query<{ name: string; status: string }[]>("agents.find")).some((a) => a.name === "drainee" && a.status === "online"), "drainee online");
    const id = (await query<{ id: string; name: string }[]>("agents.find")).find((a) => a.name === "drainee")!.id;
    expect(await mutate<{ status: string; draining: boolean }>("agents.drain", { id, drain: true })).toMatchObject({ status: "draining", draining: true });
    const t = (await ops.post("/api/v1/tasks", { title: "waits for a drained agent", command: "true", requires: ["drain-test"] })).body.task;
    // Proof that a dispatch pass has been over it: a canary task submitted after it, at the same
    // priority, reaching another agent (a pass tries tasks in priority and submit order).
    const canaryApi = api(server.url, { token: agentToken });
    const canaryAgent = (await canaryApi.post("/api/v1/agents/register", { name: "drain-canary", capabilities: ["drain-canary"] })).body.agentId;
    const canary = (await ops.post("/api/v1/tasks", { title: "canary", requires: ["drain-canary"] })).body.task;
    expect((await canaryApi.post(`/api/v1/agents/${canaryAgent}/claim?wait=10`)).body.tasks.map((x: { taskId: string }) => x.taskId)).toEqual([canary.id]);
    expect((await canaryApi.post(`/api/v1/tasks/${canary.id}/complete`, { attempt: 1 })).status).toBe(200);
    expect((await ops.get(`/api/v1/tasks/${t.id}`)).body.task.status).toBe("queued");
    expect(await mutate<{ status: string }>("agents.drain", { id, drain: false })).toMatchObject({ status: expect.stringMatching(/online|busy/) });
    await waitFor(async () => (await ops.get(`/api/v1/tasks/${t.id}`)).body.task.status === "succeeded", "runs after resume");

    const killedAt = Date.now();
    await d.stop("SIGKILL");
    await waitFor(async () => (await query<{ name: string; health: string }[]>("agents.find")).find((a) => a.name === "drainee")!.health === "offline", "lost", 5000, 50);
    expect(Date.now() - killedAt).toBeLessThan(2000); // the socket closes with the process: no need to wait for the lease
    const lost = await query<{ items: { kind: string; agentName: string | null; message: string }[] }>("incidents.find", { kind: "agent_lost", limit: 10 });
    expect(lost.items.find((i) => i.agentName === "drainee")?.message).toMatch(/drainee is offline: connection lost/);
  }, 30_000);

  it("records the server's restart as an incident (and a first start on an empty store as none)", async () => {
    // The first start of this test server had nothing to rebuild: no "server restarted" then.
    expect((await query<{ items: unknown[] }>("incidents.find", { kind: "server_restarted", limit: 5 })).items).toHaveLength(0);
    await server.stop(true);
    server = await server.restart();
    cookie = await adminCookie(server);
    await waitFor(async () => (await query<{ items: unknown[] }>("incidents.find", { kind: "server_restarted", limit: 5 })).items.length >= 1, "restart incident");
    const r = await query<{ items: { kind: string; message: string }[] }>("incidents.find", { kind: "server_restarted", limit: 5 });
    expect(r.items).toHaveLength(1);
    expect(r.items[0].message).toMatch(/^the server started: \d+ agents and \d+ unfinished tasks rebuilt from the store$/);
  });
});
