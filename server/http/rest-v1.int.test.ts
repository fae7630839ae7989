// [REST] the plain-HTTP agent protocol and its handling of bad input, against the real server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "@/testing/api";
import { createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";

let server: ServerHandle;
let token: string;
/** Submissions use a submit token: an agent token does not submit (least privilege). */
let opsToken: string;

beforeAll(async () => {
  server = await startServerProcess();
  token = await createToken(server);
  opsToken = await createToken(server, "rest-ops", "submit");
});
afterAll(async () => {
  await server?.stop();
});

describe("[REST] HTTP-only agent", () => {
  it("registers, claims, runs and completes a task with nothing but fetch", async () => {
    const a = api(server.url, { token });
    const reg = await a.post("/api/v1/agents/register", { name: "http-worker", capabilities: ["python:2"], slots: 1 });
    expect(reg.status).toBe(200);
    const agentId = reg.body.agentId as string;

    const sub = await api(server.url, { token: opsToken }).post("/api/v1/tasks", { title: "compute", payload: { n: 21 }, requires: ["python"] });
    expect(sub.status).toBe(201);
    const taskId = sub.body.task.id as string;

    const claim = await a.post(`/api/v1/agents/${agentId}/claim?wait=5`);
    expect(claim.status).toBe(200);
    expect(claim.body.tasks).toHaveLength(1);
    const job = claim.body.tasks[0];
    expect(job).toMatchObject({ taskId, attempt: 1, payload: { n: 21 } });

    expect((await a.post(`/api/v1/tasks/${taskId}/accept`, { attempt: 1 })).status).toBe(200);
    const prog = await a.post(`/api/v1/tasks/${taskId}/progress`, { attempt: 1, percent: 50, logs: [{ stream: "stdout", line: "half way" }] });
    expect(prog.status).toBe(200);
    expect((await a.post(`/api/v1/agents/${agentId}/heartbeat`, { cpu: 12, memoryMb: 40 })).status).toBe(200);
    const done = await a.post(`/api/v1/tasks/${taskId}/complete`, { attempt: 1, result: { answer: 42 } });
    expect(done.status).toBe(200);

    const detail = await a.get(`/api/v1/tasks/${taskId}`);
    expect(detail.body.task).toMatchObject({ status: "succeeded", result: { answer: 42 }, agentName: "http-worker" });
    expect(detail.body.logs.map((l: { line: string }) => l.line)).toEqual(["half way"]);
    expect(detail.body.events.map((e: { type: string }) => e.type)).toEqual(["submitted", "assigned", "started", "succeeded"]);
  });

  it("long-polls: a claim waiting before the submit receives the task", async () => {
    const a = api(server.url, { token });
    const { body } = await a.post("/api/v1/agents/register", { name: "poller", capabilities: ["rare-skill"] });
    const claim = a.post(`/api/v1/agents/${body.agentId}/claim?wait=10`);
    await new Promise((r) => setTimeout(r, 200)); // let the claim open first
    const sub = await api(server.url, { token: opsToken }).post("/api/v1/tasks", { title: "for the poller", requires: ["rare-skill"] });
    const got = await claim;
    expect(got.body.tasks.map((t: { taskId: string }) => t.taskId)).toEqual([sub.body.task.id]);
  });

  it("rejects a stale report after the lease expired and the task moved to another agent", async () => {
    const a = api(server.url, { token });
    const slow = (await a.post("/api/v1/agents/register", { name: "stale-1", capabilities: ["stale-test"] })).body.agentId;
    const sub = await api(server.url, { token: opsToken }).post("/api/v1/tasks", { title: "lease test", requires: ["stale-test"], retry: { maxAttempts: 3, backoffMs: 0 } });
    const taskId = sub.body.task.id;
    const first = await a.post(`/api/v1/agents/${slow}/claim?wait=5`);
    expect(first.body.tasks[0].attempt).toBe(1);
    await a.post(`/api/v1/tasks/${taskId}/accept`, { attempt: 1 });
    // stale-1 stops heartbeating; after the 1.5 s lease the task is queued again.
    const fresh = (await a.post("/api/v1/agents/register", { name: "stale-2", capabilities: ["stale-test"] })).body.agentId;
    const second = await a.post(`/api/v1/agents/${fresh}/claim?wait=10`);
    expect(second.body.tasks[0]).toMatchObject({ taskId, attempt: 2 });

    const late = await a.post(`/api/v1/tasks/${taskId}/complete`, { attempt: 1, result: "too late" });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("STALE_ATTEMPT");
    expect((await a.post(`/api/v1/tasks/${taskId}/complete`, { attempt: 2, result: "ok" })).status).toBe(200);
    const detail = await a.get(`/api/v1/tasks/${taskId}`);
    expect(detail.body.task).toMatchObject({ status: "succeeded", result: "ok", attempt: 2 });
    const types = detail.body.events.map((e: { type: string }) => e.type);
    expect(types).toContain("lease_expired");
    expect(types.filter((t: string) => t === "succeeded")).toHaveLength(1);
  });
});

describe("[REST] bad input", () => {
  it("answers malformed JSON with 400 and a message", async () => {
    const r = await api(server.url, { token: opsToken }).raw("POST", "/api/v1/tasks", "{not json");
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/Malformed JSON/);
  });

  it("names the wrong field for wrong types", async () => {
    const r = await api(server.url, { token: opsToken }).post("/api/v1/tasks", { title: 42, priority: "high" });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/title/);
    expect(r.body.error.message).toMatch(/priority/);
  });

  it("refuses unknown fields, bad capabilities and out-of-range values", async () => {
    const a = api(server.url, { token });
    expect((await api(server.url, { token: opsToken }).post("/api/v1/tasks", { title: "x", bogus: 1 })).status).toBe(400);
    expect((await api(server.url, { token: opsToken }).post("/api/v1/tasks", { title: "x", requires: ["ts:9"] })).status).toBe(400);
    expect((await a.post("/api/v1/agents/register", { name: "bad name!" })).status).toBe(400);
    expect((await a.post("/api/v1/agents/register", { name: "ok", slots: 0 })).status).toBe(400);
  });

  it("answers an oversize body with 413", async () => {
    const big = JSON.stringify({ title: "big", payload: "x".repeat(2 * 1024 * 1024) });
    const r = await api(server.url, { token: opsToken }).raw("POST", "/api/v1/tasks", big);
    expect(r.status).toBe(413);
    const payloadTooBig = await api(server.url, { token: opsToken }).post("/api/v1/tasks", { title: "big", payload: "x".repeat(300 * 1024) });
    expect(payloadTooBig.status).toBe(413);
    expect(payloadTooBig.body.error.message).toMatch(/payload/);
  });

  it("answers unknown and missing tokens with 401", async () => {
    expect((await api(server.url, { token: "sb_nope" }).post("/api/v1/tasks", { title: "x" })).status).toBe(401);
    expect((await api(server.url).get("/api/v1/tasks")).status).toBe(401);
  });

  it("refuses an agent token acting on another token's agent", async () => {
    const other = await createToken(server, "other");
    const mine = (await api(server.url, { token }).post("/api/v1/agents/register", { name: "owned" })).body.agentId;
    const r = await api(server.url, { token: other }).post(`/api/v1/agents/${mine}/heartbeat`, {});
    expect(r.status).toBe(403);
    const steal = await api(server.url, { token: other }).post("/api/v1/agents/register", { name: "owned" });
    expect(steal.status).toBe(403);
  });

  it("answers unknown routes with 404 and wrong methods with 405, and keeps serving", async () => {
    const a = api(server.url, { token });
    expect((await a.get("/api/v1/nothing")).status).toBe(404);
    expect((await a.get("/api/v1/tokens")).status).toBe(405);
    expect((await a.get("/api/v1/tasks/does-not-exist")).status).toBe(404);
    const submitter = api(server.url, { token: await createToken(server, "ops", "submit") });
    expect((await submitter.post("/api/v1/tasks/does-not-exist/cancel")).status).toBe(404);
    // An agent token may neither submit work (unless made to) nor cancel others' (operate).
    expect((await a.post("/api/v1/tasks", { title: "x", command: "true" })).status).toBe(403);
    expect((await a.post("/api/v1/tasks/does-not-exist/cancel")).status).toBe(403);
    // Found by the chaos suite's fuzzer: thousands of nesting levels, exotic methods, huge declared bodies.
    const deep = "[".repeat(6000) + "]".repeat(6000);
    const deepTask = await submitter.raw("POST", "/api/v1/tasks", `{"title":"deep","command":"true","payload":${deep}}`);
    expect(deepTask.status).toBe(413);
    expect(deepTask.body.error.message).toMatch(/payload must be at most/);
    expect((await submitter.raw("POST", "/api/v1/tasks/nope/retry", `{"x":${deep}}`)).status).toBe(404);
    const trace = await fetch(`${server.url}/api/trpc/fleet.stats`, { method: "TRACE" }).catch(() => null);
    if (trace) expect(trace.status).toBe(405); // some fetch implementations refuse TRACE themselves
    const del = await fetch(`${server.url}/api/trpc/fleet.stats`, { method: "DELETE" });
    expect(del.status).toBe(405);
    const bad = await fetch(`${server.url}/api/trpc/tasks.submit`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: "{" });
    expect(JSON.stringify(await bad.json())).not.toMatch(/"stack"/);
    await waitFor(async () => (await fetch(`${server.url}/healthz`)).ok, "health");
    expect(server.output()).not.toMatch(/unhandled error/);
  });
});
