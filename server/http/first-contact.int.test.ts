// [FIRST-CONTACT] What a new user hits first, against the real server: bad input answered with
// one sentence naming the field (never a 500, never a huge echo), the same sentence on tRPC and
// REST, lone surrogates refused on every way in, workflows posted as YAML, honest offline
// reasons, forgetting agents, and a poller that hangs up getting no work.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connectSocket } from "socket.io-client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { appRouter } from "@/server/api/root";
import { api } from "@/testing/api";
import { connectAgent } from "@/agent/sdk";
import { createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";

let server: ServerHandle;
let admin: string;
let agentToken: string;
let ops: ReturnType<typeof api>;

beforeAll(async () => {
  server = await startServerProcess();
  admin = await createToken(server, "fc-admin", "admin");
  agentToken = await createToken(server, "fc-agents");
  ops = api(server.url, { token: await createToken(server, "fc-ops", "submit") });
});
afterAll(async () => {
  await server?.stop();
});

const post = (path: string, body: unknown, token = admin, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });

const SURROGATE = "\ud800";

describe("[FIRST-CONTACT] bad input: never a 500, always a sentence", () => {
  it("refuses a lone surrogate in any id, key or name with a 400 naming the field (REST)", async () => {
    const token = await post("/api/v1/tokens", { name: `${SURROGATE}x`, scope: "read" });
    expect(token.status).toBe(400);
    expect((await token.json()).error.message).toMatch(/^Invalid request: name: contains a broken character/);
    const task = await post("/api/v1/tasks", { title: "t", idempotencyKey: SURROGATE });
    expect(task.status).toBe(400);
    expect((await task.json()).error.message).toMatch(/idempotencyKey: contains a broken character/);
    // In a key, too.
    const key = await post("/api/v1/tasks", { title: "t", payload: { [`a${SURROGATE}`]: 1 } });
    expect(key.status).toBe(400);
  });

  it("refuses it on every tRPC procedure, by query and by mutation, with a 400", async () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: "query" | "mutation" } }>;
    const bad: string[] = [];
    for (const [path, proc] of Object.entries(procedures)) {
      const input = { id: SURROGATE, name: SURROGATE, username: SURROGATE, runId: SURROGATE, stepId: SURROGATE, channel: SURROGATE, agentId: SURROGATE, title: SURROGATE };
      const r =
        proc._def.type === "query"
          ? await fetch(`${server.url}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { authorization: `Bearer ${admin}` } })
          : await post(`/api/trpc/${path}`, input);
      if (r.status !== 400) bad.push(`${path}: ${r.status} ${(await r.text()).slice(0, 120)}`);
    }
    expect(bad).toEqual([]);
  });

  it("refuses it on the agent socket and over MCP", async () => {
    const s = connectSocket(`${server.url}/agents`, { auth: { token: agentToken }, transports: ["websocket"], reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => (s.once("connect", () => resolve()), s.once("connect_error", reject)));
    const ack = await new Promise<{ ok: boolean; error?: { code: string; message: string } }>((resolve) => s.emit("agent:register", { name: `a${SURROGATE}` }, resolve));
    s.close();
    expect(ack).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    expect(ack.error!.message).toMatch(/name: contains a broken character/);

    const mcp = await fetch(`${server.url}/mcp`, {
      method: "POST",
      headers: { authorization: `Bearer ${agentToken}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "get_task", arguments: { id: SURROGATE } } }),
    });
    expect(mcp.status).toBe(400);
    expect(JSON.stringify(await mcp.json())).toMatch(/broken character/);
  });

  it("gives tRPC the same one sentence as REST, in words a person reads", async () => {
    const rest = (await (await post("/api/v1/tasks", { title: 5 })).json()).error.message;
    const trpc = (await (await post("/api/trpc/tasks.submit", { title: 5 })).json()).error.message;
    expect(rest).toBe("Invalid request: title: must be text, not a number.");
    expect(trpc).toBe(rest);
    expect((await (await post("/api/v1/tasks", { title: "" })).json()).error.message).toBe("Invalid request: title: must not be empty.");
    expect((await (await post("/api/v1/tasks", { title: "x", priority: 5000 })).json()).error.message).toBe("Invalid request: priority: must be at most 1000.");
  });

  it("never echoes a huge input back", async () => {
    const huge = "k".repeat(300_000);
    for (const path of ["/api/v1/tasks", "/api/trpc/tasks.submit"]) {
      const r = await post(path, { title: "x", [huge]: 1 });
      expect(r.status).toBe(400);
      const text = await r.text();
      expect(text.length).toBeLessThan(2_000);
      expect(JSON.parse(text).error.message).toMatch(/unknown field "k{40}…"/);
    }
  });

  it("answers a tRPC call with a wrong content type in JSON, saying so", async () => {
    const r = await post("/api/trpc/tasks.submit", "{}", admin, { "content-type": "text/plain" });
    expect(r.status).toBe(415);
    expect(r.headers.get("content-type")).toMatch(/^application\/json/);
    expect((await r.json()).error.message).toMatch(/Content-Type must be application\/json/);
  });
});

describe("[FIRST-CONTACT] workflows as YAML", () => {
  it("takes a template posted as application/yaml, and names the problem in a bad one", async () => {
    const yaml = "name: yaml-posted\nsteps:\n  - { id: only, requires: [nobody-has-this], command: \"true\" }\n";
    const ok = await post("/api/v1/workflows", yaml, admin, { "content-type": "application/yaml" });
    expect(ok.status).toBe(201);
    expect((await ok.json()).version).toMatchObject({ name: "yaml-posted", version: 1 });
    const bad = await post("/api/v1/workflows", "name: broken\nsteps:\n  - { id: a, dependsOn: [b] }\n", admin, { "content-type": "application/yaml" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/unknown step b/);
  });
});

describe("[FIRST-CONTACT] agents come and go", () => {
  const agentOf = async (name: string) =>
    ((await ops.get("/api/v1/agents")).body.agents as { id: string; name: string; status: string; healthReason: string | null }[]).find((a) => a.name === name);

  it("a stopped agent says it was stopped by its owner, and an operator can forget it", async () => {
    const a = await connectAgent({ server: server.url, token: agentToken, card: { name: "fc-leaver" }, onTask: () => null });
    const id = a.agentId;
    // Forgetting a connected agent is refused.
    expect((await ops.raw("DELETE", `/api/v1/agents/${id}`, "")).status).toBe(409);
    await a.close();
    await waitFor(async () => (await agentOf("fc-leaver"))?.status === "offline", "fc-leaver offline");
    expect((await agentOf("fc-leaver"))?.healthReason).toBe("stopped by its owner");
    // A viewer may not forget; an operator may.
    const viewer = api(server.url, { token: await createToken(server, "fc-read", "read") });
    expect((await viewer.raw("DELETE", `/api/v1/agents/${id}`, "")).status).toBe(403);
    const forgotten = await ops.raw("DELETE", `/api/v1/agents/${id}`, "");
    expect(forgotten.status).toBe(200);
    expect(await agentOf("fc-leaver")).toBeUndefined();
    // It may come back under the same name: a new agent.
    const back = await connectAgent({ server: server.url, token: agentToken, card: { name: "fc-leaver" }, onTask: () => null });
    expect(back.agentId).not.toBe(id);
    await back.close();
  });

  it("an HTTP agent that stops says so", async () => {
    const a = api(server.url, { token: agentToken });
    const id = (await a.post("/api/v1/agents/register", { name: "fc-http-stop" })).body.agentId;
    expect((await a.post(`/api/v1/agents/${id}/stop`)).status).toBe(200);
    expect(await agentOf("fc-http-stop")).toMatchObject({ status: "offline", healthReason: "stopped by its owner" });
  });

  it("a poller that hangs up gets no work: its claim is withdrawn at once", async () => {
    const a = api(server.url, { token: agentToken });
    const id = (await a.post("/api/v1/agents/register", { name: "dead-poller", capabilities: ["fc-poll"] })).body.agentId;
    const hangUp = new AbortController();
    const claim = fetch(`${server.url}/api/v1/agents/${id}/claim?wait=25`, { method: "POST", headers: { authorization: `Bearer ${agentToken}` }, signal: hangUp.signal }).catch(() => null);
    // The claim is open (the agent is taking work) before the client dies.
    await waitFor(async () => (await a.get(`/api/v1/agents`)).body.agents.find((x: { id: string; polling: boolean }) => x.id === id)?.polling === true, "claim open");
    hangUp.abort();
    await claim;
    const t = (await ops.post("/api/v1/tasks", { title: "for a dead poller", command: "true", requires: ["fc-poll"], retry: { maxAttempts: 1 } })).body.task;
    // The positive signal that the moment has passed: the poller's lease ran out (it is offline)…
    await waitFor(async () => (await agentOf("dead-poller"))?.status === "offline", "dead-poller offline");
    // …and the task did not go down with it: still queued, not dead (with one attempt allowed, a
    // lost attempt would have ended it). If the submit raced the hang-up to the server, the
    // assignment went into the closed claim and came straight back, without using the attempt.
    const detail = (await ops.get(`/api/v1/tasks/${t.id}`)).body;
    expect(detail.task).toMatchObject({ status: "queued", error: null });
    expect(detail.waiting.code).toBe("agents_offline");
    // When it polls again, it gets the task.
    const again = await a.post(`/api/v1/agents/${id}/claim?wait=5`);
    expect(again.body.tasks.map((x: { taskId: string }) => x.taskId)).toEqual([t.id]);
  });
});
