// /mcp end to end: the SDK's own MCP client against the real server, every tool once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";
import { MCP_TOOL_NAMES } from "./tools";

let server: ServerHandle;
let token: string;
let client: Client;

type ToolResult = { isError?: boolean; content: { type: string; text: string }[] };

async function call(name: string, args: Record<string, unknown> = {}) {
  const r = (await client.callTool({ name, arguments: args })) as ToolResult;
  return { isError: r.isError === true, text: r.content[0]?.text ?? "", json: () => JSON.parse(r.content[0].text) };
}

async function ok(name: string, args: Record<string, unknown> = {}) {
  const r = await call(name, args);
  if (r.isError) throw new Error(`${name} failed: ${r.text}`);
  return r.json();
}

const rest = (path: string, secret: string, body?: unknown) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify(body ?? {}),
  });

beforeAll(async () => {
  server = await startServerProcess();
  token = await createToken(server, "mcp-agent");
  client = new Client({ name: "mcp-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

describe("[MCP] /mcp endpoint", () => {
  it("refuses requests without a valid token with a 401 JSON-RPC error", async () => {
    const init = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "x", version: "1" } } };
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    for (const extra of [{}, { authorization: "Bearer nope" }] as Record<string, string>[]) {
      const r = await fetch(`${server.url}/mcp`, { method: "POST", headers: { ...headers, ...extra }, body: JSON.stringify(init) });
      expect(r.status).toBe(401);
      const body = (await r.json()) as { jsonrpc: string; error: { code: number; message: string } };
      expect(body.jsonrpc).toBe("2.0");
      expect(body.error.message).toMatch(/token/i);
    }
  });

  it("answers GET and DELETE with 405 (stateless: no stream, no session)", async () => {
    for (const method of ["GET", "DELETE"]) {
      const r = await fetch(`${server.url}/mcp`, { method, headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" } });
      expect(r.status).toBe(405);
      expect(r.headers.get("allow")).toBe("POST");
    }
  });

  it("lists all ten tools", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...MCP_TOOL_NAMES].sort());
  });

  it("registers agents, lists them, and sends, reads and acks messages", async () => {
    const alice = await ok("register_agent", { name: "mcp-alice", capabilities: ["mcp-skill:2"], channels: ["team"] });
    const bob = await ok("register_agent", { name: "mcp-bob" });
    expect(alice.agentId).toMatch(/\S/);
    expect(bob.agentId).not.toBe(alice.agentId);

    const { agents } = await ok("list_agents");
    const a = agents.find((x: { name: string }) => x.name === "mcp-alice");
    expect(a).toMatchObject({ id: alice.agentId, capabilities: [{ name: "mcp-skill", level: 2 }], currentTasks: [] });
    expect(agents.some((x: { name: string }) => x.name === "mcp-bob")).toBe(true);

    const sent = await ok("send_message", { agent: "mcp-bob", to: { agent: "mcp-alice" }, body: "hello alice", importance: "high" });
    expect(sent.recipients).toEqual(["mcp-alice"]);
    const viaChannel = await ok("send_message", { agent: bob.agentId, to: { channel: "team" }, body: "team news", replyTo: sent.messageId });
    expect(viaChannel.recipients).toEqual(["mcp-alice"]);

    const inbox = await ok("read_inbox", { agent: "mcp-alice" });
    expect(inbox.messages.map((m: { body: string }) => m.body)).toEqual(["hello alice", "team news"]);
    expect(inbox.messages[0]).toMatchObject({ from: { name: "mcp-bob" }, importance: "high" });
    expect(inbox.messages[1].threadId).toBe(sent.threadId);

    const last = inbox.messages.at(-1).seq;
    expect((await ok("ack_messages", { agent: "mcp-alice", upTo: last })).acked).toBe(2);
    expect((await ok("read_inbox", { agent: "mcp-alice" })).messages).toEqual([]);
    // Long-poll: a read waiting on an empty inbox returns as soon as a message arrives.
    const waiting = ok("read_inbox", { agent: "mcp-alice", waitSeconds: 10 });
    await new Promise((r) => setTimeout(r, 300));
    await ok("send_message", { agent: "mcp-bob", to: { agent: "mcp-alice" }, body: "wake up" });
    expect((await waiting).messages.map((m: { body: string }) => m.body)).toEqual(["wake up"]);

    // Acting as an agent of another token, or an unknown one, is a tool error, not a crash.
    const other = await createToken(server, "someone-else");
    await rest("/api/v1/agents/register", other, { name: "foreign" });
    const stolen = await call("read_inbox", { agent: "foreign" });
    expect(stolen.isError).toBe(true);
    expect(stolen.text).toMatch(/another token/);
    expect((await call("send_message", { agent: "nobody", to: { broadcast: true }, body: "x" })).isError).toBe(true);
    const bad = await call("register_agent", { name: "bad name!" });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/BAD_REQUEST/);
  });

  it("an agent with only an MCP client is a first-class agent: claim (long-poll), heartbeat, progress, complete, fail, release, stop", async () => {
    const ops = await createToken(server, "mcp-ops", "submit");
    const submit = async (title: string, extra: Record<string, unknown> = {}) => {
      const r = await rest("/api/v1/tasks", ops, { title, requires: ["mcp-life"], retry: { maxAttempts: 2, backoffMs: 0 }, ...extra });
      expect(r.status).toBe(201);
      return ((await r.json()) as { task: { id: string } }).task.id;
    };
    const reg = await ok("register_agent", { name: "mcp-worker", capabilities: ["mcp-life"], leaseTtlSeconds: 30 });
    expect(reg).toMatchObject({ leaseTtlSeconds: 30 });

    // A claim that is already waiting receives the task the moment it is submitted.
    const waiting = ok("claim_task", { agent: "mcp-worker", waitSeconds: 20 });
    const first = await submit("mcp task", { payload: { n: 1 }, priority: 5 });
    const { tasks } = await waiting;
    expect(tasks.map((t: { taskId: string }) => t.taskId)).toEqual([first]);
    expect(tasks[0]).toMatchObject({ status: "running", payload: { n: 1 }, submittedBy: { kind: "token", name: "mcp-ops" } });
    const attempt = tasks[0].attempt;

    // Its own 30 s lease holds past the server's 1.5 s one (tests run with that): proven by a
    // canary registered now with the server's lease going offline while the worker does not.
    await rest("/api/v1/agents/register", token, { name: "mcp-canary" });
    const agentsNow = async () => (await ok("list_agents")).agents as { name: string; status: string }[];
    await waitFor(async () => (await agentsNow()).find((a) => a.name === "mcp-canary")?.status === "offline", "the canary's lease to run out");
    expect((await agentsNow()).find((a) => a.name === "mcp-worker")?.status).not.toBe("offline");
    expect((await ok("heartbeat", { agent: "mcp-worker", taskIds: [first] })).cancel).toEqual([]);

    expect(await ok("report_progress", { taskId: first, attempt, percent: 50, message: "halfway", logs: ["working on it"] })).toEqual({ ok: true });
    expect(await ok("complete_task", { taskId: first, attempt, result: { answer: 42 } })).toEqual({ ok: true });
    const detail = await ok("get_task", { id: first });
    expect(detail.task).toMatchObject({ status: "succeeded", result: { answer: 42 } });
    expect(detail.logs.map((l: { line: string }) => l.line)).toContain("working on it");
    // Reporting again on a finished task is refused as a tool error.
    const late = await call("complete_task", { taskId: first, attempt });
    expect(late.isError).toBe(true);
    expect(late.text).toMatch(/STALE_ATTEMPT/);

    // Release: handed back without using up an attempt, and claimed again.
    const second = await submit("give back");
    const got = (await ok("claim_task", { agent: "mcp-worker", waitSeconds: 10 })).tasks[0];
    expect(got.taskId).toBe(second);
    await ok("release_task", { taskId: second, attempt: got.attempt, reason: "not now" });
    const again = (await ok("claim_task", { agent: "mcp-worker", waitSeconds: 10 })).tasks[0];
    expect(again.taskId).toBe(second);
    // Fail, not retryable: the task ends failed at once.
    await ok("fail_task", { taskId: second, attempt: again.attempt, error: "cannot parse the input", retryable: false });
    expect((await ok("get_task", { id: second })).task).toMatchObject({ status: "failed", error: "cannot parse the input", attempt: 2 });
    const events = (await ok("get_task", { id: second })).events.map((e: { type: string }) => e.type);
    expect(events.filter((t: string) => t === "attempt_failed")).toHaveLength(0);

    // Nothing waiting: an empty claim after waitSeconds.
    expect((await ok("claim_task", { agent: "mcp-worker", waitSeconds: 0.3 })).tasks).toEqual([]);
    await ok("stop_agent", { agent: "mcp-worker" });
    const stopped = (await ok("list_agents")).agents.find((a: { name: string }) => a.name === "mcp-worker");
    expect(stopped.status).toBe("offline");
    expect((await call("get_task", { id: "no-such-task" })).isError).toBe(true);
  });

  it("an agent token does not create tasks unless it was made to (canSubmit)", async () => {
    const refused = await call("create_task", { title: "from an agent", requires: ["nobody-has-this"] });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/FORBIDDEN/);
    const submitter = await createToken(server, "mcp-agent-submits", "agent", { canSubmit: true });
    const c2 = new Client({ name: "mcp-test-2", version: "1.0.0" });
    await c2.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${submitter}` } } }));
    try {
      const r = (await c2.callTool({ name: "create_task", arguments: { title: "allowed", requires: ["nobody-has-this"] } })) as ToolResult;
      expect(r.isError).not.toBe(true);
      expect(JSON.parse(r.content[0].text).task).toMatchObject({ title: "allowed", submittedBy: { kind: "token", name: "mcp-agent-submits", role: "agent" } });
    } finally {
      await c2.close();
    }
  });

  it("reads a workflow run started over REST", async () => {
    const admin = await createToken(server, "adm", "admin");
    const applied = await rest("/api/v1/workflows", admin, { source: "name: mcp-flow\nsteps:\n  - { id: only, requires: [nobody-has-this], command: \"true\" }\n" });
    expect(applied.status).toBe(201);
    const started = await rest("/api/v1/workflows/mcp-flow/runs", admin, {});
    expect(started.status).toBe(201);
    const { run } = (await started.json()) as { run: { id: string } };

    const got = await ok("get_workflow_run", { id: run.id });
    expect(got.run).toMatchObject({ id: run.id, status: "running" });
    expect(got.run.steps.map((s: { id: string }) => s.id)).toEqual(["only"]);

    const missing = await call("get_workflow_run", { id: "run_missing" });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/NOT_FOUND/);
  });
});
