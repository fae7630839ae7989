// [OVERLOAD] Refusals that pass, on the real server: a full queue (SWITCHBOARD_MAX_UNFINISHED)
// refuses submissions with 503 and Retry-After on REST, tRPC and MCP alike, changes nothing and
// is not audited; the CLI waits the time it is told and gets in once there is room; an agent
// socket over its event rate limit is told `retryAfterMs`, and the SDK resends after it, so
// every message still arrives.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { connectAgent, type Agent } from "@/agent/sdk";
import { runCli } from "@/testing/cli";
import { createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";

const CAP = 100;
let server: ServerHandle;
let admin: string;
const agents: Agent[] = [];

beforeAll(async () => {
  // A tight socket limit too: 20 events/s, bursts of 20.
  server = await startServerProcess({ env: { SWITCHBOARD_MAX_UNFINISHED: String(CAP), SWITCHBOARD_SOCKET_RATE_LIMIT: "20/20" } });
  admin = await createToken(server, "ov-admin", "admin");
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.close({ flushTimeoutMs: 500 })));
  await server?.stop();
});

const post = (path: string, body: unknown) => fetch(`${server.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: JSON.stringify(body) });
const waiting = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ title: `waits ${from + i}`, requires: ["overload-nobody"] }));
/** The gateway's own count of answers per route (the Traffic page's numbers). */
async function routeStats(route: string) {
  const r = await fetch(`${server.url}/api/trpc/traffic.stats?input=${encodeURIComponent(JSON.stringify({ windowMinutes: 15 }))}`, { headers: { authorization: `Bearer ${admin}` } });
  const stats = ((await r.json()) as { result: { data: { routes: { route: string; errors5xx: number; rateLimited: number }[] } } }).result.data;
  return stats.routes.find((x) => x.route === route) ?? { route, errors5xx: 0, rateLimited: 0 };
}
const taskCount = async () => ((await (await fetch(`${server.url}/api/v1/tasks?limit=500&status=queued`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { tasks: unknown[] }).tasks.length;

describe("[OVERLOAD] a full queue", () => {
  it("takes tasks up to the cap, then refuses with 503, Retry-After and the precise wait, on REST", async () => {
    expect((await post("/api/v1/tasks", { tasks: waiting(CAP) })).status).toBe(201);
    const r = await post("/api/v1/tasks", { title: "one too many", requires: ["overload-nobody"] });
    expect(r.status).toBe(503);
    expect(r.headers.get("retry-after")).toBe("5");
    const body = (await r.json()) as { error: { code: string; message: string; retryAfterMs: number; retryAfterSeconds: number } };
    expect(body.error).toMatchObject({ code: "UNAVAILABLE", retryAfterMs: 5000, retryAfterSeconds: 5 });
    expect(body.error.message).toBe("The queue is full (the server holds its maximum of unfinished tasks); retry in 5 s.");
    expect(await taskCount()).toBe(CAP);
  });

  it("refuses the same way on tRPC and MCP", async () => {
    const t = await post("/api/trpc/tasks.submit", { title: "via trpc", requires: ["overload-nobody"] });
    expect(t.status).toBe(503);
    expect(t.headers.get("retry-after")).toBe("5");
    expect(JSON.stringify(await t.json())).toMatch(/The queue is full/);

    const mcp = new Client({ name: "overload-test", version: "1.0.0" });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${await createToken(server, "ov-mcp", "agent", { canSubmit: true })}` } } }));
    try {
      const r = (await mcp.callTool({ name: "create_task", arguments: { title: "via mcp", requires: ["overload-nobody"] } })) as { isError?: boolean; content: { text: string }[] };
      expect(r.isError).toBe(true);
      expect(r.content[0].text).toMatch(/^UNAVAILABLE: The queue is full/);
    } finally {
      await mcp.close();
    }
    expect(await taskCount()).toBe(CAP);
  });

  it("is not audited: a shed submission changed nothing", async () => {
    const input = encodeURIComponent(JSON.stringify({ action: "tasks.submit", limit: 50 }));
    const r = await fetch(`${server.url}/api/trpc/audit.find?input=${input}`, { headers: { authorization: `Bearer ${admin}` } });
    const items = ((await r.json()) as { result: { data: { items: { outcome: string }[] } } }).result.data.items;
    expect(items.filter((e) => e.outcome === "failed")).toEqual([]);
    expect(items.filter((e) => e.outcome === "ok").length).toBeGreaterThanOrEqual(1);
  });

  it("the CLI says it waits, waits the time it is told, and gets in once a task is canceled", async () => {
    const submitter = await createToken(server, "ov-cli", "submit");
    const cli = runCli(["task", "submit", "--server", server.url, "--token", submitter, "--title", "from the cli", "--require", "overload-nobody"], { timeoutMs: 60_000 });
    // Once the CLI has been refused (the server counted one more 503), room appears: one queued task is canceled.
    const before = (await routeStats("POST /api/v1/tasks")).errors5xx;
    await waitFor(async () => (await routeStats("POST /api/v1/tasks")).errors5xx > before || null, "the CLI's submission to be refused", 30_000, 100);
    const list = (await (await fetch(`${server.url}/api/v1/tasks?limit=1&status=queued`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { tasks: { id: string }[] };
    expect((await post(`/api/v1/tasks/${list.tasks[0].id}/cancel`, {})).status).toBe(200);
    const r = await cli;
    expect(r.stderr).toMatch(/the server is busy \(HTTP 503\); trying again in 5\.0 s/);
    expect(r.code).toBe(0);
    expect(await taskCount()).toBe(CAP);
  });
});

describe("[OVERLOAD] an agent over its socket rate limit", () => {
  it("is told retryAfterMs, and the SDK resends until every message is stored, in order", async () => {
    const token = await createToken(server, "ov-agents");
    const received: string[] = [];
    const receiver = await connectAgent({ server: server.url, token, card: { name: "ov-receiver" }, onTask: () => null, logger: { info: () => {}, warn: () => {} }, onMessage: (m) => void received.push(m.body) });
    const sender = await connectAgent({ server: server.url, token, card: { name: "ov-sender" }, onTask: () => null, logger: { info: () => {}, warn: () => {} } });
    agents.push(receiver, sender);
    // 60 sends one after another, one event each: three times the burst the connection may send.
    const results: string[] = [];
    for (let n = 0; n < 60; n++) results.push(await sender.send({ to: { agent: "ov-receiver" }, body: String(n) }).then(() => "ok", (e: Error) => e.message));
    expect(results.filter((r) => r !== "ok")).toEqual([]);
    await waitFor(() => received.length >= 60 || null, "all 60 messages to arrive", 30_000);
    // The limit was really hit: the gateway counted refusals on the sender's connection.
    const refused = (await routeStats("socket message:sendMany")).rateLimited + (await routeStats("socket message:send")).rateLimited;
    expect(refused).toBeGreaterThan(0);
    expect(received).toEqual(Array.from({ length: 60 }, (_, n) => String(n)));
  });
});
